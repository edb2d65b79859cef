/* addr_service.h: an HTTP JSON address-verification API (oms.yaml: address.service). */
#ifndef OMS_ADDR_SERVICE_H
#define OMS_ADDR_SERVICE_H

#include <stddef.h>

struct oms;
struct oms_address;
struct oms_addr_result;
struct oms_addr_service;

/*
 * oms_addr_service_open sets up the service oms.yaml names, or *svc NULL
 * when it names none.  Credentials come from the environment variables the
 * configuration names.  Returns OMS_OK, or OMS_EUSAGE (reported) for a
 * missing credential or a bad setting.
 */
int oms_addr_service_open(struct oms *o, struct oms_addr_service **svc);

/*
 * oms_addr_service_check asks the service about an address: 0 with res
 * filled as oms_addr_check fills it (verified, or not with the reason), or
 * -1 when the service could not answer (err says why: unreachable, HTTP
 * error, malformed JSON), for the caller's address.on_error policy.
 */
int oms_addr_service_check(struct oms_addr_service *svc, const struct oms_address *in,
    struct oms_addr_result *res, char *err, size_t errlen);

/* oms_addr_service_offline says whether on_error is "offline" (else "hold"). */
int oms_addr_service_offline(const struct oms_addr_service *svc);

void oms_addr_service_close(struct oms_addr_service *svc);

#endif
