/* edit.c: a document edited by a person in $VISUAL or $EDITOR until it checks, like git commit. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/edit.h>
#include <oms/oms.h>
#include <oms/pan.h>
#include <oms/diag.h>

#include "internal.h"

#define ERROR_MARK "# ERROR: "

/*
 * holds_card says whether the file at path holds a card number anywhere,
 * comments and error lines too: -1 when it cannot be read.
 */
static int
holds_card(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c, r;

	if (f == NULL)
		return -1;
	if ((m = open_memstream(&buf, &len)) == NULL) {
		fclose(f);
		return -1;
	}
	while ((c = getc(f)) != EOF)
		putc(c, m);
	r = ferror(f) ? -1 : 0;
	fclose(f);
	if (fclose(m) != 0) {
		free(buf);
		return -1;
	}
	if (r == 0)
		r = oms_pan_hasn(buf, len);
	explicit_bzero(buf, len);
	free(buf);
	return r;
}

/*
 * shred overwrites a file with zeros, to the disk (fsync), then removes it:
 * unlinking alone would leave what it held in blocks the next file reuses.
 */
static int
shred(const char *path)
{
	static const char zeros[4096];
	struct stat sb;
	off_t left;
	ssize_t n;
	int fd, rc = 0;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (left = sb.st_size; left > 0 && rc == 0; left -= n)
		if ((n = write(fd, zeros, left < (off_t)sizeof zeros ? (size_t)left :
		    sizeof zeros)) <= 0)
			rc = -1;
	if (fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	if (unlink(path) != 0)
		rc = -1;
	return rc;
}

/*
 * discard removes the file when oms is done with it: overwritten first
 * when it holds a card number.  0 removed, 1 overwritten and removed, -1
 * when it could not be (reported).
 */
static int
discard(const char *path)
{
	int card = holds_card(path);

	if (card < 0 && errno == ENOENT)
		return 0;	/* the editor took it away */
	if (card != 0 && shred(path) == 0)
		return 1;
	if (card == 0 && unlink(path) == 0)
		return 0;
	if (card != 0)
		oms_warn("%s: could not overwrite and remove it, and it may hold a card number:"
		    " remove it by hand", path);
	else
		oms_warn("%s: cannot remove", path);
	return -1;
}

/*
 * give_up says why nothing was added (what) and leaves the file for the
 * person to take up again; but a file that holds a card number is never
 * kept: it is overwritten and removed, and the message says so.
 */
static void give_up(const char *path, const char *what, ...)
    __attribute__((format(printf, 2, 3)));

static void
give_up(const char *path, const char *what, ...)
{
	char msg[512];
	va_list ap;
	int card;

	va_start(ap, what);
	vsnprintf(msg, sizeof msg, what, ap);
	va_end(ap);
	if ((card = holds_card(path)) < 0 && errno == ENOENT)
		oms_warnx("%s; nothing added", msg);
	else if (card == 0)
		oms_warnx("%s; nothing added (%s kept)", msg, path);
	else if (shred(path) == 0)
		oms_warnx("%s; nothing added (%s held what looks like a card number: overwritten"
		    " and removed)", msg, path);
	else
		oms_warn("%s; nothing added, and %s, which may hold a card number, could not be"
		    " overwritten and removed: remove it by hand", msg, path);
}

static int
run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	struct sigaction ign, old_int, old_quit;
	pid_t pid;
	int st, rc;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	/*
	 * A ^C in the editor is the editor's, as system(3) has it: oms-add
	 * lives on to clean up after it (the file may hold a card number).
	 */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	/* Through the shell, so EDITOR may carry arguments ("emacs -nw"). */
	if ((pid = fork()) < 0) {
		oms_warnx("fork: %s", strerror(errno));
		rc = OMS_ESYS;
		goto out;
	}
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execl("/bin/sh", "sh", "-c", "$0 \"$@\"", ed, path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			oms_warnx("waitpid: %s", strerror(errno));
			rc = OMS_ESYS;
			goto out;
		}
	rc = OMS_OK;
out:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (rc != OMS_OK) {
		give_up(path, "could not run the editor");
		return rc;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		give_up(path, "editor \"%s\" failed", ed);
		return OMS_EINPUT;
	}
	return OMS_OK;
}

/* slurp reads a file, leaving out the error lines a previous round wrote. */
static char *
slurp(const char *path, int *blank)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *line = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	FILE *m;

	*blank = 1;
	if (f == NULL)
		return NULL;
	if ((m = open_memstream(&buf, &len)) == NULL) {
		fclose(f);
		return NULL;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, ERROR_MARK, strlen(ERROR_MARK)) == 0)
			continue;
		if (line[strspn(line, " \t\r\n")] != '\0' && line[strspn(line, " \t")] != '#')
			*blank = 0;
		fwrite(line, 1, (size_t)n, m);
	}
	free(line);
	fclose(f);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* drop frees a copy of the file, wiped: it may hold a card number. */
static void
drop(char *body)
{
	explicit_bzero(body, strlen(body));
	free(body);
}

static int
write_file(const char *path, const char *error, const char *body)
{
	FILE *f = fopen(path, "w");
	const char *p, *nl;

	if (f == NULL)
		return -1;
	if (error != NULL) {
		for (p = error; *p != '\0'; p = nl + (*nl != '\0')) {
			nl = p + strcspn(p, "\n");
			fprintf(f, "%s%.*s\n", ERROR_MARK, (int)(nl - p), p);
		}
		fprintf(f, "%sfix it and save, or empty the file to add nothing\n", ERROR_MARK);
	}
	fputs(body, f);
	return fclose(f);
}

int
oms_edit(const char *template, oms_edit_check check, void *arg)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096], err[1024], *body;
	int fd, rc, blank;
	FILE *f;

	snprintf(path, sizeof path, "%s/oms-XXXXXX.yaml", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemps(path, 5)) < 0) {
		oms_warnx("%s: %s", path, strerror(errno));
		return OMS_ESYS;
	}
	close(fd);
	if (write_file(path, NULL, template) != 0) {
		oms_warnx("%s: %s", path, strerror(errno));
		unlink(path);
		return OMS_ESYS;
	}
	for (;;) {
		if ((rc = run_editor(path)) != OMS_OK)
			return rc;
		if ((body = slurp(path, &blank)) == NULL) {
			give_up(path, "%s: %s", path, strerror(errno));
			return OMS_ESYS;
		}
		if (blank) {
			drop(body);
			if (discard(path) == 1)
				oms_warnx("empty document: nothing added (%s held what looks like a card"
				    " number: overwritten and removed)", path);
			else
				oms_warnx("empty document: nothing added");
			return OMS_EINPUT;
		}
		if ((f = fmemopen(body, strlen(body), "r")) == NULL) {
			give_up(path, "%s: %s", path, strerror(errno));
			drop(body);
			return OMS_ESYS;
		}
		err[0] = '\0';
		rc = check(f, arg, err, sizeof err);
		fclose(f);
		if (rc != OMS_EINPUT) {
			drop(body);
			if (rc == OMS_OK && discard(path) == 1)
				oms_warnx("%s held what looks like a card number: overwritten and removed",
				    path);
			else if (rc != OMS_OK)
				give_up(path, "could not add the order");
			return rc;
		}
		/* Back to the editor with the error written in, as git commit does. */
		if (write_file(path, err, body) != 0) {
			give_up(path, "%s: %s", path, strerror(errno));
			drop(body);
			return OMS_ESYS;
		}
		drop(body);
	}
}
