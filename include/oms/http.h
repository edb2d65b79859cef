/* http.h: HTTP requests to outside services (carts, gateways, address APIs) over libcurl. */
#ifndef OMS_HTTP_H
#define OMS_HTTP_H

#include <stddef.h>

/*
 * A client: the settings every request shares (timeouts, retries,
 * credentials, headers) and a connection cache.  One per service per run;
 * not to be shared between threads.
 *
 * libcurl's global state: each client takes a reference on it
 * (curl_global_init in oms_http_new, curl_global_cleanup in oms_http_free;
 * libcurl counts them), so a tool needs no set-up of its own.  A tool that
 * starts threads must make its first client before it does.
 *
 * Secrets (passwords, tokens) are copied into the client, wiped when it is
 * freed, and never written to a message; libcurl's tracing is never turned
 * on.  They are sent only over https, or over plain http to this machine's
 * loopback address (the test fakes): anywhere else a request with
 * credentials fails before anything is sent.
 */
struct oms_http;

/* Defaults: what a request may take before it is given up. */
#define OMS_HTTP_CONNECT_MS	10000	/* to connect (TCP and TLS) */
#define OMS_HTTP_TOTAL_MS	30000	/* for the whole of one attempt */
#define OMS_HTTP_TRIES		3	/* attempts, the first included */
#define OMS_HTTP_BACKOFF_MS	500	/* wait before the second; doubles after */
#define OMS_HTTP_MAX_BODY	((size_t)64 << 20)	/* a longer response is an error */

/*
 * oms_http_new makes a client with the defaults above.  NULL when out of
 * memory or libcurl cannot start (err says which).
 */
struct oms_http *oms_http_new(char *err, size_t errlen);

/* oms_http_free closes the client's connections and wipes its secrets; NULL is fine. */
void oms_http_free(struct oms_http *h);

/* oms_http_set_timeouts sets the connect and per-attempt timeouts, in milliseconds (> 0). */
void oms_http_set_timeouts(struct oms_http *h, long connect_ms, long total_ms);

/*
 * oms_http_set_retries sets how many attempts a request gets (>= 1) and the
 * wait before the second (doubling for each one after).
 */
void oms_http_set_retries(struct oms_http *h, int tries, long backoff_ms);

/* oms_http_set_max_body sets the largest response body kept (> 0). */
void oms_http_set_max_body(struct oms_http *h, size_t max);

/*
 * oms_http_parse_seconds reads a time limit written as text (from the
 * environment or oms.yaml): seconds, a decimal with at most 3 fraction
 * digits, more than 0 and at most 3600.  oms_http_parse_tries reads a
 * number of attempts, 1 to 10.  Each returns 0, or -1 when s is not one
 * (the caller says where it came from).
 */
int oms_http_parse_seconds(const char *s, long *ms);
int oms_http_parse_tries(const char *s, int *tries);

/*
 * oms_http_from_env applies OMS_HTTP_TIMEOUT, OMS_HTTP_CONNECT_TIMEOUT and
 * OMS_HTTP_TRIES (oms(7), ENVIRONMENT) when they are set.  Returns OMS_OK,
 * or OMS_EUSAGE after saying which is not a value.
 */
int oms_http_from_env(struct oms_http *h);

/*
 * oms_http_set_basic_auth sends HTTP basic authentication with every
 * request (user and password copied); oms_http_set_bearer a bearer token
 * instead.  Each replaces the other.  Return 0, or -1 when out of memory.
 */
int oms_http_set_basic_auth(struct oms_http *h, const char *user, const char *password);
int oms_http_set_bearer(struct oms_http *h, const char *token);

/*
 * oms_http_add_header adds a header line ("Name: value") to every request
 * from now on.  Returns 0, or -1 when it is not one line of the form
 * "Name: value" or memory runs out.
 */
int oms_http_add_header(struct oms_http *h, const char *line);

/* One request. */
struct oms_http_request {
	const char *method;		/* NULL: GET, or POST when there is a body */
	const char *url;
	const char *body;		/* NULL: none */
	size_t body_len;
	const char *content_type;	/* of the body ("application/x-www-form-urlencoded") */
	const char *const *headers;	/* more "Name: value" lines for this request; NULL-ended */
	/*
	 * Whether sending the request twice does no harm.  GET, HEAD, PUT,
	 * DELETE and OPTIONS always are; a POST is when it carries an
	 * Idempotency-Key the server honours.  A request that is not is
	 * retried only when it surely never reached the server (no connection,
	 * or HTTP 429).
	 */
	int idempotent;
};

/* What came back. */
struct oms_http_response {
	long status;		/* HTTP status code */
	char *reason;		/* its reason phrase ("Not Found"), maybe "" */
	char *body;		/* NUL-terminated (len bytes before the NUL; may hold NULs) */
	size_t len;
	char **headers;		/* the final response's header lines, "Name: value" */
	size_t nheaders;
	int tries;		/* attempts made */
};

/*
 * oms_http_do sends a request, retrying with backoff what may succeed on
 * another attempt: no connection, a timeout, a broken transfer, HTTP 429
 * (waiting as Retry-After asks, up to a minute) and 5xx (these last when the
 * request is idempotent, above); never another 4xx, and no redirect is
 * followed (a 3xx comes back).  Each attempt has the whole timeout, so a
 * request can take tries times it, plus the waits between.  Returns 0 when a
 * response came (whatever its status: after the last attempt, a 429 or 5xx
 * comes back as it is), with *r filled in (free it with
 * oms_http_response_free, also after -1).  Returns -1 when none came, with
 * err saying why ("cannot connect: Connection refused (3 tries)"): the
 * message never holds the URL, so the caller puts oms_http_redact's in
 * front.
 */
int oms_http_do(struct oms_http *h, const struct oms_http_request *rq,
    struct oms_http_response *r, char *err, size_t errlen);

/* oms_http_get and oms_http_post are oms_http_do for the common cases. */
int oms_http_get(struct oms_http *h, const char *url, struct oms_http_response *r,
    char *err, size_t errlen);
int oms_http_post(struct oms_http *h, const char *url, const char *content_type,
    const char *body, size_t len, const char *const *headers, int idempotent,
    struct oms_http_response *r, char *err, size_t errlen);

/* oms_http_response_free frees what a response holds (not the struct). */
void oms_http_response_free(struct oms_http_response *r);

/*
 * oms_http_header returns the value of a response header (name matched
 * without regard to case; the first if repeated), or NULL.
 */
const char *oms_http_header(const struct oms_http_response *r, const char *name);

/*
 * oms_http_status_error describes a response the caller will not take, for
 * its messages: "HTTP 500 Internal Server Error: DETAIL (3 tries)", where
 * detail is what the caller makes of the body (NULL or "" for nothing).
 */
void oms_http_status_error(const struct oms_http_response *r, const char *detail, char *err,
    size_t errlen);

/*
 * oms_http_secret_ok says whether credentials may be sent to url: 1 over
 * https or to a loopback address, 0 otherwise, -1 when it is not a URL.
 * oms_http_do checks it; a caller may check first, to call a plain http
 * address the configuration error it is.
 */
int oms_http_secret_ok(const char *url);

/*
 * oms_http_redact writes url for a message: without user name and password,
 * and with the values of query parameters whose names suggest a secret
 * (holding key, secret, token, password, passwd, signature or auth)
 * replaced by "REDACTED".
 * Returns out.
 */
char *oms_http_redact(const char *url, char *out, size_t outlen);

/*
 * oms_http_escape percent-encodes s for a query or form value (all but
 * RFC 3986's unreserved characters).  The result is the caller's to free;
 * NULL when out of memory.
 */
char *oms_http_escape(const char *s);

#endif
