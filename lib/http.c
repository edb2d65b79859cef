/*
 * http.c: HTTP requests over libcurl for the outside services: timeouts,
 * bounded retries with backoff, a capped response, and no secret in any
 * message.
 */
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include <oms/http.h>
#include <oms/money.h>
#include <oms/oms.h>
#include <oms/diag.h>

#include "internal.h"

/* Bounds on what a response's headers can make us hold. */
#define MAX_HEADERS		256
#define MAX_HEADER_BYTES	(256 * 1024)
/* The longest a server's Retry-After makes us wait between two attempts. */
#define MAX_RETRY_AFTER_MS	60000L
/* The longest wait our own backoff reaches, however many tries are allowed. */
#define MAX_BACKOFF_MS		30000L

/*
 * libcurl is loaded when a tool first needs it, not linked: it brings TLS,
 * Kerberos, LDAP and thirty more libraries into every start (about 5 ms, six
 * times what an oms tool needs to start), and most runs of the tools that
 * can talk HTTP (an import of a file, a ship run with the test gateway)
 * never do.  The functions are held by whoever loaded them: no global state.
 */
#define LIBCURL "libcurl.so.4"

struct curl_api {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_perform)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
	void (*url_cleanup)(CURLU *);
	void (*free)(void *);
};

/* curl_load fills c from libcurl; -1 with err when it cannot be loaded. */
static int
curl_load(struct curl_api *c, char *err, size_t errlen)
{
	static const char *const names[] = {
		"curl_global_init", "curl_global_cleanup", "curl_easy_init", "curl_easy_cleanup",
		"curl_easy_reset", "curl_easy_setopt", "curl_easy_getinfo", "curl_easy_perform",
		"curl_easy_strerror", "curl_slist_append", "curl_slist_free_all", "curl_url",
		"curl_url_set", "curl_url_get", "curl_url_cleanup", "curl_free",
	};
	void *const fns[] = {
		&c->global_init, &c->global_cleanup, &c->easy_init, &c->easy_cleanup,
		&c->easy_reset, &c->easy_setopt, &c->easy_getinfo, &c->easy_perform,
		&c->easy_strerror, &c->slist_append, &c->slist_free_all, &c->url,
		&c->url_set, &c->url_get, &c->url_cleanup, &c->free,
	};

	return omsi_dl_load(LIBCURL, "libcurl4", names, fns, sizeof names / sizeof names[0],
	    err, errlen);
}

struct oms_http {
	struct curl_api api;
	CURL *curl;		/* reused, so connections are too */
	long connect_ms;	/* connect timeout */
	long total_ms;		/* timeout of one attempt */
	int tries;		/* attempts per request, >= 1 */
	long backoff_ms;	/* wait before the second attempt */
	size_t max_body;	/* longest response body kept */
	char *user, *password;	/* basic auth, or NULL */
	char *bearer;		/* bearer token, or NULL */
	char **headers;		/* "Name: value" lines sent with every request */
	size_t nheaders;
	char errbuf[CURL_ERROR_SIZE];	/* libcurl's words for the last failure */
};

/* What the callbacks fill in during one attempt. */
struct transfer {
	struct oms_http *h;
	struct oms_http_response *r;
	size_t cap;		/* bytes allocated for r->body */
	size_t header_bytes;	/* held in r->headers */
	int too_large;		/* the body went past max_body */
	int headers_too_large;
	int nomem;
};

/* wipe frees a secret after overwriting it, so it does not linger in freed memory. */
static void
wipe(char **p)
{
	if (*p == NULL)
		return;
	explicit_bzero(*p, strlen(*p));
	free(*p);
	*p = NULL;
}

struct oms_http *
oms_http_new(char *err, size_t errlen)
{
	struct oms_http *h;
	CURLcode cc;

	if ((h = calloc(1, sizeof *h)) == NULL) {
		omsi_fmt_err(err, errlen, "out of memory");
		return NULL;
	}
	if (curl_load(&h->api, err, errlen) != 0) {
		free(h);
		return NULL;
	}
	/* libcurl counts these; oms_http_free gives the reference back. */
	if ((cc = h->api.global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		omsi_fmt_err(err, errlen, "cannot start libcurl: %s", h->api.easy_strerror(cc));
		free(h);
		return NULL;
	}
	if ((h->curl = h->api.easy_init()) == NULL) {
		omsi_fmt_err(err, errlen, "cannot start libcurl: out of memory");
		h->api.global_cleanup();
		free(h);
		return NULL;
	}
	h->connect_ms = OMS_HTTP_CONNECT_MS;
	h->total_ms = OMS_HTTP_TOTAL_MS;
	h->tries = OMS_HTTP_TRIES;
	h->backoff_ms = OMS_HTTP_BACKOFF_MS;
	h->max_body = OMS_HTTP_MAX_BODY;
	return h;
}

void
oms_http_free(struct oms_http *h)
{
	size_t i;

	if (h == NULL)
		return;
	h->api.easy_cleanup(h->curl);
	h->api.global_cleanup();
	wipe(&h->user);
	wipe(&h->password);
	wipe(&h->bearer);
	/* An extra header may carry a key too (X-Api-Key). */
	for (i = 0; i < h->nheaders; i++)
		wipe(&h->headers[i]);
	free(h->headers);
	free(h);
}

void
oms_http_set_timeouts(struct oms_http *h, long connect_ms, long total_ms)
{
	if (connect_ms > 0)
		h->connect_ms = connect_ms;
	if (total_ms > 0)
		h->total_ms = total_ms;
}

void
oms_http_set_retries(struct oms_http *h, int tries, long backoff_ms)
{
	if (tries >= 1)
		h->tries = tries;
	if (backoff_ms >= 0)
		h->backoff_ms = backoff_ms;
}

void
oms_http_set_max_body(struct oms_http *h, size_t max)
{
	if (max > 0)
		h->max_body = max;
}

int
oms_http_parse_seconds(const char *s, long *ms)
{
	int64_t v;

	/* Through the exact decimal reader: "0.5" is 500 ms, "1e3" is refused. */
	if (s == NULL || oms_decimal_parse(s, 3, &v) != 0 || v <= 0 || v > 3600 * 1000)
		return -1;
	*ms = (long)v;
	return 0;
}

int
oms_http_parse_tries(const char *s, int *tries)
{
	int64_t v;

	if (s == NULL || oms_qty_parse(s, &v) != 0 || v < 1 || v > 10)
		return -1;
	*tries = (int)v;
	return 0;
}

int
oms_http_set_basic_auth(struct oms_http *h, const char *user, const char *password)
{
	wipe(&h->user);
	wipe(&h->password);
	wipe(&h->bearer);
	if ((h->user = strdup(user)) == NULL || (h->password = strdup(password)) == NULL) {
		wipe(&h->user);
		return -1;
	}
	return 0;
}

int
oms_http_set_bearer(struct oms_http *h, const char *token)
{
	wipe(&h->user);
	wipe(&h->password);
	wipe(&h->bearer);
	return (h->bearer = strdup(token)) == NULL ? -1 : 0;
}

/* header_ok says whether line is one "Name: value" header: a token, a colon, no line break. */
static int
header_ok(const char *line)
{
	size_t n = strspn(line, "!#$%&'*+-.^_`|~0123456789"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

	/* A CR or LF would let a value smuggle in a header of its own. */
	return n > 0 && line[n] == ':' && strpbrk(line, "\r\n") == NULL;
}

int
oms_http_add_header(struct oms_http *h, const char *line)
{
	char **more;

	if (!header_ok(line))
		return -1;
	if ((more = realloc(h->headers, (h->nheaders + 1) * sizeof *more)) == NULL)
		return -1;
	h->headers = more;
	if ((h->headers[h->nheaders] = strdup(line)) == NULL)
		return -1;
	h->nheaders++;
	return 0;
}

/* response_clear frees what a response holds and zeroes it, for the next attempt. */
static void
response_clear(struct oms_http_response *r)
{
	size_t i;

	free(r->reason);
	free(r->body);
	for (i = 0; i < r->nheaders; i++)
		free(r->headers[i]);
	free(r->headers);
	memset(r, 0, sizeof *r);
}

void
oms_http_response_free(struct oms_http_response *r)
{
	response_clear(r);
}

/* on_body keeps the body, up to the client's cap. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	struct oms_http_response *r = t->r;
	size_t len = size * n, cap;
	char *b;

	if (len > t->h->max_body - r->len) {
		t->too_large = 1;
		return 0;	/* libcurl stops the transfer */
	}
	if (r->len + len + 1 > t->cap) {
		cap = t->cap ? t->cap : 16384;
		while (cap < r->len + len + 1)
			cap *= 2;
		if ((b = realloc(r->body, cap)) == NULL) {
			t->nomem = 1;
			return 0;
		}
		r->body = b;
		t->cap = cap;
	}
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

/* on_header keeps the final response's status line and headers. */
static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	struct oms_http_response *r = t->r;
	size_t len = size * n, i;
	char **more, *line;

	/* The line end, and the blanks a value may trail (RFC 9110, 5.5). */
	while (len > 0 && strchr("\r\n \t", data[len - 1]) != NULL)
		len--;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue, say): forget the one before. */
		for (i = 0; i < r->nheaders; i++)
			free(r->headers[i]);
		r->nheaders = 0;
		t->header_bytes = 0;
		free(r->reason);
		r->reason = NULL;
		/* "HTTP/1.1 404 Not Found": the reason is what follows the code. */
		for (i = 0; i < len && data[i] != ' '; i++)
			;
		for (i++; i < len && data[i] != ' '; i++)
			;
		i = i < len ? i + 1 : len;
		if ((r->reason = strndup(data + i, len - i)) == NULL) {
			t->nomem = 1;
			return 0;
		}
		return size * n;
	}
	/* The blank line that ends the headers, and obsolete folded lines. */
	if (len == 0 || data[0] == ' ' || data[0] == '\t')
		return size * n;
	if (r->nheaders == MAX_HEADERS || len > MAX_HEADER_BYTES - t->header_bytes) {
		t->headers_too_large = 1;
		return 0;
	}
	if ((more = realloc(r->headers, (r->nheaders + 1) * sizeof *more)) == NULL) {
		t->nomem = 1;
		return 0;
	}
	r->headers = more;
	if ((line = strndup(data, len)) == NULL) {
		t->nomem = 1;
		return 0;
	}
	r->headers[r->nheaders++] = line;
	t->header_bytes += len;
	return size * n;
}

const char *
oms_http_header(const struct oms_http_response *r, const char *name)
{
	size_t i, len = strlen(name);
	const char *v;

	for (i = 0; i < r->nheaders; i++)
		if (strncasecmp(r->headers[i], name, len) == 0 && r->headers[i][len] == ':') {
			v = r->headers[i] + len + 1;
			return v + strspn(v, " \t");
		}
	return NULL;
}

/*
 * loopback says whether a URL's host is this machine, where plain http
 * cannot be overheard: an address literal (a name like 127.0.0.1.example.com
 * is not one), or "localhost", which libcurl resolves to loopback itself.
 */
static int
loopback(const char *host)
{
	struct in_addr a;

	if (inet_pton(AF_INET, host, &a) == 1)
		return (ntohl(a.s_addr) >> 24) == 127;
	return strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0;
}

/* secret_ok is oms_http_secret_ok with libcurl loaded. */
static int
secret_ok(const struct curl_api *c, const char *url)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL;
	int ok = -1;

	if ((u = c->url()) == NULL)
		return -1;
	if (c->url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    c->url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    c->url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		ok = strcasecmp(scheme, "https") == 0 || loopback(host);
	c->free(scheme);
	c->free(host);
	c->url_cleanup(u);
	return ok;
}

int
oms_http_secret_ok(const char *url)
{
	struct curl_api c;
	char err[256];

	/* The request will need libcurl anyway: its parser is the one that reads the URL. */
	if (curl_load(&c, err, sizeof err) != 0) {
		oms_warnx("%s", err);
		return -1;
	}
	return secret_ok(&c, url);
}

/* header_list builds the header lines of one request; NULL with err on a bad one. */
static struct curl_slist *
header_list(struct oms_http *h, const struct oms_http_request *rq, char *err, size_t errlen)
{
	struct curl_slist *l = NULL, *nl;
	char *ct = NULL;
	size_t i;

	for (i = 0; i < h->nheaders; i++) {
		if ((nl = h->api.slist_append(l, h->headers[i])) == NULL)
			goto nomem;
		l = nl;
	}
	for (i = 0; rq->headers != NULL && rq->headers[i] != NULL; i++) {
		if (!header_ok(rq->headers[i])) {
			/* Not echoed: it may hold a key. */
			omsi_fmt_err(err, errlen, "request header %zu is not one line of the form"
			    " \"Name: value\"", i + 1);
			h->api.slist_free_all(l);
			return NULL;
		}
		if ((nl = h->api.slist_append(l, rq->headers[i])) == NULL)
			goto nomem;
		l = nl;
	}
	if (rq->body != NULL && rq->content_type != NULL) {
		if (asprintf(&ct, "Content-Type: %s", rq->content_type) < 0) {
			ct = NULL;
			goto nomem;
		}
		if (!header_ok(ct)) {
			omsi_fmt_err(err, errlen, "the content type is not one line");
			free(ct);
			h->api.slist_free_all(l);
			return NULL;
		}
		if ((nl = h->api.slist_append(l, ct)) == NULL)
			goto nomem;
		l = nl;
		free(ct);
		ct = NULL;
	}
	/* No "100 Continue" round trip: our bodies are small, and some servers never answer it. */
	if ((nl = h->api.slist_append(l, "Expect:")) == NULL)
		goto nomem;
	return nl;
nomem:
	free(ct);
	h->api.slist_free_all(l);
	omsi_fmt_err(err, errlen, "out of memory");
	return NULL;
}

/* SETOPT sets one option in setup, returning libcurl's complaint if it has one. */
#define SETOPT(opt, val) do { \
	if ((cc = h->api.easy_setopt(c, (opt), (val))) != CURLE_OK) \
		return cc; \
} while (0)

/* setup sets the handle for one attempt of rq, from a clean state. */
static CURLcode
setup(struct oms_http *h, const struct oms_http_request *rq, struct curl_slist *hdrs,
    struct transfer *t)
{
	CURL *c = h->curl;
	CURLcode cc;

	/* Options go, the connection cache stays. */
	h->api.easy_reset(c);
	h->errbuf[0] = '\0';
	SETOPT(CURLOPT_ERRORBUFFER, h->errbuf);
	SETOPT(CURLOPT_URL, rq->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SETOPT(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	/* A redirect comes back to the caller: credentials never follow one elsewhere. */
	SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	/* No signals: the tools' own handlers stay theirs. */
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_CONNECTTIMEOUT_MS, h->connect_ms);
	SETOPT(CURLOPT_TIMEOUT_MS, h->total_ms);
	SETOPT(CURLOPT_USERAGENT, "oms/" OMS_VERSION);
	SETOPT(CURLOPT_HTTPHEADER, hdrs);
	/* Compressed is fine: the cap applies to what it inflates to. */
	SETOPT(CURLOPT_ACCEPT_ENCODING, "");
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, t);
	SETOPT(CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(CURLOPT_HEADERDATA, t);
	if (rq->body != NULL) {
		SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
		SETOPT(CURLOPT_POSTFIELDS, rq->body);
	} else if (rq->method != NULL && strcmp(rq->method, "POST") == 0) {
		SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
		SETOPT(CURLOPT_POSTFIELDS, "");
	} else if (rq->method != NULL && strcmp(rq->method, "HEAD") == 0) {
		SETOPT(CURLOPT_NOBODY, 1L);
	} else {
		SETOPT(CURLOPT_HTTPGET, 1L);
	}
	if (rq->method != NULL && strcmp(rq->method, "GET") != 0 &&
	    strcmp(rq->method, "POST") != 0 && strcmp(rq->method, "HEAD") != 0)
		SETOPT(CURLOPT_CUSTOMREQUEST, rq->method);
	if (h->user != NULL) {
		SETOPT(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SETOPT(CURLOPT_USERNAME, h->user);
		SETOPT(CURLOPT_PASSWORD, h->password);
	} else if (h->bearer != NULL) {
		SETOPT(CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		SETOPT(CURLOPT_XOAUTH2_BEARER, h->bearer);
	}
	return CURLE_OK;
}

#undef SETOPT

/* seconds writes a duration for a message: "30 s", "0.5 s". */
static char *
seconds(long ms, char buf[32])
{
	int n;

	if (ms % 1000 == 0) {
		snprintf(buf, 32, "%ld s", ms / 1000);
		return buf;
	}
	n = snprintf(buf, 32, "%ld.%03ld", ms / 1000, ms % 1000);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	snprintf(buf + n, 32 - (size_t)n, " s");
	return buf;
}

/* failure writes why an attempt brought no response, in words that never hold the URL. */
static void
failure(struct oms_http *h, CURLcode cc, const struct transfer *t, char *err, size_t errlen)
{
	char dur[32];
	curl_off_t connected = 0;
	long oserr = 0;

	if (t->too_large) {
		if (h->max_body % (1 << 20) == 0)
			omsi_fmt_err(err, errlen, "the response is larger than %zu MiB",
			    h->max_body >> 20);
		else
			omsi_fmt_err(err, errlen, "the response is larger than %zu bytes",
			    h->max_body);
		return;
	}
	if (t->headers_too_large) {
		omsi_fmt_err(err, errlen, "the response's headers are too large");
		return;
	}
	if (t->nomem) {
		omsi_fmt_err(err, errlen, "out of memory");
		return;
	}
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		if (h->api.easy_getinfo(h->curl, CURLINFO_CONNECT_TIME_T, &connected) == CURLE_OK &&
		    connected == 0)
			omsi_fmt_err(err, errlen, "could not connect within %s", seconds(
			    h->connect_ms < h->total_ms ? h->connect_ms : h->total_ms, dur));
		else
			omsi_fmt_err(err, errlen, "no complete response within %s",
			    seconds(h->total_ms, dur));
		break;
	case CURLE_COULDNT_CONNECT:
		if (h->api.easy_getinfo(h->curl, CURLINFO_OS_ERRNO, &oserr) == CURLE_OK && oserr != 0)
			omsi_fmt_err(err, errlen, "cannot connect: %s", strerror((int)oserr));
		else
			omsi_fmt_err(err, errlen, "cannot connect");
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		omsi_fmt_err(err, errlen, "cannot resolve the host name");
		break;
	case CURLE_GOT_NOTHING:
		omsi_fmt_err(err, errlen, "the server closed the connection without a response");
		break;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
		omsi_fmt_err(err, errlen, "the connection broke during the response");
		break;
	default:
		omsi_fmt_err(err, errlen, "%s", h->errbuf[0] != '\0' ? h->errbuf :
		    h->api.easy_strerror(cc));
		break;
	}
}

/* retry_error says whether a transfer that failed this way may work on another attempt. */
static int
retry_error(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

/* idempotent says whether rq may be sent twice without harm. */
static int
idempotent(const struct oms_http_request *rq)
{
	const char *m = rq->method;

	if (rq->idempotent)
		return 1;
	if (m == NULL)
		return rq->body == NULL;
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "PUT") == 0 ||
	    strcmp(m, "DELETE") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* retry_after reads a Retry-After of whole seconds, in ms; -1 when there is none we can read. */
static long
retry_after(const struct oms_http_response *r)
{
	const char *v = oms_http_header(r, "Retry-After");
	long s = 0;

	/* The HTTP-date form is left to our own backoff. */
	if (v == NULL || *v < '0' || *v > '9')
		return -1;
	for (; *v >= '0' && *v <= '9'; v++)
		if ((s = s * 10 + (*v - '0')) > MAX_RETRY_AFTER_MS / 1000)
			return MAX_RETRY_AFTER_MS;
	return s * 1000;
}

/* pause_ms sleeps, through signals. */
static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int
oms_http_do(struct oms_http *h, const struct oms_http_request *rq, struct oms_http_response *r,
    char *err, size_t errlen)
{
	struct transfer t;
	struct curl_slist *hdrs;
	char tries[32] = "";
	long wait = h->backoff_ms, after, sent;
	CURLcode cc;
	int attempt, again, safe;

	memset(r, 0, sizeof *r);
	if (h->user != NULL || h->bearer != NULL) {
		switch (secret_ok(&h->api, rq->url)) {
		case 1:
			break;
		case 0:
			omsi_fmt_err(err, errlen, "credentials are sent only over https (or to this"
			    " machine's loopback address): refused to send them over plain http");
			return -1;
		default:
			omsi_fmt_err(err, errlen, "not a URL libcurl can read");
			return -1;
		}
	}
	if ((hdrs = header_list(h, rq, err, errlen)) == NULL)
		return -1;
	safe = idempotent(rq);
	for (attempt = 1;; attempt++) {
		response_clear(r);
		memset(&t, 0, sizeof t);
		t.h = h;
		t.r = r;
		if ((cc = setup(h, rq, hdrs, &t)) == CURLE_OK)
			cc = h->api.easy_perform(h->curl);
		r->tries = attempt;
		if (attempt > 1)
			snprintf(tries, sizeof tries, " (%d tries)", attempt);
		if (cc == CURLE_OK) {
			if (h->api.easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status) != CURLE_OK) {
				omsi_fmt_err(err, errlen, "libcurl gave no status code");
				break;
			}
			if (r->reason == NULL && (r->reason = strdup("")) == NULL) {
				omsi_fmt_err(err, errlen, "out of memory");
				break;
			}
			if (r->body == NULL && (r->body = strdup("")) == NULL) {
				omsi_fmt_err(err, errlen, "out of memory");
				break;
			}
			/* A 429 was not acted on; a 5xx may have been, so only what is safe to repeat. */
			again = r->status == 429 || (r->status >= 500 && safe);
			if (!again || attempt >= h->tries) {
				h->api.slist_free_all(hdrs);
				return 0;
			}
			if ((after = retry_after(r)) > wait)
				wait = after;
		} else {
			failure(h, cc, &t, err, errlen);
			/* Not safe to repeat: only when not a byte of the request went out. */
			again = retry_error(cc) && !t.too_large && !t.nomem && !t.headers_too_large &&
			    (safe || (h->api.easy_getinfo(h->curl, CURLINFO_REQUEST_SIZE, &sent) ==
			    CURLE_OK && sent == 0));
			if (!again || attempt >= h->tries) {
				if (strlen(err) + strlen(tries) < errlen)
					strcat(err, tries);
				break;
			}
		}
		pause_ms(wait);
		wait = wait * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : wait * 2;
	}
	h->api.slist_free_all(hdrs);
	return -1;
}

int
oms_http_get(struct oms_http *h, const char *url, struct oms_http_response *r, char *err,
    size_t errlen)
{
	struct oms_http_request rq = { .method = "GET", .url = url };

	return oms_http_do(h, &rq, r, err, errlen);
}

int
oms_http_post(struct oms_http *h, const char *url, const char *content_type, const char *body,
    size_t len, const char *const *headers, int idem, struct oms_http_response *r, char *err,
    size_t errlen)
{
	struct oms_http_request rq = { .method = "POST", .url = url, .body = body ? body : "",
		.body_len = body ? len : 0, .content_type = content_type, .headers = headers,
		.idempotent = idem };

	return oms_http_do(h, &rq, r, err, errlen);
}

void
oms_http_status_error(const struct oms_http_response *r, const char *detail, char *err,
    size_t errlen)
{
	const char *reason = r->reason != NULL ? r->reason : "";
	char tries[32] = "";
	size_t i;
	int printable = 1;

	/* The reason phrase is the server's text: shown only when it is plain. */
	for (i = 0; i < 80 && reason[i] != '\0'; i++)
		if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7f)
			printable = 0;
	if (r->tries > 1)
		snprintf(tries, sizeof tries, " (%d tries)", r->tries);
	omsi_fmt_err(err, errlen, "HTTP %ld%s%.80s%s%s%s", r->status,
	    printable && *reason ? " " : "", printable ? reason : "",
	    detail != NULL && *detail != '\0' ? ": " : "", detail != NULL ? detail : "", tries);
}

/* put appends n bytes to out, as far as it has room, and keeps it terminated. */
static void
put(char *out, size_t outlen, size_t *pos, const char *s, size_t n)
{
	if (*pos + 1 >= outlen)
		return;
	if (n > outlen - 1 - *pos)
		n = outlen - 1 - *pos;
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
}

/* secret_name says whether a query parameter's name suggests its value is a secret. */
static int
secret_name(const char *name, size_t len)
{
	static const char *const words[] = { "key", "secret", "token", "password", "passwd",
		"signature", "auth", NULL };
	size_t i, j, w;

	for (i = 0; words[i] != NULL; i++)
		for (w = strlen(words[i]), j = 0; j + w <= len; j++)
			if (strncasecmp(name + j, words[i], w) == 0)
				return 1;
	return 0;
}

char *
oms_http_redact(const char *url, char *out, size_t outlen)
{
	const char *p = url, *s, *end, *at, *amp, *eq;
	size_t pos = 0, n;

	if (outlen == 0)
		return out;
	out[0] = '\0';
	if ((s = strstr(url, "://")) != NULL) {
		put(out, outlen, &pos, url, (size_t)(s + 3 - url));
		p = s + 3;
		end = p + strcspn(p, "/?#");
		/* The user name and password, up to the last '@' before the path. */
		for (at = NULL, s = p; s < end; s++)
			if (*s == '@')
				at = s;
		if (at != NULL)
			p = at + 1;
	}
	n = strcspn(p, "?#");
	put(out, outlen, &pos, p, n);
	p += n;
	if (*p == '?') {
		put(out, outlen, &pos, "?", 1);
		p++;
		while (*p != '\0' && *p != '#') {
			n = strcspn(p, "&#");
			amp = p + n;
			eq = memchr(p, '=', n);
			if (eq != NULL && secret_name(p, (size_t)(eq - p))) {
				put(out, outlen, &pos, p, (size_t)(eq + 1 - p));
				put(out, outlen, &pos, "REDACTED", 8);
			} else {
				put(out, outlen, &pos, p, n);
			}
			p = amp;
			if (*p == '&') {
				put(out, outlen, &pos, "&", 1);
				p++;
			}
		}
	}
	put(out, outlen, &pos, p, strlen(p));
	return out;
}

char *
oms_http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(s), i;
	char *out, *q;

	if (len > (SIZE_MAX - 1) / 3 || (out = malloc(len * 3 + 1)) == NULL)
		return NULL;
	for (q = out, i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			*q++ = (char)c;
		} else {
			*q++ = '%';
			*q++ = hex[c >> 4];
			*q++ = hex[c & 15];
		}
	}
	*q = '\0';
	return out;
}

int
oms_http_from_env(struct oms_http *h)
{
	static const char *const names[] = { "OMS_HTTP_TIMEOUT", "OMS_HTTP_CONNECT_TIMEOUT",
		"OMS_HTTP_TRIES" };
	const char *v[3];
	long total_ms = 0, connect_ms = 0;
	int i, n = 0;

	for (i = 0; i < 3; i++)
		if ((v[i] = getenv(names[i])) != NULL && *v[i] == '\0')
			v[i] = NULL;
	if ((v[0] != NULL && oms_http_parse_seconds(v[0], &total_ms) != 0) ||
	    (v[1] != NULL && oms_http_parse_seconds(v[1], &connect_ms) != 0)) {
		i = v[0] != NULL && oms_http_parse_seconds(v[0], &total_ms) != 0 ? 0 : 1;
		oms_warnx("%s: \"%.40s\" is not a number of seconds (more than 0, at most 3600)",
		    names[i], v[i]);
		return OMS_EUSAGE;
	}
	if (v[2] != NULL && oms_http_parse_tries(v[2], &n) != 0) {
		oms_warnx("%s: \"%.40s\" is not a number of tries from 1 to 10", names[2], v[2]);
		return OMS_EUSAGE;
	}
	oms_http_set_timeouts(h, connect_ms, total_ms);
	oms_http_set_retries(h, n, -1);
	return OMS_OK;
}
