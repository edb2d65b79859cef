/* time.h: timestamps as UTC ISO 8601 text. */
#ifndef OMS_TIME_H
#define OMS_TIME_H

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define OMS_TIME_MAX 21

/* oms_time_now writes the current time as "YYYY-MM-DDTHH:MM:SSZ". */
char *oms_time_now(char buf[OMS_TIME_MAX]);

/*
 * oms_time_parse reads "YYYY-MM-DD" or "YYYY-MM-DD[T ]HH:MM[:SS[.frac]]"
 * with an optional zone (Z, +HH:MM, +HHMM, +HH; none means UTC) and writes
 * it normalized to UTC.  Returns 0, or -1 when it is not such a time.
 */
int oms_time_parse(const char *s, char buf[OMS_TIME_MAX]);

#endif
