/* edit.c: a document edited by a person in $VISUAL or $EDITOR until it checks, like git commit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <oms/edit.h>
#include <oms/oms.h>
#include <oms/diag.h>

#include "internal.h"

#define ERROR_MARK "# ERROR: "

static int
run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	pid_t pid;
	int st;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	/* Through the shell, so EDITOR may carry arguments ("emacs -nw"). */
	if ((pid = fork()) < 0) {
		oms_warnx("fork: %s", strerror(errno));
		return OMS_ESYS;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "$0 \"$@\"", ed, path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			oms_warnx("waitpid: %s", strerror(errno));
			return OMS_ESYS;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		oms_warnx("editor \"%s\" failed; nothing added (%s kept)", ed, path);
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
			oms_warnx("%s: %s", path, strerror(errno));
			return OMS_ESYS;
		}
		if (blank) {
			oms_warnx("empty document: nothing added");
			free(body);
			unlink(path);
			return OMS_EINPUT;
		}
		if ((f = fmemopen(body, strlen(body), "r")) == NULL) {
			free(body);
			return OMS_ESYS;
		}
		err[0] = '\0';
		rc = check(f, arg, err, sizeof err);
		fclose(f);
		if (rc != OMS_EINPUT) {
			free(body);
			if (rc == OMS_OK)
				unlink(path);
			return rc;
		}
		/* Back to the editor with the error written in, as git commit does. */
		if (write_file(path, err, body) != 0) {
			oms_warnx("%s: %s", path, strerror(errno));
			free(body);
			return OMS_ESYS;
		}
		free(body);
	}
}
