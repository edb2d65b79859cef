/* ids.c: order IDs and a line reader that can tell when input is ready. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/ids.h>

#include "internal.h"

#define LINE_MAX_BYTES (64 * 1024)

/* What a NUL byte inside a line is given back as: no ID and no text holds it. */
#define NUL_SHOWN '\x7f'

int
oms_id_parse(const char *s, int64_t *id)
{
	int64_t v = 0;
	const char *p = s;

	if (*p < '1' || *p > '9')
		return -1;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*id = v;
	return 0;
}

struct oms_lines {
	int fd;
	int eof;
	int skipping;		/* inside a line too long to keep */
	char *buf;
	size_t start, len, cap;	/* unread bytes are buf[start .. start+len) */
};

struct oms_lines *
oms_lines_open(int fd)
{
	struct oms_lines *r = omsi_calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->fd = fd;
	r->cap = 8192;
	if ((r->buf = malloc(r->cap + 1)) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void
oms_lines_close(struct oms_lines *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

static int
have_line(const struct oms_lines *r)
{
	return r->eof || memchr(r->buf + r->start, '\n', r->len) != NULL;
}

int
oms_lines_ready(struct oms_lines *r)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };

	if (have_line(r))
		return 1;
	/* Readable (or hung up) means a read will not block. */
	return poll(&pfd, 1, 0) > 0;
}

/* fill reads more input; 0 at end, -1 on error. */
static int
fill(struct oms_lines *r)
{
	ssize_t n;
	char *nb;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->len);
		r->start = 0;
	}
	if (r->len == r->cap) {
		if (r->cap >= LINE_MAX_BYTES) {
			errno = EOVERFLOW;
			return -1;
		}
		if ((nb = realloc(r->buf, r->cap * 2 + 1)) == NULL)
			return -1;
		r->buf = nb;
		r->cap *= 2;
	}
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		r->eof = 1;
	r->len += (size_t)n;
	return (int)(n > 0);
}

char *
oms_lines_next(struct oms_lines *r, size_t *lineno, int *err)
{
	char *line, *nl;
	size_t n;

	*err = 0;
	for (;;) {
		line = r->buf + r->start;
		if ((nl = memchr(line, '\n', r->len)) != NULL) {
			n = (size_t)(nl - line);
			*nl = '\0';
			r->start += n + 1;
			r->len -= n + 1;
			break;
		}
		if (r->eof) {
			if (r->len == 0)
				return NULL;
			/* A last line without its newline still counts. */
			line[r->len] = '\0';
			n = r->len;
			r->start += r->len;
			r->len = 0;
			break;
		}
		if (r->len == r->cap && r->cap >= LINE_MAX_BYTES) {
			/* Too long to be an ID line: drop it through its newline, say so. */
			r->skipping = 1;
			r->len = 0;
		}
		if (fill(r) < 0) {
			*err = errno ? errno : EIO;
			return NULL;
		}
		if (r->skipping && (nl = memchr(r->buf, '\n', r->len)) != NULL) {
			n = (size_t)(nl - r->buf);
			r->start = n + 1;
			r->len -= n + 1;
			r->skipping = 0;
			(*lineno)++;
			*err = EOVERFLOW;
			return NULL;
		}
		if (r->skipping)
			r->len = 0;
	}
	(*lineno)++;
	/* Cut at its first NUL, "3\0abc" would pass for the ID 3. */
	for (nl = line; (nl = memchr(nl, '\0', n - (size_t)(nl - line))) != NULL; )
		*nl = NUL_SHOWN;
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return line;
}

int
oms_id_line(char *line, int64_t *id, char **field)
{
	char *p = line, *end;

	p += strspn(p, " \t");
	if (*p == '\0' || *p == '#')
		return 0;
	/* A NUL anywhere is binary, not a list of IDs: the whole line is named. */
	if (strchr(p, NUL_SHOWN) != NULL) {
		*field = p;
		return -1;
	}
	end = p + strcspn(p, " \t");
	*end = '\0';
	*field = p;
	return oms_id_parse(p, id) == 0 ? 1 : -1;
}
