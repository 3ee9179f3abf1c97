/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz words shared by the panel, tooltips and --dump-state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "describe.h"
#include "timearg.h"

const char *
viz_member_short(const struct viz_model *m, uint32_t j, char *buf, size_t len)
{
	const char *id = m->members[j].id;
	const char *colon = strrchr(id, ':');
	const char *hash = strrchr(id, '#');
	size_t n = hash ? (size_t)(hash - id) : strlen(id);
	const char *name = id;
	char ver[16] = "";
	if (m->members[j].nth > 1)
		snprintf(ver, sizeof(ver), " v%u", m->members[j].nth);
	/* one host for everybody (a local cluster, the simulator): ":port" */
	if (colon && colon < id + n && m->n_members > 0) {
		size_t hl = (size_t)(colon - id);
		if (strncmp(m->members[0].id, id, hl + 1) == 0) {
			name = colon;
			n -= hl;
		}
	}
	snprintf(buf, len, "%.*s%s", (int)n, name, ver);
	return buf;
}

/* 2001-09-09 in ms: below it, ts are virtual (the simulator counts from 0) */
#define EPOCH_MS_MIN 1000000000000LL

int
viz_has_wall_clock(const struct viz_model *m)
{
	return m->has_ts0 && m->ts0 >= EPOCH_MS_MIN;
}

char *
viz_wall_time(const struct viz_model *m, int64_t ts, char *buf, size_t len)
{
	buf[0] = 0;
	if (!viz_has_wall_clock(m) || len < 32)
		return buf;
	time_t sec = (time_t)(ts / 1000);
	struct tm tm;
	gmtime_r(&sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03d UTC", (int)(ts % 1000));
	return buf;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

char *
viz_last_line_text(const struct viz_model *m, uint32_t j, char *buf, size_t len)
{
	const struct viz_member *me = &m->members[j];
	char t[32], peer[RUMOR_ID_STRLEN] = "";
	if (me->last_ts == INT64_MIN) {
		snprintf(buf, len, "no line of its own");
		return buf;
	}
	if (me->last_peer >= 0) {
		char p[RUMOR_ID_STRLEN];
		int send = me->last_ev == RUMOR_LOG_SEND;
		snprintf(
		    peer, sizeof(peer), " %s %s", send ? "to" : "from",
		    viz_member_short(m, (uint32_t)me->last_peer, p, sizeof(p)));
	}
	snprintf(buf, len, "%s:%u %s%s at %s",
	         me->last_file < m->n_files ? base_name(m->files[me->last_file])
	                                    : "?",
	         me->last_line, rumor_log_ev_name(me->last_ev), peer,
	         viz_time_format(me->last_ts - m->ts0, t, sizeof(t)));
	return buf;
}

static const char *
belief_word(int ev)
{
	switch ((enum rumor_log_ev)ev) {
	case RUMOR_LOG_JOIN:
	case RUMOR_LOG_ALIVE:
		return "alive";
	case RUMOR_LOG_SUSPECT:
		return "suspect";
	case RUMOR_LOG_FAIL:
		return "failed";
	case RUMOR_LOG_LEAVE:
		return "left";
	default:
		return "removed";
	}
}

/* Append printf output to buf[len] at *at (truncating). */
static void add(char *buf, size_t len, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void
add(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	if (*at >= len)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *at, len - *at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*at += (size_t)n;
}

char *
viz_path_text(const struct viz_model *m, const struct viz_hop *hops, size_t n,
              uint32_t j, char *buf, size_t len)
{
	char a[RUMOR_ID_STRLEN], b[RUMOR_ID_STRLEN], t[32];
	size_t at = 0;
	buf[0] = 0;
	if (!n)
		return buf;
	const struct viz_event *e = hops[0].e;
	add(buf, len, &at, "%s believes %s %s since %s",
	    viz_member_short(m, (uint32_t)e->node, a, sizeof(a)),
	    viz_member_short(m, j, b, sizeof(b)), belief_word(e->ev),
	    viz_time_format(e->ts - m->ts0, t, sizeof(t)));
	for (size_t i = 0; i < n; i++) {
		e = hops[i].e;
		const char *via = viz_via_name(m, e->via);
		if (i > 0)
			add(buf, len, &at, "; %s had it at %s",
			    viz_member_short(m, (uint32_t)e->node, a,
			                     sizeof(a)),
			    viz_time_format(e->ts - m->ts0, t, sizeof(t)));
		if (e->from >= 0 && e->from != e->node)
			add(buf, len, &at, ", told by %s (%s)%s",
			    viz_member_short(m, (uint32_t)e->from, a,
			                     sizeof(a)),
			    *via ? via : "?",
			    hops[i].skew ? " [told before the teller logged "
			                   "it: clock skew]"
			                 : "");
		else if (!strcmp(via, "timeout"))
			add(buf, len, &at, ", its own detector (timeout)");
		else if (*via)
			add(buf, len, &at, " (%s)", via);
	}
	return buf;
}
