/* import_woo.c: WooCommerce REST v3 orders.  (Being written.) */
#include <err.h>

#include <oms/import.h>
#include <oms/oms.h>
#include <oms/woo.h>

int
oms_import_woo_json(struct oms_import *imp, FILE *f, const char *name)
{
	warnx("%s: woocommerce json is not supported yet", name);
	return OMS_EUSAGE;
}

int
oms_import_woo_url(struct oms_import *imp, const char *url)
{
	warnx("%s: --from is not supported yet", url);
	return OMS_EUSAGE;
}
