/* util.c: allocation that reports, bounded messages, UTF-8 checks. */

#include <oms/diag.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

char *
omsi_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		oms_warnx("out of memory");
	return p;
}

void *
omsi_grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? 2 * *cap : 16;
	void *more;

	if (n < *cap)
		return v;
	if (want > SIZE_MAX / size || (more = realloc(v, want * size)) == NULL) {
		oms_warnx("out of memory");
		return NULL;
	}
	*cap = want;
	return more;
}

size_t
omsi_hash_str(const char *s)
{
	size_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void *
omsi_calloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		oms_warnx("out of memory");
	return p;
}

void
omsi_fmt_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
omsi_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	unsigned c;
	int n;

	while (p < end) {
		/* Eight bytes at a time while they are ASCII and not NUL: nearly all text. */
		while (end - p >= 8) {
			uint64_t w;

			memcpy(&w, p, 8);
			/* A high bit, or a byte whose low seven bits are all 0 after the or. */
			if (((w | ~((w | 0x8080808080808080ULL) - 0x0101010101010101ULL)) &
			    0x8080808080808080ULL) != 0)
				break;
			p += 8;
		}
		if (p == end)
			break;
		c = *p++;
		if (c == 0)
			return 0;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			return 0;
		if (end - p < n)
			return 0;
		/* Overlongs, surrogates and values past U+10FFFF are not UTF-8. */
		if ((c == 0xe0 && p[0] < 0xa0) || (c == 0xed && p[0] > 0x9f) ||
		    (c == 0xf0 && p[0] < 0x90) || (c == 0xf4 && p[0] > 0x8f))
			return 0;
		while (n-- > 0)
			if ((*p++ & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

FILE *
omsi_slurp(FILE *f, const char *name, char **buf)
{
	size_t len = 0, cap = 0, n;
	char *b = NULL, *nb;
	FILE *m;

	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 262144;
			if ((nb = realloc(b, cap)) == NULL) {
				free(b);
				oms_warnx("%s: out of memory", name);
				return NULL;
			}
			b = nb;
		}
		n = fread(b + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		oms_warnx("%s: %s", name, strerror(errno));
		free(b);
		return NULL;
	}
	/* fmemopen of zero bytes fails; an empty input is still an input. */
	if ((m = fmemopen(len ? b : (char *)"", len, "r")) == NULL) {
		oms_warnx("%s: %s", name, strerror(errno));
		free(b);
		return NULL;
	}
	*buf = b;
	return m;
}

char *
omsi_shown(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (s[i] != '\0')
		while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
			i--;
	buf[i] = '\0';
	return buf;
}

int
omsi_dl_load(const char *lib, const char *package, const char *const *names,
    void *const *fns, size_t n, char *err, size_t errlen)
{
	void *dl, *p;
	size_t i;

	if ((dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		omsi_fmt_err(err, errlen, "cannot load %s (apt-get install %s): %s", lib, package,
		    dlerror());
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((p = dlsym(dl, names[i])) == NULL) {
			omsi_fmt_err(err, errlen, "%s has no %s: it is older than oms needs", lib,
			    names[i]);
			return -1;
		}
		/* ISO C has no cast from an object pointer to a function pointer: copy it. */
		memcpy(fns[i], &p, sizeof p);
	}
	return 0;
}
