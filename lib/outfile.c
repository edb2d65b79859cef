/*
 * outfile.c: every file a tool writes goes through here, so that no output
 * path can hit the database and no failed run can cost the file that was
 * there: a temporary beside it, renamed into place once all of it is on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <oms/diag.h>
#include <oms/outfile.h>

#include "internal.h"

/* How a file is written. */
enum kind {
	K_STDOUT,	/* standard output, as it goes */
	K_RENAME,	/* a temporary renamed over the file */
	K_INPLACE,	/* a device or FIFO, appended to */
	K_DISCARD	/* a dry run: nowhere */
};

struct oms_outfile {
	enum kind kind;
	char *path;		/* as the user named it, for messages */
	char *target;		/* the file renamed over: path, its links followed */
	char *tmp;		/* the temporary beside target (K_RENAME) */
	FILE *fp;		/* stdout, or a stream over fd */
	int fd;			/* the temporary or the device; -1 for none */
	off_t written;		/* bytes that reached fd */
	int werrno;		/* the first write error, reported when it happened */
	mode_t mode;		/* what the new file is given */
	gid_t gid;		/* the group the old file had */
	int chgrp;		/* ... which differs from the one we create with */
	int quiet;		/* -q */
	int verbose;		/* -v */
};

/* The files SQLite keeps beside a database, the database itself first. */
static const char *const companions[] = { "", "-wal", "-shm", "-journal" };

/*
 * resolve names the file path stands for as an absolute name in a
 * canonical directory, its links followed when follow is set: also for a
 * file not there yet (a -wal SQLite has not made, a dangling link's
 * target), which realpath(3) cannot do.  NULL with errno set when its
 * directory is missing, a link loops, or it names a directory.
 */
static char *
resolve(const char *path, int follow)
{
	char *cur, *next, *slash, *dir, *real, *out, link[PATH_MAX];
	const char *base;
	struct stat st;
	ssize_t n;
	int hops, e;

	if ((cur = strdup(path)) == NULL)
		return NULL;
	for (hops = 0; follow; hops++) {
		if (lstat(cur, &st) != 0) {
			if (errno == ENOENT)
				break;
			goto fail;
		}
		if (!S_ISLNK(st.st_mode))
			break;
		if (hops == 40) {
			errno = ELOOP;
			goto fail;
		}
		if ((n = readlink(cur, link, sizeof link - 1)) < 0)
			goto fail;
		link[n] = '\0';
		/* A relative link is relative to the directory it is in. */
		if (link[0] != '/' && (slash = strrchr(cur, '/')) != NULL) {
			slash[1] = '\0';
			if (asprintf(&next, "%s%s", cur, link) < 0)
				goto fail;
		} else if ((next = strdup(link)) == NULL)
			goto fail;
		free(cur);
		cur = next;
	}
	if ((slash = strrchr(cur, '/')) == NULL) {
		dir = ".";
		base = cur;
	} else {
		*slash = '\0';
		dir = slash == cur ? "/" : cur;
		base = slash + 1;
	}
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		errno = EISDIR;
		goto fail;
	}
	if ((real = realpath(dir, NULL)) == NULL)
		goto fail;
	n = asprintf(&out, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", base);
	e = errno;
	free(real);
	free(cur);
	errno = e;
	return n < 0 ? NULL : out;
fail:
	e = errno;
	free(cur);
	errno = e;
	return NULL;
}

/*
 * database_file says which of the database's files target is (by name, or
 * by device and inode when st, what is there now, is not NULL): the
 * suffix ("" for the database itself), or NULL for none.  SQLite puts
 * its -wal beside the database's name with links followed, an older one
 * beside the name as given: both are checked, and the name as given too
 * for the inode.
 */
static const char *
database_file(struct oms *o, const char *target, const struct stat *st)
{
	char *base[3], *name;
	struct stat dst;
	const char *hit = NULL;
	size_t i, k;

	base[0] = o->db_path;
	base[1] = resolve(o->db_path, 0);
	base[2] = resolve(o->db_path, 1);
	for (i = 0; i < 3 && hit == NULL; i++) {
		if (base[i] == NULL)
			continue;
		for (k = 0; k < sizeof companions / sizeof companions[0] && hit == NULL; k++) {
			if (asprintf(&name, "%s%s", base[i], companions[k]) < 0)
				continue;
			if (strcmp(name, target) == 0 || (st != NULL && stat(name, &dst) == 0 &&
			    dst.st_dev == st->st_dev && dst.st_ino == st->st_ino))
				hit = companions[k];
			free(name);
		}
	}
	free(base[1]);
	free(base[2]);
	return hit;
}

/*
 * new_mode is what open(2) would give a new file: the umask can be read
 * only by setting it, and it is put back at once (the tools are single
 * threaded).
 */
static mode_t
new_mode(void)
{
	mode_t mask = umask(077);

	umask(mask);
	return 0666 & ~mask;
}

/*
 * put is the stream's write: stdio forgets a write error's errno by the
 * next flush (and a second flush "succeeds"), so the first one is kept,
 * and reported here, once, naming the file, whoever is writing.
 */
static ssize_t
put(void *cookie, const char *buf, size_t len)
{
	struct oms_outfile *f = cookie;
	size_t done = 0;
	ssize_t n;

	if (f->werrno != 0) {
		errno = f->werrno;
		return -1;
	}
	if (f->kind == K_DISCARD) {
		f->written += (off_t)len;
		return (ssize_t)len;
	}
	while (done < len) {
		if ((n = write(f->fd, buf + done, len - done)) < 0) {
			if (errno == EINTR)
				continue;
			f->werrno = errno;
			oms_warnx("%s: %s", f->path, strerror(f->werrno));
			return done > 0 ? (ssize_t)done : -1;
		}
		done += (size_t)n;
		f->written += n;
	}
	return (ssize_t)len;
}

/* stream puts a stdio stream over f->fd (none for K_DISCARD). */
static int
stream(struct oms_outfile *f)
{
	static const cookie_io_functions_t io = { .write = put };

	return (f->fp = fopencookie(f, "w", io)) == NULL ? -1 : 0;
}

/*
 * start_tmp makes the temporary beside target: hidden and not ending as
 * target does, so a hot folder's watcher (*.xml) takes only the finished
 * file.
 */
static int
start_tmp(struct oms_outfile *f)
{
	const char *slash = strrchr(f->target, '/');
	int fd, e;

	/* A name near NAME_MAX is cut: the temporary's name needs only to be unique. */
	if (asprintf(&f->tmp, "%.*s.%.200s.XXXXXX", (int)(slash - f->target + 1), f->target,
	    slash + 1) < 0) {
		f->tmp = NULL;
		return -1;
	}
	if ((fd = mkostemp(f->tmp, O_CLOEXEC)) < 0)
		goto fail;
	f->fd = fd;
	if (stream(f) != 0) {
		e = errno;
		close(fd);
		f->fd = -1;
		unlink(f->tmp);
		errno = e;
		goto fail;
	}
	return 0;
fail:
	free(f->tmp);
	f->tmp = NULL;
	return -1;
}

static void
outfile_free(struct oms_outfile *f)
{
	free(f->path);
	free(f->target);
	free(f->tmp);
	free(f);
}

int
oms_outfile_open(struct oms *o, const char *path, struct oms_outfile **fp)
{
	struct oms_outfile *f;
	const char *which;
	struct stat st;
	int there, fd;

	*fp = NULL;
	if ((f = omsi_calloc(1, sizeof *f)) == NULL)
		return OMS_ESYS;
	f->fd = -1;
	f->quiet = o->opts.quiet;
	f->verbose = o->opts.verbose;
	if (path == NULL || strcmp(path, "-") == 0) {
		f->kind = K_STDOUT;
		f->fp = stdout;
		if ((f->path = omsi_strdup("stdout")) == NULL)
			goto nomem;
		*fp = f;
		return OMS_OK;
	}
	if ((f->path = omsi_strdup(path)) == NULL)
		goto nomem;
	if (!(there = stat(path, &st) == 0) && errno != ENOENT) {
		oms_warn("%s", path);
		goto usage;
	}
	if (there && S_ISDIR(st.st_mode)) {
		oms_warnx("%s: is a directory", path);
		goto usage;
	}
	if ((f->target = resolve(path, 1)) == NULL) {
		if (errno == ENOMEM)
			goto nomem;
		oms_warn("%s", path);
		goto usage;
	}
	if ((which = database_file(o, f->target, there ? &st : NULL)) != NULL) {
		if (*which == '\0')
			oms_warnx("%s: is the database", path);
		else
			oms_warnx("%s: is the database's %s file", path, which);
		goto usage;
	}
	/* A file made unwritable is kept so, as a plain open would. */
	if (there && access(path, W_OK) != 0) {
		oms_warn("%s", path);
		goto usage;
	}
	if (o->opts.dry_run) {
		f->kind = K_DISCARD;
		if (stream(f) != 0)
			goto nomem;
	} else if (there && (!S_ISREG(st.st_mode) || strncmp(path, "/dev/", 5) == 0 ||
	    strncmp(path, "/proc/", 6) == 0)) {
		/* Not ours to replace: /dev/stdout may be the shell's >> log. */
		f->kind = K_INPLACE;
		if ((fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC)) < 0) {
			oms_warn("%s", path);
			goto usage;
		}
		f->fd = fd;
		if (stream(f) != 0) {
			close(fd);
			goto nomem;
		}
	} else {
		f->kind = K_RENAME;
		if (there) {
			f->mode = st.st_mode & 07777;
			f->gid = st.st_gid;
			f->chgrp = st.st_gid != getegid();
		} else
			f->mode = new_mode();
		if (start_tmp(f) != 0) {
			if (errno == ENOMEM)
				goto nomem;
			oms_warn("%s", path);
			goto usage;
		}
	}
	*fp = f;
	return OMS_OK;
nomem:
	oms_warnx("out of memory");
	outfile_free(f);
	return OMS_ESYS;
usage:
	outfile_free(f);
	return OMS_EUSAGE;
}

FILE *
oms_outfile_fp(const struct oms_outfile *f)
{
	return f->fp;
}

int
oms_outfile_is_stdout(const struct oms_outfile *f)
{
	return f->kind == K_STDOUT;
}

const char *
oms_outfile_name(const struct oms_outfile *f)
{
	return f->path;
}

void
oms_outfile_abort(struct oms_outfile *f)
{
	if (f == NULL)
		return;
	if (f->kind != K_STDOUT) {
		/* Its write error, if any, was reported; nothing new is worth saying. */
		f->werrno = f->werrno ? f->werrno : ECANCELED;
		fclose(f->fp);
	}
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp != NULL)
		unlink(f->tmp);
	outfile_free(f);
}

/* sync_dir makes a rename in target's directory last through a power cut. */
static int
sync_dir(const char *target)
{
	const char *slash = strrchr(target, '/');
	char *dir;
	int fd, rc = 0, e;

	if ((dir = strndup(target, slash == target ? 1 : (size_t)(slash - target))) == NULL)
		return -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		e = errno;
		free(dir);
		errno = e;
		return -1;
	}
	/* Some file systems cannot sync a directory; they say EINVAL. */
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = -1;
	e = errno;
	close(fd);
	free(dir);
	errno = e;
	return rc;
}

int
oms_outfile_commit(struct oms_outfile *f)
{
	int rc = OMS_OK, fd;

	if (f->kind == K_STDOUT) {
		/* Reported, and a closed pipe ended, by the tool's oms_flush. */
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = OMS_ESYS;
		outfile_free(f);
		return rc;
	}
	/* A failed flush was reported by put. */
	if (fflush(f->fp) != 0 || ferror(f->fp) || f->werrno != 0) {
		oms_outfile_abort(f);
		return OMS_ESYS;
	}
	if (f->kind == K_DISCARD) {
		if (!f->quiet)
			oms_warnx("%s: not written (dry run)", f->path);
		oms_outfile_abort(f);
		return OMS_OK;
	}
	if (f->kind == K_INPLACE) {
		fclose(f->fp);
		if (close(f->fd) != 0) {
			oms_warn("%s", f->path);
			rc = OMS_ESYS;
		}
		f->fd = -1;
		outfile_free(f);
		return rc;
	}
	/* An empty run (nothing to pick, no orders to export) leaves the file be. */
	if (f->written == 0) {
		if (f->verbose)
			oms_warnx("%s: nothing to write: left as it was", f->path);
		oms_outfile_abort(f);
		return OMS_OK;
	}
	fclose(f->fp);
	f->fp = NULL;
	/* Group first: fchown may clear set-ID bits that fchmod then sets. */
	if (f->chgrp && fchown(f->fd, (uid_t)-1, f->gid) != 0)
		f->mode &= ~(mode_t)070;	/* not its old group's: theirs to read no more */
	if (fchmod(f->fd, f->mode) != 0 || fsync(f->fd) != 0) {
		oms_warn("%s", f->path);
		goto fail;
	}
	fd = f->fd;
	f->fd = -1;
	if (close(fd) != 0) {
		oms_warn("%s", f->path);
		goto fail;
	}
	if (rename(f->tmp, f->target) != 0) {
		oms_warn("%s", f->path);
		goto fail;
	}
	free(f->tmp);
	f->tmp = NULL;
	if (sync_dir(f->target) != 0) {
		oms_warn("%s: written, but its directory not synced", f->path);
		rc = OMS_ESYS;
	}
	outfile_free(f);
	return rc;
fail:
	if (f->fd >= 0)
		close(f->fd);
	unlink(f->tmp);
	outfile_free(f);
	return OMS_ESYS;
}
