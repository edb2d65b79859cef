/* outfile.h: the files the tools write (-o, --ack), whole or not at all, never the database. */
#ifndef OMS_OUTFILE_H
#define OMS_OUTFILE_H

#include <stdio.h>

struct oms;

/*
 * A file being written.  A regular file (one that is there, or a new
 * one) is written to a temporary file beside it, ".NAME.XXXXXX", and
 * renamed over NAME only by oms_outfile_commit: until then, and whatever
 * goes wrong, NAME is as it was, and no empty or partial NAME is ever
 * left.  A link is followed: the file it names is replaced, not the link.
 * "-" (or NULL) is standard output, written as it goes; a device or FIFO
 * (a /dev/ or /proc/ name, bash's >(...)) is written in place, appended
 * to, as there is nothing to rename over.  Under -n (dry run) a named
 * file is not written at all: what would go there is discarded.
 */
struct oms_outfile;

/*
 * oms_outfile_open checks path and starts writing it.  A path that is the
 * database or its -wal, -shm or -journal file (by name, links followed,
 * also before SQLite has made it; or by device and inode) is refused, as
 * are a directory, a missing directory and a file we may not write: all
 * OMS_EUSAGE, reported, nothing made.  OMS_ESYS when out of memory.
 */
int oms_outfile_open(struct oms *o, const char *path, struct oms_outfile **f);

/* oms_outfile_fp is the stream to write to. */
FILE *oms_outfile_fp(const struct oms_outfile *f);

/* oms_outfile_is_stdout says whether f is standard output, written as it goes. */
int oms_outfile_is_stdout(const struct oms_outfile *f);

/* oms_outfile_name is the file's name as given ("stdout" for standard output), for messages. */
const char *oms_outfile_name(const struct oms_outfile *f);

/*
 * oms_outfile_commit puts what was written in place: flushed, checked for
 * a write error, synced to disk, given the mode the file had (a new one
 * 0666 less the umask, as open(2) would), renamed over the file and the
 * directory synced.  Nothing written leaves the file as it was (none is
 * made).  Frees f.  OMS_OK, or OMS_ESYS (reported; the file is as it was
 * and the temporary removed).
 */
int oms_outfile_commit(struct oms_outfile *f);

/*
 * oms_outfile_abort discards what was written: the temporary is removed
 * and the file left as it was.  Frees f (NULL is a no-op).
 */
void oms_outfile_abort(struct oms_outfile *f);

#endif
