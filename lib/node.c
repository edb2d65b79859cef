/* node.c: YAML (libyaml's event parser) into oms_node trees, one document at a time. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include <oms/node.h>

#include "internal.h"

#define MAX_DEPTH 64
/* Bounds what one document can make us hold, whatever the input. */
#define MAX_NODES 100000

struct oms_yaml {
	yaml_parser_t parser;
	const char *name;
	int done;		/* stream ended or failed */
	int started;		/* STREAM-START seen */
};

static int
read_handler(void *data, unsigned char *buf, size_t size, size_t *n)
{
	FILE *f = data;

	*n = fread(buf, 1, size, f);
	return !ferror(f);
}

struct oms_yaml *
oms_yaml_open(FILE *f, const char *name)
{
	struct oms_yaml *y = omsi_calloc(1, sizeof *y);

	if (y == NULL)
		return NULL;
	if (!yaml_parser_initialize(&y->parser)) {
		free(y);
		return NULL;
	}
	yaml_parser_set_input(&y->parser, read_handler, f);
	y->name = name;
	return y;
}

void
oms_yaml_close(struct oms_yaml *y)
{
	if (y == NULL)
		return;
	yaml_parser_delete(&y->parser);
	free(y);
}

void
oms_node_free(struct oms_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		oms_node_free(n->kids[i]);
	free(n->kids);
	free(n->value);
	free(n);
}

static struct oms_node *
new_node(enum oms_node_kind kind, const yaml_mark_t *m)
{
	struct oms_node *n = calloc(1, sizeof *n);

	if (n == NULL)
		return NULL;
	n->kind = kind;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

static int
add_kid(struct oms_node *parent, struct oms_node *kid)
{
	struct oms_node **k;

	if ((parent->nkids & (parent->nkids - 1)) == 0) {
		k = realloc(parent->kids, (parent->nkids ? parent->nkids * 2 : 4) * sizeof *k);
		if (k == NULL)
			return -1;
		parent->kids = k;
	}
	parent->kids[parent->nkids++] = kid;
	return 0;
}

static void
parser_error(struct oms_yaml *y, char *err, size_t errlen)
{
	const yaml_mark_t *m = &y->parser.problem_mark, *c = &y->parser.context_mark;
	char began[48] = "";

	if (y->parser.context != NULL && c->line != m->line)
		snprintf(began, sizeof began, " begun on line %zu", c->line + 1);
	omsi_fmt_err(err, errlen, "%s:%zu:%zu: %s%s%s%s", y->name, m->line + 1, m->column + 1,
	    y->parser.problem ? y->parser.problem : "YAML error",
	    y->parser.context ? " " : "", y->parser.context ? y->parser.context : "", began);
}

int
oms_yaml_next(struct oms_yaml *y, struct oms_node **doc, char *err, size_t errlen)
{
	struct oms_node *stack[MAX_DEPTH + 1], *root = NULL, *n;
	yaml_event_t ev;
	int depth = 0, rc = -1, nnodes = 0;
	const char *msg = NULL;

	*doc = NULL;
	if (y->done)
		return 0;
	for (;;) {
		if (!yaml_parser_parse(&y->parser, &ev)) {
			parser_error(y, err, errlen);
			goto fail;
		}
		n = NULL;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			y->done = 1;
			yaml_event_delete(&ev);
			return 0;
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			*doc = root;
			return 1;
		case YAML_ALIAS_EVENT:
			msg = "anchors and aliases are not supported";
			break;
		case YAML_SCALAR_EVENT:
			if (ev.data.scalar.anchor != NULL) {
				msg = "anchors and aliases are not supported";
				break;
			}
			if (!omsi_utf8_valid((const char *)ev.data.scalar.value, ev.data.scalar.length)) {
				msg = "not valid UTF-8 (or holds a NUL byte)";
				break;
			}
			if ((n = new_node(OMS_NODE_SCALAR, &ev.start_mark)) == NULL ||
			    (n->value = malloc(ev.data.scalar.length + 1)) == NULL) {
				msg = "out of memory";
				break;
			}
			memcpy(n->value, ev.data.scalar.value, ev.data.scalar.length);
			n->value[ev.data.scalar.length] = '\0';
			n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if ((ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor :
			    ev.data.mapping_start.anchor) != NULL) {
				msg = "anchors and aliases are not supported";
				break;
			}
			if (depth == MAX_DEPTH) {
				msg = "nested too deep";
				break;
			}
			n = new_node(ev.type == YAML_SEQUENCE_START_EVENT ? OMS_NODE_SEQ : OMS_NODE_MAP,
			    &ev.start_mark);
			if (n == NULL)
				msg = "out of memory";
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (msg == NULL && n != NULL && ++nnodes > MAX_NODES)
			msg = "document too large";
		if (msg != NULL) {
			omsi_fmt_err(err, errlen, "%s:%zu:%zu: %s", y->name, ev.start_mark.line + 1,
			    ev.start_mark.column + 1, msg);
			oms_node_free(n);
			yaml_event_delete(&ev);
			goto fail;
		}
		yaml_event_delete(&ev);
		if (n == NULL)
			continue;
		if (depth == 0) {
			if (root != NULL) {
				oms_node_free(n);
				omsi_fmt_err(err, errlen, "%s: more than one root node", y->name);
				goto fail;
			}
			root = n;
		} else if (add_kid(stack[depth - 1], n) != 0) {
			oms_node_free(n);
			omsi_fmt_err(err, errlen, "%s: out of memory", y->name);
			goto fail;
		}
		if (n->kind != OMS_NODE_SCALAR)
			stack[depth++] = n;
	}
fail:
	oms_node_free(root);
	y->done = 1;
	return rc;
}

struct oms_node *
oms_node_new(enum oms_node_kind kind, const char *value)
{
	struct oms_node *n = calloc(1, sizeof *n);

	if (n == NULL)
		return NULL;
	n->kind = kind;
	if (kind == OMS_NODE_SCALAR && (n->value = strdup(value ? value : "")) == NULL) {
		free(n);
		return NULL;
	}
	return n;
}

int
oms_node_add(struct oms_node *parent, const char *key, struct oms_node *kid)
{
	struct oms_node *k = NULL;

	if (kid == NULL)
		return -1;
	if (key != NULL && ((k = oms_node_new(OMS_NODE_SCALAR, key)) == NULL ||
	    add_kid(parent, k) != 0)) {
		oms_node_free(k);
		oms_node_free(kid);
		return -1;
	}
	if (add_kid(parent, kid) != 0) {
		oms_node_free(kid);
		return -1;
	}
	return 0;
}

const struct oms_node *
oms_node_get(const struct oms_node *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != OMS_NODE_MAP)
		return NULL;
	for (i = 0; i + 1 < map->nkids; i += 2)
		if (map->kids[i]->kind == OMS_NODE_SCALAR && strcmp(map->kids[i]->value, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

int
oms_node_is_null(const struct oms_node *n)
{
	if (n == NULL)
		return 1;
	if (n->kind != OMS_NODE_SCALAR || !n->plain)
		return 0;
	return n->value[0] == '\0' || strcmp(n->value, "~") == 0 || strcmp(n->value, "null") == 0 ||
	    strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0;
}

const char *
oms_node_kind_name(enum oms_node_kind k)
{
	switch (k) {
	case OMS_NODE_SCALAR:
		return "a value";
	case OMS_NODE_MAP:
		return "a map";
	case OMS_NODE_SEQ:
		return "a list";
	}
	return "?";
}

struct oms_node *
oms_node_from_json(const json_t *j, char *err, size_t errlen)
{
	struct oms_node *n = NULL, *kid;
	const char *key;
	json_t *v;
	size_t i;
	char num[40];
	double x;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		if ((n = oms_node_new(OMS_NODE_MAP, NULL)) == NULL)
			goto nomem;
		json_object_foreach((json_t *)j, key, v) {
			if ((kid = oms_node_from_json(v, err, errlen)) == NULL ||
			    oms_node_add(n, key, kid) != 0) {
				oms_node_free(n);
				return NULL;
			}
		}
		return n;
	case JSON_ARRAY:
		if ((n = oms_node_new(OMS_NODE_SEQ, NULL)) == NULL)
			goto nomem;
		json_array_foreach((json_t *)j, i, v) {
			if ((kid = oms_node_from_json(v, err, errlen)) == NULL ||
			    oms_node_add(n, NULL, kid) != 0) {
				oms_node_free(n);
				return NULL;
			}
		}
		return n;
	case JSON_STRING:
		if (!omsi_utf8_valid(json_string_value(j), json_string_length(j))) {
			omsi_fmt_err(err, errlen, "a string holds a NUL byte");
			return NULL;
		}
		if ((n = oms_node_new(OMS_NODE_SCALAR, json_string_value(j))) == NULL)
			goto nomem;
		return n;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		break;
	case JSON_REAL:
		/*
		 * A JSON number is a double: the shortest text that reads back the
		 * same is what the writer meant ("19.99"); any other is refused.
		 */
		x = json_real_value(j);
		snprintf(num, sizeof num, "%.15g", x);
		if (strtod(num, NULL) != x || strpbrk(num, "eE") != NULL) {
			omsi_fmt_err(err, errlen, "the number %.17g is not exact: write amounts as"
			    " strings (\"19.99\")", x);
			return NULL;
		}
		break;
	case JSON_TRUE:
		snprintf(num, sizeof num, "true");
		break;
	case JSON_FALSE:
		snprintf(num, sizeof num, "false");
		break;
	case JSON_NULL:
		snprintf(num, sizeof num, "null");
		break;
	}
	if ((n = oms_node_new(OMS_NODE_SCALAR, num)) == NULL)
		goto nomem;
	n->plain = 1;
	return n;
nomem:
	omsi_fmt_err(err, errlen, "out of memory");
	return NULL;
}
