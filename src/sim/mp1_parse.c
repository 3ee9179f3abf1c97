/* SPDX-License-Identifier: MIT */
/*
 * Reading a dbg.log for the checker: the first line must be "131"; every
 * other line is " ADDR [TICK] MESSAGE". Only the lines that the scoring
 * rules look at are kept: joins, removals and the injector's failures.
 * A line that mentions "joined", "removed" or "Node failed at time" in any
 * other form is kept as a bad line, so that the checker can say which rule
 * it breaks. Lines of any other content are debug output and ignored.
 */
#define _GNU_SOURCE /* getline */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mp1_internal.h"

static int
parse_uint(const char **p, unsigned long max, unsigned long *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v > max)
			return -1;
	}
	*p = s;
	*out = v;
	return 0;
}

static int
expect(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n))
		return -1;
	*p += n;
	return 0;
}

/* "a.b.c.d:port"; advances *p past it. 0 or -1. */
int
rumor__mp1_parse_addr(const char **p, struct mp1_addr *out)
{
	const char *s = *p;
	unsigned long v[5];

	for (int i = 0; i < 5; i++) {
		if (i > 0 && expect(&s, i < 4 ? "." : ":"))
			return -1;
		if (parse_uint(&s, i < 4 ? 255 : 65535, &v[i]))
			return -1;
	}
	out->key = (uint64_t)v[0] << 40 | (uint64_t)v[1] << 32 |
	           (uint64_t)v[2] << 24 | (uint64_t)v[3] << 16 | v[4];
	out->index = v[1] == 0 && v[2] == 0 && v[3] == 0 && v[4] == 0 &&
	                     v[0] >= 1 && v[0] <= RUMOR_MP1_MEMBERS
	                 ? (int)v[0] - 1
	                 : -1;
	snprintf(out->text, sizeof(out->text), "%lu.%lu.%lu.%lu:%lu", v[0],
	         v[1], v[2], v[3], v[4]);
	*p = s;
	return 0;
}

static int
parse_time(const char **p, long *out)
{
	unsigned long v;

	if (parse_uint(p, 1000000000UL, &v))
		return -1;
	*out = (long)v;
	return **p ? -1 : 0; /* the message ends there */
}

/* The message after " ADDR [TICK] ": 0 with l->kind set, or -1. */
static int
parse_message(const char *m, struct mp1_line *l)
{
	if (expect(&m, "Node "))
		return -1;
	if (!expect(&m, "failed at time = ")) {
		l->kind = MP1_L_FAIL_MULTI;
		return parse_time(&m, &l->time);
	}
	if (!expect(&m, "failed at time=")) {
		l->kind = MP1_L_FAIL_SINGLE;
		return parse_time(&m, &l->time);
	}
	if (rumor__mp1_parse_addr(&m, &l->member))
		return -1;
	if (!expect(&m, " joined at time "))
		l->kind = MP1_L_JOIN;
	else if (!expect(&m, " removed at time "))
		l->kind = MP1_L_REMOVE;
	else
		return -1;
	return parse_time(&m, &l->time);
}

/* " ADDR [TICK] MESSAGE" into l; returns the message or NULL. */
static const char *
parse_prefix(const char *s, struct mp1_line *l)
{
	unsigned long tick;

	if (expect(&s, " ") || rumor__mp1_parse_addr(&s, &l->logger) ||
	    expect(&s, " [") || parse_uint(&s, 1000000000UL, &tick) ||
	    expect(&s, "] "))
		return NULL;
	return s;
}

static int
push(struct mp1_log *log, const struct mp1_line *l)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 256;
		struct mp1_line *p = realloc(log->lines, cap * sizeof(*p));

		if (!p)
			return RUMOR_ENOMEM;
		log->lines = p;
		log->cap = cap;
	}
	log->lines[log->n++] = *l;
	return 0;
}

static void
header(struct mp1_log *log, const char *msg)
{
	enum rumor_mp1_scenario s;
	char name[32];
	size_t n;

	if (expect(&msg, "rumor mp1: scenario "))
		return;
	n = strcspn(msg, ",");
	if (n >= sizeof(name))
		return;
	memcpy(name, msg, n);
	name[n] = '\0';
	if (!rumor_mp1_scenario_parse(name, &s))
		log->header_scenario = (int)s;
}

/* One line after the first; 0 or RUMOR_ENOMEM. */
static int
parse_line(struct mp1_log *log, const char *s, uint64_t line_no)
{
	struct mp1_line l = {.line_no = line_no};
	const char *msg = parse_prefix(s, &l);
	bool fail = strstr(s, "Node failed at time") != NULL;
	bool removed = strstr(s, "removed") != NULL;
	bool joined = strstr(s, "joined") != NULL;

	if (msg && line_no == 2)
		header(log, msg);
	if (!fail && !removed && !joined)
		return 0;
	if (msg && parse_message(msg, &l) == 0)
		return push(log, &l);
	l.kind = fail      ? MP1_L_BAD_FAIL
	         : removed ? MP1_L_BAD_REMOVE
	                   : MP1_L_BAD_JOIN;
	return push(log, &l);
}

static void
chomp(char *s, ssize_t *n)
{
	while (*n > 0 && (s[*n - 1] == '\n' || s[*n - 1] == '\r' ||
	                  s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		s[--*n] = '\0';
}

int
rumor__mp1_log_read(FILE *f, struct mp1_log *log, char *err, size_t err_cap)
{
	char *buf = NULL;
	size_t cap = 0;
	uint64_t line_no = 0;
	ssize_t n;
	int rc = 0;

	memset(log, 0, sizeof(*log));
	log->header_scenario = -1;
	while (!rc && (n = getline(&buf, &cap, f)) >= 0) {
		line_no++;
		if (line_no == 1) {
			chomp(buf, &n);
			if (strcmp(buf, "131")) {
				snprintf(err, err_cap,
				         "line 1 is '%.40s', not 131: not an "
				         "MP1 dbg.log",
				         buf);
				rc = RUMOR_EINVAL;
			}
			continue;
		}
		chomp(buf, &n);
		if ((size_t)n != strlen(buf)) {
			snprintf(err, err_cap, "line %llu holds a NUL byte",
			         (unsigned long long)line_no);
			rc = RUMOR_EINVAL;
		} else if (n > 0) {
			rc = parse_line(log, buf, line_no);
		}
	}
	if (!rc && line_no == 0) {
		snprintf(err, err_cap, "empty: not an MP1 dbg.log");
		rc = RUMOR_EINVAL;
	}
	if (!rc && ferror(f)) {
		snprintf(err, err_cap, "read error");
		rc = RUMOR_EINVAL;
	}
	free(buf);
	if (rc)
		rumor__mp1_log_free(log);
	return rc;
}

void
rumor__mp1_log_free(struct mp1_log *log)
{
	free(log->lines);
	log->lines = NULL;
	log->n = log->cap = 0;
}
