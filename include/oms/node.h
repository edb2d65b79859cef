/* node.h: a parsed YAML document as a small tree that remembers where each node was. */
#ifndef OMS_NODE_H
#define OMS_NODE_H

#include <stddef.h>
#include <stdio.h>

enum oms_node_kind { OMS_NODE_SCALAR, OMS_NODE_MAP, OMS_NODE_SEQ };

struct oms_node {
	enum oms_node_kind kind;
	int line, col;		/* 1-based position in the input */
	char *value;		/* scalar text (NUL-terminated, valid UTF-8) */
	int plain;		/* scalar was unquoted: "~" and "null" mean nothing */
	struct oms_node **kids;	/* sequence items; map keys and values alternating */
	size_t nkids;		/* count of kids (twice the pairs of a map) */
};

/* A YAML stream read one document at a time. */
struct oms_yaml;

/*
 * oms_yaml_open starts reading a YAML stream from f; name is used in error
 * messages ("stdin", "oms.yaml").  Returns NULL when out of memory.
 */
struct oms_yaml *oms_yaml_open(FILE *f, const char *name);

/*
 * oms_yaml_next parses the next document.  Returns 1 with *doc set (free it
 * with oms_node_free), 0 at the end of the stream, or -1 with a message
 * "NAME:LINE:COL: WHAT" in err.  After -1 the stream cannot go on.  Anchors,
 * aliases, tags other than the standard ones, and nesting deeper than 64 are
 * refused: no input can make the tree explode.
 */
int oms_yaml_next(struct oms_yaml *y, struct oms_node **doc, char *err, size_t errlen);

/* oms_yaml_close frees the reader (not the documents it returned). */
void oms_yaml_close(struct oms_yaml *y);

/* oms_node_free frees a tree. */
void oms_node_free(struct oms_node *n);

/*
 * oms_node_new makes a node (a scalar holding a copy of value, which is
 * quoted: "null" stays text), at line 0.  NULL when out of memory.
 */
struct oms_node *oms_node_new(enum oms_node_kind kind, const char *value);

/*
 * oms_node_add appends kid to a sequence (key NULL) or under key to a map.
 * The parent owns kid from then on, even on failure (-1, out of memory).
 */
int oms_node_add(struct oms_node *parent, const char *key, struct oms_node *kid);

/*
 * oms_node_from_json turns a JSON value into a tree (line 0 throughout).
 * Strings become quoted scalars; numbers, booleans and null plain ones; a
 * number with more precision than a decimal amount can have is refused.
 * NULL with a message in err.
 */
struct json_t;
struct oms_node *oms_node_from_json(const struct json_t *j, char *err, size_t errlen);

/* oms_node_get returns the value under key in a map, or NULL. */
const struct oms_node *oms_node_get(const struct oms_node *map, const char *key);

/* oms_node_is_null says whether a scalar is YAML's null (~, null, or empty plain). */
int oms_node_is_null(const struct oms_node *n);

/* oms_node_kind_name names a kind for messages ("a map"). */
const char *oms_node_kind_name(enum oms_node_kind k);

#endif
