/* time.c: UTC ISO 8601 timestamps. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <oms/time.h>

/* put2 writes sep and v's two digits at p. */
static void
put2(char *p, char sep, int v)
{
	p[0] = sep;
	p[1] = (char)('0' + v / 10);
	p[2] = (char)('0' + v % 10);
}

/*
 * utc writes tm as strftime's "%Y-%m-%dT%H:%M:%SZ" does, without its cost
 * (every order and every event asks): by hand for years of four digits.
 */
static char *
utc(char buf[OMS_TIME_MAX], const struct tm *tm)
{
	int y = tm->tm_year + 1900;

	if (y < 1000 || y > 9999) {
		strftime(buf, OMS_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", tm);
		return buf;
	}
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	put2(buf + 4, '-', tm->tm_mon + 1);
	put2(buf + 7, '-', tm->tm_mday);
	put2(buf + 10, 'T', tm->tm_hour);
	put2(buf + 13, ':', tm->tm_min);
	put2(buf + 16, ':', tm->tm_sec);
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

char *
oms_time_now(char buf[OMS_TIME_MAX])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	return utc(buf, &tm);
}

/* digits reads exactly n digits. */
static int
digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int
oms_time_parse(const char *s, char buf[OMS_TIME_MAX])
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, zh = 0, zm = 0, sign = 0;
	struct tm tm;
	time_t t;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (*p == '.' || *p == ',') {
				/* Fractions of a second are dropped, not rounded into the next. */
				for (p++; isdigit((unsigned char)*p); p++)
					;
			}
		}
		/* Carts write "2026-11-01 10:15:00 -0500": a blank may come before the zone. */
		if (*p == ' ' && (p[1] == '+' || p[1] == '-' || p[1] == 'Z'))
			p++;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '+' ? 1 : -1;
			if (digits(&p, 2, &zh))
				return -1;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && digits(&p, 2, &zm))
				return -1;
		}
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60 || zh > 14 || zm > 59)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec > 59 ? 59 : sec;
	/* In UTC already, the fields checked are the time: timegm and gmtime would give them back. */
	if (sign == 0) {
		utc(buf, &tm);
		return 0;
	}
	t = timegm(&tm) - sign * (zh * 3600 + zm * 60);
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return -1;
	utc(buf, &tm);
	return 0;
}
