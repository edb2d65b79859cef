/*
 * schema.c: the schema as numbered migrations.  Migration N takes a database
 * from user_version N-1 to N; any tool applies what is missing on open.
 * Never edit a migration that has shipped: add the next one, and give
 * lib/schema_pg.c's script (PostgreSQL's schema, at the last version) the
 * same change: tests/t1990 compares the two.
 */
#include <string.h>

#include <oms/db.h>
#include <oms/diag.h>

#include "internal.h"

/* PRAGMA application_id of an oms database: "OMS1" in ASCII. */
#define OMS_APPLICATION_ID 0x4f4d5331

static const char *const migrations[] = {
	/* 1: orders, lines, catalog, stock and its ledger, history. */
	"CREATE TABLE orders (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  source TEXT NOT NULL,\n"
	"  external_id TEXT,\n"
	"  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN\n"
	"    ('new','verified','authorized','backordered','allocated','picking',\n"
	"     'shipped','hold','cancelled')),\n"
	"  hold_reason TEXT,\n"
	"  held_from TEXT CHECK (held_from IS NULL OR held_from IN\n"
	"    ('new','verified','authorized','backordered','allocated','picking')),\n"
	"  customer_name TEXT, customer_email TEXT, customer_phone TEXT,\n"
	"  ship_name TEXT, ship_company TEXT, ship_line1 TEXT, ship_line2 TEXT,\n"
	"  ship_city TEXT, ship_region TEXT, ship_postal_code TEXT, ship_country TEXT,\n"
	"  std_name TEXT, std_company TEXT, std_line1 TEXT, std_line2 TEXT,\n"
	"  std_city TEXT, std_region TEXT, std_postal_code TEXT, std_country TEXT,\n"
	"  bill_name TEXT, bill_company TEXT, bill_line1 TEXT, bill_line2 TEXT,\n"
	"  bill_city TEXT, bill_region TEXT, bill_postal_code TEXT, bill_country TEXT,\n"
	"  ship_method TEXT,\n"
	"  ship_complete INTEGER CHECK (ship_complete IN (0, 1)),\n"
	"  priority INTEGER NOT NULL DEFAULT 0,\n"
	"  placed_at TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL,\n"
	"  updated_at TEXT NOT NULL,\n"
	"  currency TEXT NOT NULL CHECK (length(currency) = 3),\n"
	"  subtotal INTEGER NOT NULL,\n"
	"  discount INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),\n"
	"  shipping INTEGER NOT NULL DEFAULT 0 CHECK (shipping >= 0),\n"
	"  tax INTEGER NOT NULL DEFAULT 0 CHECK (tax >= 0),\n"
	"  total INTEGER NOT NULL CHECK (total = subtotal - discount + shipping + tax),\n"
	"  payment_method TEXT NOT NULL CHECK (payment_method IN ('card','prepaid','invoice')),\n"
	"  payment_token TEXT,\n"
	"  payment_ref TEXT,\n"
	"  payment_terms TEXT,\n"
	"  notes TEXT,\n"
	/* What an import saw, to tell a re-sent order from a changed one. */
	"  content_hash TEXT,\n"
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  UNIQUE (source, external_id),\n"
	"  CHECK ((status = 'hold') = (held_from IS NOT NULL))\n"
	");\n"
	"CREATE INDEX orders_status ON orders (status, priority DESC, placed_at, id);\n"
	"CREATE INDEX orders_placed ON orders (placed_at);\n"
	"CREATE INDEX orders_email ON orders (customer_email COLLATE NOCASE);\n"
	"\n"
	"CREATE TABLE order_lines (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
	"  line_no INTEGER NOT NULL,\n"
	"  sku TEXT NOT NULL,\n"
	"  qty INTEGER NOT NULL CHECK (qty > 0),\n"
	"  allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0),\n"
	"  picked INTEGER NOT NULL DEFAULT 0 CHECK (picked >= 0 AND picked <= allocated),\n"
	"  shipped INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0),\n"
	"  cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),\n"
	"  returned INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0 AND returned <= shipped),\n"
	"  unit_price INTEGER NOT NULL,\n"
	"  UNIQUE (order_id, line_no),\n"
	"  CHECK (allocated + shipped + cancelled <= qty)\n"
	");\n"
	"CREATE INDEX order_lines_sku ON order_lines (sku);\n"
	"\n"
	"CREATE TABLE items (\n"
	"  sku TEXT PRIMARY KEY CHECK (length(sku) BETWEEN 1 AND 64),\n"
	"  description TEXT NOT NULL DEFAULT '',\n"
	"  weight_g INTEGER CHECK (weight_g >= 0),\n"
	"  bin TEXT,\n"
	"  price INTEGER CHECK (price >= 0),\n"
	"  currency TEXT NOT NULL CHECK (length(currency) = 3),\n"
	"  updated_at TEXT NOT NULL\n"
	");\n"
	"\n"
	"CREATE TABLE stock (\n"
	"  sku TEXT PRIMARY KEY REFERENCES items (sku),\n"
	"  on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),\n"
	"  reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand)\n"
	");\n"
	"\n"
	/* The ledger is the truth; stock is its running sum (by oms_stock_move since 17). */
	"CREATE TABLE stock_moves (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL,\n"
	"  sku TEXT NOT NULL REFERENCES items (sku),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('receive','adjust','count','reserve',\n"
	"    'release','ship','return','short pick')),\n"
	"  d_on_hand INTEGER NOT NULL,\n"
	"  d_reserved INTEGER NOT NULL,\n"
	"  ref TEXT,\n"
	"  reason TEXT,\n"
	"  tool TEXT NOT NULL,\n"
	"  user TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX stock_moves_sku ON stock_moves (sku, id);\n"
	"CREATE TRIGGER stock_moves_apply AFTER INSERT ON stock_moves BEGIN\n"
	"  INSERT OR IGNORE INTO stock (sku) VALUES (NEW.sku);\n"
	"  UPDATE stock SET on_hand = on_hand + NEW.d_on_hand,\n"
	"    reserved = reserved + NEW.d_reserved WHERE sku = NEW.sku;\n"
	"END;\n"
	"CREATE TRIGGER stock_moves_no_update BEFORE UPDATE ON stock_moves BEGIN\n"
	"  SELECT RAISE(ABORT, 'stock_moves is append-only');\n"
	"END;\n"
	"CREATE TRIGGER stock_moves_no_delete BEFORE DELETE ON stock_moves BEGIN\n"
	"  SELECT RAISE(ABORT, 'stock_moves is append-only');\n"
	"END;\n"
	"\n"
	"CREATE TABLE events (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
	"  at TEXT NOT NULL,\n"
	"  tool TEXT NOT NULL,\n"
	"  user TEXT NOT NULL,\n"
	"  what TEXT NOT NULL,\n"
	"  from_status TEXT,\n"
	"  to_status TEXT,\n"
	"  detail TEXT\n"
	");\n"
	"CREATE INDEX events_order ON events (order_id, id);\n"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN\n"
	"  SELECT RAISE(ABORT, 'events is append-only');\n"
	"END;\n"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN\n"
	"  SELECT RAISE(ABORT, 'events is append-only');\n"
	"END;\n",

	/*
	 * 2: payments.  Each row is one request to a gateway, written with its
	 * idempotency key and committed before the request is sent: a crash
	 * is healed by sending the same key again.  The card itself is never
	 * here: a gateway's token, its brand, last four digits and expiry.
	 */
	"ALTER TABLE orders ADD COLUMN card_brand TEXT;\n"
	"ALTER TABLE orders ADD COLUMN card_last4 TEXT"
	"  CHECK (card_last4 IS NULL OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*'));\n"
	"ALTER TABLE orders ADD COLUMN card_exp TEXT;\n"
	"CREATE TABLE payments (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('authorize','capture','void','refund')),\n"
	"  parent_id INTEGER REFERENCES payments (id),\n"
	"  gateway TEXT NOT NULL,\n"
	"  idempotency_key TEXT NOT NULL UNIQUE,\n"
	"  amount INTEGER NOT NULL CHECK (amount >= 0),\n"
	"  currency TEXT NOT NULL CHECK (length(currency) = 3),\n"
	"  status TEXT NOT NULL DEFAULT 'pending'\n"
	"    CHECK (status IN ('pending','succeeded','declined','failed')),\n"
	"  gateway_ref TEXT,\n"
	"  code TEXT,\n"
	"  message TEXT,\n"
	"  expires_at TEXT,\n"
	"  created_at TEXT NOT NULL,\n"
	"  updated_at TEXT NOT NULL,\n"
	"  tool TEXT NOT NULL,\n"
	"  user TEXT NOT NULL,\n"
	"  CHECK ((kind = 'authorize') = (parent_id IS NULL))\n"
	");\n"
	"CREATE INDEX payments_order ON payments (order_id, id);\n"
	"CREATE INDEX payments_parent ON payments (parent_id, kind);\n"
	/* Money out never exceeds money in: held by the database, not by luck. */
	"CREATE TRIGGER payments_capture_limit BEFORE INSERT ON payments\n"
	"WHEN NEW.kind = 'capture' AND NEW.amount + (SELECT coalesce(sum(amount), 0)\n"
	"  FROM payments WHERE parent_id = NEW.parent_id AND kind = 'capture'\n"
	"  AND status IN ('pending','succeeded'))\n"
	"  > (SELECT amount FROM payments WHERE id = NEW.parent_id AND status = 'succeeded')\n"
	"BEGIN SELECT RAISE(ABORT, 'capture exceeds the authorization'); END;\n"
	"CREATE TRIGGER payments_refund_limit BEFORE INSERT ON payments\n"
	"WHEN NEW.kind = 'refund' AND NEW.amount + (SELECT coalesce(sum(amount), 0)\n"
	"  FROM payments WHERE parent_id = NEW.parent_id AND kind = 'refund'\n"
	"  AND status IN ('pending','succeeded'))\n"
	"  > (SELECT coalesce(sum(amount), 0) FROM payments WHERE parent_id = NEW.parent_id\n"
	"  AND kind = 'capture' AND status = 'succeeded')\n"
	"BEGIN SELECT RAISE(ABORT, 'refund exceeds what was captured'); END;\n"
	"CREATE TRIGGER payments_final BEFORE UPDATE OF status, amount, idempotency_key ON payments\n"
	"WHEN OLD.status != 'pending' OR NEW.amount != OLD.amount\n"
	"  OR NEW.idempotency_key != OLD.idempotency_key\n"
	"BEGIN SELECT RAISE(ABORT, 'a settled payment does not change'); END;\n"
	"CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN\n"
	"  SELECT RAISE(ABORT, 'payments is append-only');\n"
	"END;\n",

	/* 3: pick lists (waves) and what each order has on them. */
	"CREATE TABLE pick_lists (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed','cancelled')),\n"
	"  ship_method TEXT,\n"
	"  created_at TEXT NOT NULL,\n"
	"  created_by TEXT NOT NULL,\n"
	"  confirmed_at TEXT,\n"
	"  confirmed_by TEXT\n"
	");\n"
	"CREATE TABLE pick_lines (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  list_id INTEGER NOT NULL REFERENCES pick_lists (id),\n"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
	"  line_id INTEGER NOT NULL REFERENCES order_lines (id),\n"
	"  sku TEXT NOT NULL,\n"
	"  bin TEXT,\n"
	"  qty INTEGER NOT NULL CHECK (qty > 0),\n"
	"  picked INTEGER CHECK (picked IS NULL OR (picked >= 0 AND picked <= qty))\n"
	");\n"
	"CREATE INDEX pick_lines_list ON pick_lines (list_id);\n"
	"CREATE INDEX pick_lines_order ON pick_lines (order_id);\n",

	/*
	 * 4: shipments and their lines; what each capture was for; which pick
	 * lines are confirmed; the sources' own line IDs (for confirmations);
	 * which shipments each cart was told of; X12 control numbers.
	 */
	"CREATE TABLE shipments (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
	"  status TEXT NOT NULL DEFAULT 'shipped' CHECK (status IN ('shipped','void')),\n"
	"  carrier TEXT NOT NULL CHECK (length(carrier) BETWEEN 1 AND 32),\n"
	"  service TEXT NOT NULL CHECK (length(service) BETWEEN 1 AND 64),\n"
	"  tracking TEXT,\n"
	"  packages INTEGER NOT NULL DEFAULT 1 CHECK (packages >= 1),\n"
	"  weight_g INTEGER CHECK (weight_g IS NULL OR weight_g >= 0),\n"
	"  currency TEXT NOT NULL CHECK (length(currency) = 3),\n"
	/* What the carrier charges us, what the goods were worth, what the customer pays. */
	"  cost INTEGER CHECK (cost IS NULL OR cost >= 0),\n"
	"  value INTEGER NOT NULL DEFAULT 0,\n"
	"  shipping_charged INTEGER NOT NULL DEFAULT 0 CHECK (shipping_charged >= 0),\n"
	"  charge INTEGER NOT NULL DEFAULT 0 CHECK (charge >= 0),\n"
	"  shipped_at TEXT NOT NULL,\n"
	"  shipped_by TEXT NOT NULL,\n"
	"  tool TEXT NOT NULL,\n"
	"  origin TEXT,\n"
	"  voided_at TEXT,\n"
	"  voided_by TEXT,\n"
	"  void_reason TEXT,\n"
	"  CHECK ((status = 'void') = (voided_at IS NOT NULL))\n"
	");\n"
	"CREATE INDEX shipments_order ON shipments (order_id);\n"
	"CREATE INDEX shipments_shipped_at ON shipments (shipped_at);\n"
	/* One tracking number is one shipment: a re-imported file records nothing twice. */
	"CREATE UNIQUE INDEX shipments_tracking ON shipments (carrier, tracking)\n"
	"  WHERE tracking IS NOT NULL AND status = 'shipped';\n"
	"CREATE TABLE shipment_lines (\n"
	"  shipment_id INTEGER NOT NULL REFERENCES shipments (id),\n"
	"  line_id INTEGER NOT NULL REFERENCES order_lines (id),\n"
	"  sku TEXT NOT NULL,\n"
	"  qty INTEGER NOT NULL CHECK (qty > 0),\n"
	"  unit_price INTEGER NOT NULL,\n"
	"  PRIMARY KEY (shipment_id, line_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX shipment_lines_sku ON shipment_lines (sku);\n"
	"CREATE TRIGGER shipments_no_delete BEFORE DELETE ON shipments BEGIN\n"
	"  SELECT RAISE(ABORT, 'shipments are voided, not deleted');\n"
	"END;\n"
	"CREATE TRIGGER shipment_lines_no_change BEFORE UPDATE ON shipment_lines BEGIN\n"
	"  SELECT RAISE(ABORT, 'shipment lines do not change');\n"
	"END;\n"
	"CREATE TRIGGER shipment_lines_no_delete BEFORE DELETE ON shipment_lines BEGIN\n"
	"  SELECT RAISE(ABORT, 'shipment lines do not change');\n"
	"END;\n"
	"ALTER TABLE payments ADD COLUMN shipment_id INTEGER REFERENCES shipments (id);\n"
	/*
	 * Migration 2's limit compared with NULL, so let anything through,
	 * when the authorization had not succeeded: none means nothing to take.
	 */
	"DROP TRIGGER payments_capture_limit;\n"
	"CREATE TRIGGER payments_capture_limit BEFORE INSERT ON payments\n"
	"WHEN NEW.kind = 'capture' AND NEW.amount + (SELECT coalesce(sum(amount), 0)\n"
	"  FROM payments WHERE parent_id = NEW.parent_id AND kind = 'capture'\n"
	"  AND status IN ('pending','succeeded'))\n"
	"  > coalesce((SELECT amount FROM payments WHERE id = NEW.parent_id\n"
	"  AND status = 'succeeded'), 0)\n"
	"BEGIN SELECT RAISE(ABORT, 'capture exceeds the authorization'); END;\n"
	"CREATE INDEX payments_shipment ON payments (shipment_id) WHERE shipment_id IS NOT NULL;\n"
	"ALTER TABLE pick_lines ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0\n"
	"  CHECK (confirmed IN (0, 1));\n"
	"UPDATE pick_lines SET confirmed = 1 WHERE picked IS NOT NULL;\n"
	"ALTER TABLE order_lines ADD COLUMN external_line_id TEXT;\n"
	"CREATE TABLE confirmations (\n"
	"  shipment_id INTEGER NOT NULL REFERENCES shipments (id),\n"
	"  format TEXT NOT NULL,\n"
	"  at TEXT NOT NULL,\n"
	"  PRIMARY KEY (shipment_id, format)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE x12_interchanges (\n"
	"  id INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 999999999),\n"
	"  partner TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL\n"
	");\n"
	/*
	 * A shipped order whose capture fails goes on hold(payment) and comes
	 * back to shipped.  Widening a CHECK changes no stored row, so the
	 * table's text is edited in place (sqlite.org/lang_altertable.html,
	 * "making other kinds of table schema changes") rather than copied.
	 */
	"PRAGMA writable_schema = ON;\n"
	"UPDATE sqlite_schema SET sql = replace(sql,\n"
	"  '''allocated'',''picking''))', '''allocated'',''picking'',''shipped''))')\n"
	"  WHERE type = 'table' AND name = 'orders';\n"
	"PRAGMA writable_schema = RESET;\n"
	/* Payments by when they were made: a report of a week reads that week's. */
	"CREATE INDEX payments_created ON payments (created_at);\n",

	/*
	 * 5: returns (RMAs), exchanges and claims, and the refunds made for
	 * them.  A return's money is fixed once it is settled (refunded,
	 * closed or cancelled), and what came back only ever grows: the
	 * triggers hold both, as they hold the payments ledger.
	 */
	"CREATE TABLE returns (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  rma TEXT NOT NULL UNIQUE,\n"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN\n"
	"    ('open','received','refunded','closed','cancelled')),\n"
	"  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 64),\n"
	"  note TEXT,\n"
	/* A claim: lost or damaged on the way, nothing is to come back. */
	"  claim INTEGER NOT NULL DEFAULT 0 CHECK (claim IN (0, 1)),\n"
	"  exchange_order_id INTEGER REFERENCES orders (id),\n"
	"  currency TEXT NOT NULL CHECK (length(currency) = 3),\n"
	/* What the exchange order took off its price: the refund is that much less. */
	"  exchange_credit INTEGER NOT NULL DEFAULT 0 CHECK (exchange_credit >= 0),\n"
	/* The refund's parts, set when it is made: goods - credit - fee + shipping. */
	"  goods INTEGER CHECK (goods IS NULL OR goods >= 0),\n"
	"  fee INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),\n"
	"  shipping INTEGER NOT NULL DEFAULT 0 CHECK (shipping >= 0),\n"
	"  refund INTEGER CHECK (refund IS NULL OR refund >= 0),\n"
	/* gateway: through the order's payment; owed: by the cart or accounts. */
	"  refund_via TEXT CHECK (refund_via IS NULL OR refund_via IN ('gateway','owed')),\n"
	"  created_at TEXT NOT NULL,\n"
	"  created_by TEXT NOT NULL,\n"
	"  updated_at TEXT NOT NULL,\n"
	"  updated_by TEXT NOT NULL,\n"
	"  CHECK (status != 'refunded' OR refund > 0),\n"
	"  CHECK (status != 'closed' OR coalesce(refund, 0) = 0)\n"
	");\n"
	"CREATE INDEX returns_order ON returns (order_id);\n"
	"CREATE INDEX returns_created ON returns (created_at);\n"
	"CREATE INDEX returns_status ON returns (status) WHERE status IN ('open','received');\n"
	"CREATE TABLE return_lines (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  return_id INTEGER NOT NULL REFERENCES returns (id),\n"
	"  line_id INTEGER NOT NULL REFERENCES order_lines (id),\n"
	"  sku TEXT NOT NULL,\n"
	"  qty INTEGER NOT NULL CHECK (qty > 0),\n"
	"  received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= qty),\n"
	"  restocked INTEGER NOT NULL DEFAULT 0 CHECK (restocked >= 0),\n"
	"  scrapped INTEGER NOT NULL DEFAULT 0 CHECK (scrapped >= 0),\n"
	"  unit_price INTEGER NOT NULL,\n"
	/* The line's share of the refund, less any shipping refunded. */
	"  refund INTEGER CHECK (refund IS NULL OR refund >= 0),\n"
	"  UNIQUE (return_id, line_id),\n"
	"  CHECK (received = restocked + scrapped)\n"
	");\n"
	"CREATE INDEX return_lines_line ON return_lines (line_id);\n"
	"CREATE INDEX return_lines_sku ON return_lines (sku);\n"
	"CREATE TRIGGER returns_settled BEFORE UPDATE ON returns\n"
	"WHEN OLD.status IN ('refunded','closed','cancelled')\n"
	"BEGIN SELECT RAISE(ABORT, 'a settled return does not change'); END;\n"
	"CREATE TRIGGER returns_fixed BEFORE UPDATE OF rma, order_id, claim, currency ON returns\n"
	"WHEN NEW.rma != OLD.rma OR NEW.order_id != OLD.order_id OR NEW.claim != OLD.claim\n"
	"  OR NEW.currency != OLD.currency\n"
	"BEGIN SELECT RAISE(ABORT, 'a return''s order and number do not change'); END;\n"
	"CREATE TRIGGER returns_no_delete BEFORE DELETE ON returns BEGIN\n"
	"  SELECT RAISE(ABORT, 'returns are cancelled, not deleted');\n"
	"END;\n"
	"CREATE TRIGGER return_lines_grow BEFORE UPDATE ON return_lines\n"
	"WHEN NEW.return_id != OLD.return_id OR NEW.line_id != OLD.line_id OR NEW.sku != OLD.sku\n"
	"  OR NEW.qty != OLD.qty OR NEW.unit_price != OLD.unit_price\n"
	"  OR NEW.received < OLD.received OR NEW.restocked < OLD.restocked\n"
	"  OR NEW.scrapped < OLD.scrapped\n"
	"  OR (SELECT status FROM returns WHERE id = OLD.return_id) IN ('refunded','closed','cancelled')\n"
	"BEGIN SELECT RAISE(ABORT, 'what a return authorized and received does not shrink'); END;\n"
	"CREATE TRIGGER return_lines_no_delete BEFORE DELETE ON return_lines BEGIN\n"
	"  SELECT RAISE(ABORT, 'returns are cancelled, not deleted');\n"
	"END;\n"
	/* The refund a return made, one payment row, found again by a run that died. */
	"ALTER TABLE payments ADD COLUMN return_id INTEGER REFERENCES returns (id);\n"
	"CREATE INDEX payments_return ON payments (return_id) WHERE return_id IS NOT NULL;\n",

	/*
	 * 6: what every write paid for and nothing used.  order_lines_sku
	 * served only allocation's per-line demand query, which a tally in
	 * memory replaced; every imported line still paid for an entry.  And
	 * a CHECK of a column IN a list of more than two words builds a
	 * temporary table to look the value up in, on every INSERT and on
	 * every UPDATE of the column (SQLite 3.40: about 5 us each, two an
	 * imported order, one a stock move); the same test as a chain of
	 * comparisons builds nothing.  The text is edited in place, as in
	 * migration 4: the constraints mean what they meant, no row changes.
	 */
	"DROP INDEX IF EXISTS order_lines_sku;\n"
	"PRAGMA writable_schema = ON;\n"
	"UPDATE sqlite_schema SET sql = replace(replace(sql,\n"
	"  'CHECK (status IN\n"
	"    (''new'',''verified'',''authorized'',''backordered'',''allocated'',''picking'',\n"
	"     ''shipped'',''hold'',''cancelled''))',\n"
	"  'CHECK (status = ''new'' OR status = ''verified'' OR status = ''authorized''\n"
	"    OR status = ''backordered'' OR status = ''allocated'' OR status = ''picking''\n"
	"    OR status = ''shipped'' OR status = ''hold'' OR status = ''cancelled'')'),\n"
	"  'CHECK (payment_method IN (''card'',''prepaid'',''invoice''))',\n"
	"  'CHECK (payment_method = ''card'' OR payment_method = ''prepaid''\n"
	"    OR payment_method = ''invoice'')')\n"
	"  WHERE type = 'table' AND name = 'orders';\n"
	"UPDATE sqlite_schema SET sql = replace(sql,\n"
	"  'CHECK (kind IN (''receive'',''adjust'',''count'',''reserve'',\n"
	"    ''release'',''ship'',''return'',''short pick''))',\n"
	"  'CHECK (kind = ''receive'' OR kind = ''adjust'' OR kind = ''count''\n"
	"    OR kind = ''reserve'' OR kind = ''release'' OR kind = ''ship'' OR kind = ''return''\n"
	"    OR kind = ''short pick'')')\n"
	"  WHERE type = 'table' AND name = 'stock_moves';\n"
	"UPDATE sqlite_schema SET sql = replace(replace(sql,\n"
	"  'CHECK (kind IN (''authorize'',''capture'',''void'',''refund''))',\n"
	"  'CHECK (kind = ''authorize'' OR kind = ''capture'' OR kind = ''void''\n"
	"    OR kind = ''refund'')'),\n"
	"  'CHECK (status IN (''pending'',''succeeded'',''declined'',''failed''))',\n"
	"  'CHECK (status = ''pending'' OR status = ''succeeded'' OR status = ''declined''\n"
	"    OR status = ''failed'')')\n"
	"  WHERE type = 'table' AND name = 'payments';\n"
	"UPDATE sqlite_schema SET sql = replace(sql,\n"
	"  'CHECK (status IN (''open'',''confirmed'',''cancelled''))',\n"
	"  'CHECK (status = ''open'' OR status = ''confirmed'' OR status = ''cancelled'')')\n"
	"  WHERE type = 'table' AND name = 'pick_lists';\n"
	"PRAGMA writable_schema = RESET;\n",

	/*
	 * 7: what oms-order find looks orders up by, kept with each order by
	 * whatever writes its names or phone (omsi_order_keys): the names
	 * folded (case, accents and punctuation set aside) for a scan, and the
	 * phone's digits backwards for an index, which holds only the orders
	 * that have one.  oms_name_fold() and oms_phone_key() are registered
	 * on every connection (lib/find.c).
	 */
	"ALTER TABLE orders ADD COLUMN name_fold TEXT;\n"
	"ALTER TABLE orders ADD COLUMN phone_key TEXT;\n"
	"UPDATE orders SET name_fold = oms_name_fold(customer_name, ship_name, ship_company,\n"
	"  bill_name, bill_company), phone_key = oms_phone_key(customer_phone);\n"
	"CREATE INDEX orders_phone ON orders (phone_key) WHERE phone_key IS NOT NULL;\n",

	/*
	 * 8: what carts and trading partners call our items (lib/alias.c): a
	 * cart's key for a line without a SKU, a partner's own item number.
	 */
	"CREATE TABLE item_aliases (\n"
	"  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 64),\n"
	"  key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 256),\n"
	"  sku TEXT NOT NULL REFERENCES items (sku),\n"
	"  updated_at TEXT NOT NULL,\n"
	"  PRIMARY KEY (source, key)\n"
	") WITHOUT ROWID;\n",
	/*
	 * 9: what carriers' files need of the catalog.  A weight as the
	 * catalog writes it, exactly: picograms, in which a pound (453.59237
	 * g), an ounce and a gram with their usual decimals are whole, so
	 * that 1310 x 1.5 lb is 1965 lb and is rounded once, by the carrier's
	 * rule, when its file is written.  weight_g (rounded to the gram) goes;
	 * its grams are carried over as they are.  And for customs: the
	 * Harmonized System code (digits), the country of origin (ISO 3166
	 * alpha-2) and a description for the declaration.
	 */
	"ALTER TABLE items ADD COLUMN weight_pg INTEGER\n"
	"  CHECK (weight_pg IS NULL OR weight_pg >= 0);\n"
	"UPDATE items SET weight_pg = weight_g * 1000000000000 WHERE weight_g IS NOT NULL;\n"
	"ALTER TABLE items DROP COLUMN weight_g;\n"
	"ALTER TABLE items ADD COLUMN hs_code TEXT\n"
	"  CHECK (hs_code IS NULL OR length(hs_code) BETWEEN 6 AND 10);\n"
	"ALTER TABLE items ADD COLUMN origin_country TEXT\n"
	"  CHECK (origin_country IS NULL OR length(origin_country) = 2);\n"
	"ALTER TABLE items ADD COLUMN customs_description TEXT;\n",

	/*
	 * 10: what an X12 partner's 850 said that its 856 must say back
	 * (lib/x12_facts.c): the envelope's qualifiers and IDs and the ship-to's
	 * location code per order; per line the unit it was ordered in, how
	 * many eaches one of those is, and the partner's own product IDs.  And
	 * the catalog's units per case, for partners that order by the case.
	 */
	"CREATE TABLE x12_orders (\n"
	"  order_id INTEGER PRIMARY KEY REFERENCES orders (id),\n"
	"  sender_qual TEXT NOT NULL CHECK (length(sender_qual) = 2),\n"
	"  sender_id TEXT NOT NULL CHECK (length(sender_id) BETWEEN 1 AND 15),\n"
	"  receiver_qual TEXT NOT NULL CHECK (length(receiver_qual) = 2),\n"
	"  receiver_id TEXT NOT NULL CHECK (length(receiver_id) BETWEEN 1 AND 15),\n"
	"  gs_sender TEXT NOT NULL,\n"
	"  gs_receiver TEXT NOT NULL,\n"
	"  ship_to_qual TEXT,\n"
	"  ship_to_code TEXT\n"
	");\n"
	"CREATE TABLE x12_lines (\n"
	"  line_id INTEGER PRIMARY KEY REFERENCES order_lines (id),\n"
	"  unit TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 4),\n"
	"  per_unit INTEGER NOT NULL CHECK (per_unit >= 1),\n"
	"  unit_qty INTEGER NOT NULL CHECK (unit_qty >= 1),\n"
	"  product_ids TEXT NOT NULL\n"
	");\n"
	"ALTER TABLE items ADD COLUMN units_per_case INTEGER CHECK (units_per_case >= 1);\n",

	/*
	 * 11: cart lines oms cannot yet name, and lines with nothing to ship.
	 * A line a cart sold without a SKU keeps the cart's own key for it
	 * (item_key: Shopify's line item name, WooCommerce's product and
	 * variation IDs, Amazon's ASIN) and sku '' until an alias maps the key
	 * (lib/alias.c); allocation holds its order (hold_reason 'sku') till
	 * then.  '' rather than NULL: no item has it (items.sku is 1 to 64
	 * characters), so every join and comparison by SKU stays as it was.
	 * needs_shipping 0 (a gift card, a download) is neither reserved nor
	 * picked.  The index finds the lines an alias frees.
	 */
	"ALTER TABLE order_lines ADD COLUMN item_key TEXT"
	"  CHECK (item_key IS NULL OR length(item_key) BETWEEN 1 AND 256);\n"
	"ALTER TABLE order_lines ADD COLUMN needs_shipping INTEGER NOT NULL DEFAULT 1"
	"  CHECK (needs_shipping IN (0, 1));\n"
	"CREATE INDEX order_lines_unresolved ON order_lines (item_key) WHERE sku = '';\n",

	/*
	 * 12: items that never ship (a download, a gift card, a service): a
	 * line of one needs no shipping whatever cart sold it, for the carts
	 * whose orders do not say (WooCommerce's virtual and downloadable
	 * products).
	 */
	"ALTER TABLE items ADD COLUMN ships INTEGER NOT NULL DEFAULT 1 CHECK (ships IN (0, 1));\n",

	/*
	 * 13: orders by e-mail through a 31-bit hash of the address
	 * (omsi_email_key, kept by omsi_order_keys) instead of the address:
	 * an import's e-mails land all over their index, and each batch's
	 * commit wrote most of its pages again; the key's index is a third
	 * of the size.  A lookup compares the address itself too, so a
	 * collision of keys costs a row read, never a wrong order.
	 */
	"ALTER TABLE orders ADD COLUMN email_key INTEGER;\n"
	"UPDATE orders SET email_key = oms_email_key(customer_email);\n"
	"DROP INDEX IF EXISTS orders_email;\n"
	"CREATE INDEX orders_email_key ON orders (email_key) WHERE email_key IS NOT NULL;\n",

	/*
	 * 14: what each waiting order still wants of each SKU, in the fair
	 * order allocation takes stock in (priority, higher first, then
	 * placed_at, then the order's ID), so that the demand before an order
	 * is a range of the key, read from its start and given up once it is
	 * more than there is on hand (lib/backorder.c): its cost is bounded by
	 * the stock, not by the backlog.  An order waits while it is
	 * authorized, backordered, allocated or picking; a line wants what is
	 * neither allocated, shipped nor cancelled, when it takes stock at all
	 * (needs_shipping, a SKU).  The triggers keep it true under every
	 * write; their WHEN clauses let through only what can change it, so a
	 * move between statuses that do not wait, or a shipment of lines with
	 * nothing open, costs the WHEN alone (and the statement journal that
	 * any trigger able to write makes SQLite keep: a few microseconds a
	 * statement).  Statuses are tested by a chain of comparisons, not IN
	 * (migration 6).
	 */
	"CREATE TABLE waiting (\n"
	"  sku TEXT NOT NULL,\n"
	"  neg_priority INTEGER NOT NULL,\n"
	"  placed_at TEXT NOT NULL,\n"
	"  order_id INTEGER NOT NULL,\n"
	"  qty INTEGER NOT NULL CHECK (qty > 0),\n"
	"  PRIMARY KEY (sku, neg_priority, placed_at, order_id)\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO waiting SELECT l.sku, -o.priority, o.placed_at, o.id,\n"
	"  sum(l.qty - l.allocated - l.shipped - l.cancelled) FROM orders o\n"
	"  JOIN order_lines l ON l.order_id = o.id\n"
	"  WHERE (o.status = 'authorized' OR o.status = 'backordered' OR o.status = 'allocated'\n"
	"    OR o.status = 'picking')\n"
	"  AND l.needs_shipping = 1 AND l.sku <> '' AND l.qty > l.allocated + l.shipped + l.cancelled\n"
	"  GROUP BY o.id, l.sku;\n"
	/*
	 * An order that starts to wait brings its lines' wants (an order's
	 * lines of one SKU are summed); one that stops takes them away, when
	 * it has any (a shipped order has none left); one that moves in the
	 * fair order moves them.  One trigger, not one for each: every trigger
	 * that fires is a subprogram run, WHEN and all.
	 */
	"CREATE TRIGGER waiting_order AFTER UPDATE OF status, priority, placed_at ON orders\n"
	"WHEN (NOT (OLD.status = 'authorized' OR OLD.status = 'backordered'\n"
	"      OR OLD.status = 'allocated' OR OLD.status = 'picking')\n"
	"    AND (NEW.status = 'authorized' OR NEW.status = 'backordered'\n"
	"      OR NEW.status = 'allocated' OR NEW.status = 'picking'))\n"
	"  OR ((OLD.status = 'authorized' OR OLD.status = 'backordered'\n"
	"      OR OLD.status = 'allocated' OR OLD.status = 'picking')\n"
	"    AND (NOT (NEW.status = 'authorized' OR NEW.status = 'backordered'\n"
	"      OR NEW.status = 'allocated' OR NEW.status = 'picking')\n"
	"      OR NEW.priority IS NOT OLD.priority OR NEW.placed_at IS NOT OLD.placed_at)\n"
	"    AND EXISTS (SELECT 1 FROM order_lines WHERE order_id = OLD.id AND needs_shipping = 1\n"
	"      AND sku <> '' AND qty > allocated + shipped + cancelled))\n"
	"BEGIN\n"
	"  DELETE FROM waiting WHERE (OLD.status = 'authorized' OR OLD.status = 'backordered'\n"
	"      OR OLD.status = 'allocated' OR OLD.status = 'picking')\n"
	"    AND sku IN (SELECT sku FROM order_lines WHERE order_id = OLD.id)\n"
	"    AND neg_priority = -OLD.priority AND placed_at = OLD.placed_at AND order_id = OLD.id;\n"
	"  INSERT INTO waiting SELECT sku, -NEW.priority, NEW.placed_at, NEW.id,\n"
	"    qty - allocated - shipped - cancelled FROM order_lines\n"
	"    WHERE (NEW.status = 'authorized' OR NEW.status = 'backordered'\n"
	"      OR NEW.status = 'allocated' OR NEW.status = 'picking')\n"
	"    AND order_id = NEW.id AND needs_shipping = 1 AND sku <> ''\n"
	"    AND qty > allocated + shipped + cancelled\n"
	"    ON CONFLICT (sku, neg_priority, placed_at, order_id) DO UPDATE SET qty = qty + excluded.qty;\n"
	"END;\n"
	/*
	 * Nothing on INSERT: an order is made new and its lines after it
	 * (order_lines.order_id is a foreign key), and a line is added to an
	 * order that may wait only by oms-order edit, which brings table
	 * waiting up to date itself (omsi_waiting_refresh).  Every imported
	 * order and line would pay for such a trigger: one that can write makes
	 * its statement keep a statement journal, a copy of each page it
	 * touches (measured: a third more CPU for oms-import).  A delete of an
	 * order (not done by the tools) finds its lines gone first.
	 */
	"CREATE TRIGGER waiting_order_delete AFTER DELETE ON orders\n"
	"WHEN OLD.status = 'authorized' OR OLD.status = 'backordered' OR OLD.status = 'allocated'\n"
	"  OR OLD.status = 'picking'\n"
	"BEGIN\n"
	"  DELETE FROM waiting WHERE sku IN (SELECT sku FROM order_lines WHERE order_id = OLD.id)\n"
	"    AND neg_priority = -OLD.priority AND placed_at = OLD.placed_at AND order_id = OLD.id;\n"
	"END;\n"
	/*
	 * A line's part in it: its order's row for its SKU is read again from
	 * the order's lines of that SKU (an order has few).  An update of a
	 * line that moves it to another SKU or order does so for the old too.
	 */
	"CREATE TRIGGER waiting_line_delete AFTER DELETE ON order_lines\n"
	"WHEN OLD.needs_shipping = 1 AND OLD.sku <> ''\n"
	"  AND OLD.qty > OLD.allocated + OLD.shipped + OLD.cancelled\n"
	"  AND EXISTS (SELECT 1 FROM orders WHERE id = OLD.order_id AND (status = 'authorized'\n"
	"    OR status = 'backordered' OR status = 'allocated' OR status = 'picking'))\n"
	"BEGIN\n"
	"  DELETE FROM waiting WHERE sku = OLD.sku AND (neg_priority, placed_at, order_id) =\n"
	"    (SELECT -priority, placed_at, id FROM orders WHERE id = OLD.order_id);\n"
	"  INSERT INTO waiting SELECT l.sku, -o.priority, o.placed_at, o.id,\n"
	"    sum(l.qty - l.allocated - l.shipped - l.cancelled) FROM orders o\n"
	"    JOIN order_lines l ON l.order_id = o.id WHERE o.id = OLD.order_id AND l.sku = OLD.sku\n"
	"    AND l.needs_shipping = 1 AND l.qty > l.allocated + l.shipped + l.cancelled\n"
	"    GROUP BY l.sku;\n"
	"END;\n"
	"CREATE TRIGGER waiting_line AFTER UPDATE OF qty, allocated, shipped, cancelled, sku,\n"
	"  needs_shipping, order_id ON order_lines\n"
	"WHEN ((OLD.needs_shipping = 1 AND OLD.sku <> ''\n"
	"    AND OLD.qty > OLD.allocated + OLD.shipped + OLD.cancelled)\n"
	"  OR (NEW.needs_shipping = 1 AND NEW.sku <> ''\n"
	"    AND NEW.qty > NEW.allocated + NEW.shipped + NEW.cancelled))\n"
	"  AND (NEW.qty - NEW.allocated - NEW.shipped - NEW.cancelled\n"
	"    IS NOT OLD.qty - OLD.allocated - OLD.shipped - OLD.cancelled\n"
	"    OR NEW.needs_shipping IS NOT OLD.needs_shipping OR NEW.sku IS NOT OLD.sku\n"
	"    OR NEW.order_id IS NOT OLD.order_id)\n"
	"BEGIN\n"
	/* Moved to another SKU or order: the old one's row first. */
	"  DELETE FROM waiting WHERE (NEW.sku IS NOT OLD.sku OR NEW.order_id IS NOT OLD.order_id)\n"
	"    AND sku = OLD.sku AND (neg_priority, placed_at, order_id) =\n"
	"    (SELECT -priority, placed_at, id FROM orders WHERE id = OLD.order_id);\n"
	"  INSERT INTO waiting SELECT l.sku, -o.priority, o.placed_at, o.id,\n"
	"    sum(l.qty - l.allocated - l.shipped - l.cancelled) FROM orders o\n"
	"    JOIN order_lines l ON l.order_id = o.id\n"
	"    WHERE (NEW.sku IS NOT OLD.sku OR NEW.order_id IS NOT OLD.order_id)\n"
	"    AND o.id = OLD.order_id AND l.sku = OLD.sku\n"
	"    AND (o.status = 'authorized' OR o.status = 'backordered' OR o.status = 'allocated'\n"
	"      OR o.status = 'picking')\n"
	"    AND l.needs_shipping = 1 AND l.qty > l.allocated + l.shipped + l.cancelled\n"
	"    GROUP BY l.sku;\n"
	"  DELETE FROM waiting WHERE sku = NEW.sku AND (neg_priority, placed_at, order_id) =\n"
	"    (SELECT -priority, placed_at, id FROM orders WHERE id = NEW.order_id);\n"
	"  INSERT INTO waiting SELECT l.sku, -o.priority, o.placed_at, o.id,\n"
	"    sum(l.qty - l.allocated - l.shipped - l.cancelled) FROM orders o\n"
	"    JOIN order_lines l ON l.order_id = o.id WHERE o.id = NEW.order_id AND l.sku = NEW.sku\n"
	"    AND (o.status = 'authorized' OR o.status = 'backordered' OR o.status = 'allocated'\n"
	"      OR o.status = 'picking')\n"
	"    AND l.sku <> '' AND l.needs_shipping = 1 AND l.qty > l.allocated + l.shipped + l.cancelled\n"
	"    GROUP BY l.sku;\n"
	"END;\n",

	/*
	 * 15: table waiting kept by the code that changes what an order wants
	 * (lib/backorder.c: omsi_waiting_add, _forget, _refresh), not by
	 * triggers.  Every status change and line update in every step paid
	 * for them, the WHEN clauses and the statement journal a trigger able
	 * to write makes SQLite keep: a quarter of allocation's instructions.
	 * And each driver would need its own.  oms-db check still tests the
	 * table against the orders (lib/dbcheck.c).
	 */
	"DROP TRIGGER waiting_order;\n"
	"DROP TRIGGER waiting_order_delete;\n"
	"DROP TRIGGER waiting_line_delete;\n"
	"DROP TRIGGER waiting_line;\n",

	/*
	 * 16: payments by time with what the payments report adds up of each
	 * (its kind, status, amount and currency), so that the report reads
	 * this index alone, in time order, and never the table's rows, which
	 * are three times as wide (gateway, keys, references, who).  It
	 * replaces the index on created_at alone, which every query of it
	 * still uses: a payment's write keeps one index, only wider, though
	 * the update of its status now moves its entry (oms-auth: 5% more
	 * instructions).
	 */
	"DROP INDEX payments_created;\n"
	"CREATE INDEX payments_created\n"
	"  ON payments (created_at, kind, status, amount, currency);\n",

	/*
	 * 17: stock kept the ledger's sum by the one function that writes the
	 * ledger (oms_stock_move in lib/stock.c), not by a trigger: the
	 * trigger's program, run for each move, was a fifth of a move's
	 * instructions (oms-backorder -a: 5% of them), and each driver needed
	 * its own.  The CHECKs of stock still refuse an oversell, and oms-db
	 * check still tests stock against the ledger (lib/dbcheck.c).
	 */
	"DROP TRIGGER stock_moves_apply;\n",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int
oms_db_schema_version(void)
{
	return NMIGRATIONS;
}

static int
pragma_int(struct oms *o, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(o->db, sql, -1, &st, NULL) != SQLITE_OK)
		return omsi_db_error(o, "read header");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return omsi_db_error(o, "read header");
	return OMS_OK;
}

/* check_identity says whether the file is ours, or empty and free to become ours. */
static int
check_identity(struct oms *o, int *version)
{
	int app, tables;

	if (pragma_int(o, "PRAGMA application_id", &app) != OMS_OK ||
	    pragma_int(o, "PRAGMA user_version", version) != OMS_OK ||
	    pragma_int(o, "SELECT count(*) FROM sqlite_schema", &tables) != OMS_OK)
		return OMS_ESYS;
	if (app == OMS_APPLICATION_ID)
		return OMS_OK;
	if (app == 0 && tables == 0 && *version == 0) {
		if (o->opts.create)
			return OMS_OK;
		oms_warnx("%s: no such oms database, only an empty SQLite file (create it with: "
		    "oms-db init %s)", o->db_path, o->db_path);
		return OMS_EUSAGE;
	}
	oms_warnx("%s: not an oms database (left untouched)", o->db_path);
	return OMS_ESYS;
}

int
omsi_migrate(struct oms *o)
{
	char sql[64];
	int version, rc;

	if ((rc = check_identity(o, &version)) != OMS_OK)
		return rc;
	if (version > NMIGRATIONS) {
		oms_warnx("%s: database schema version %d is newer than this oms (%s, version %d): "
		    "upgrade oms", o->db_path, version, OMS_VERSION, NMIGRATIONS);
		return OMS_ESYS;
	}
	if (version == NMIGRATIONS)
		return OMS_OK;
	/* An upgrade is a write: not for a reader, nor for a dry run. */
	if (o->opts.readonly || o->opts.dry_run) {
		oms_warnx("%s: database schema version %d is older than this oms's (%d); "
		    "upgrade it with: oms-db init %s", o->db_path, version, NMIGRATIONS, o->db_path);
		return OMS_EUSAGE;
	}
	/* Persistent in the file; cannot change inside a transaction. */
	if (omsi_exec_script(o, "PRAGMA journal_mode = WAL") != OMS_OK)
		return OMS_ESYS;
	if (oms_begin(o) != OMS_OK)
		return OMS_ESYS;
	/* Another process may have migrated while we waited for the lock. */
	if ((rc = check_identity(o, &version)) != OMS_OK) {
		oms_rollback(o);
		return rc;
	}
	for (; version < NMIGRATIONS; version++) {
		if (omsi_exec_script(o, migrations[version]) != OMS_OK) {
			oms_rollback(o);
			return OMS_ESYS;
		}
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
	    NMIGRATIONS, OMS_APPLICATION_ID);
	if (omsi_exec_script(o, sql) != OMS_OK) {
		oms_rollback(o);
		return OMS_ESYS;
	}
	return oms_commit(o);
}
