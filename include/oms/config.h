/* config.h: oms.yaml, the site's configuration. */
#ifndef OMS_CONFIG_H
#define OMS_CONFIG_H

#include <stdint.h>

struct oms;
struct oms_node;

/*
 * oms_config_str returns the value of a scalar setting named by its dotted
 * path ("database.synchronous"), or dflt when the file does not set it.
 */
const char *oms_config_str(const struct oms *o, const char *path, const char *dflt);

/* oms_config_node returns the node at a dotted path (a map, say), or NULL. */
const struct oms_node *oms_config_node(const struct oms *o, const char *path);

/* oms_config_currency returns the default currency (setting "currency", USD). */
const char *oms_config_currency(const struct oms *o);

#endif
