/* SPDX-License-Identifier: MIT */
/*
 * The readable line of an event, for stderr and text monitors
 * (JSON monitors get the log writer's line: node.c).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "node_internal.h"

int
rumor__print_clock(char *buf, size_t cap, int64_t wall_ms)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;

	localtime_r(&secs, &tm);
	return snprintf(buf, cap, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
	                tm.tm_sec, (int)(wall_ms % 1000));
}

/* "12:00:01.250 suspect   127.0.0.1:3004#1712..  (timeout, heartbeat 41)" */
int
rumor__print_event(char *buf, size_t cap, int64_t wall_ms,
                   const struct rumor_event *ev)
{
	char clock[32], who[RUMOR_ID_STRLEN], extra[64] = "";
	const char *via = rumor_via_name(ev->via);
	int k = 0;

	rumor__print_clock(clock, sizeof(clock), wall_ms);
	rumor_member_id_format(&ev->member, who, sizeof(who));
	if (via[0] != '\0')
		k = snprintf(extra, sizeof(extra), "via %s", via);
	if (ev->kind == RUMOR_EV_SUSPECT || ev->kind == RUMOR_EV_ALIVE ||
	    ev->kind == RUMOR_EV_FAIL)
		snprintf(extra + k, sizeof(extra) - (size_t)k,
		         "%sheartbeat %" PRIu64, k ? ", " : "", ev->heartbeat);
	if (ev->kind == RUMOR_EV_JOINED || ev->kind == RUMOR_EV_LEFT)
		return snprintf(buf, cap, "%s %-8s as %s%s%s%s\n", clock,
		                rumor_event_name(ev->kind), who,
		                extra[0] ? " (" : "", extra,
		                extra[0] ? ")" : "");
	return snprintf(buf, cap, "%s %-8s %s%s%s%s\n", clock,
	                rumor_event_name(ev->kind), who, extra[0] ? " (" : "",
	                extra, extra[0] ? ")" : "");
}

static const char *const level_names[] = {"error", "warn", "info", "debug"};

const char *
rumor_node_log_level_name(enum rumor_node_log_level level)
{
	return (unsigned)level <= RUMOR_NODE_LOG_DEBUG ? level_names[level]
	                                               : "?";
}

int
rumor_node_log_level_parse(const char *name, enum rumor_node_log_level *out)
{
	for (int l = 0; l <= RUMOR_NODE_LOG_DEBUG; l++)
		if (strcmp(name, level_names[l]) == 0) {
			*out = (enum rumor_node_log_level)l;
			return 0;
		}
	return RUMOR_EINVAL;
}

static void
vlog(struct node *n, enum rumor_agent_log_level level, const char *fmt,
     va_list ap)
{
	char line[512];
	int k;

	k = rumor__print_clock(line, sizeof(line), rumor_log_wall_ms());
	line[k++] = ' ';
	vsnprintf(line + k, sizeof(line) - (size_t)k - 1, fmt, ap);
	if (n->cb.on_log != NULL)
		n->cb.on_log((struct rumor_agent *)n, level, line + k,
		             n->cb.user);
	if (n->prog == NULL)
		return;
	k = (int)strlen(line);
	line[k++] = '\n';
	line[k] = '\0';
	n->prog->say(n, level, line, (size_t)k);
}

void
rumor__node_log(struct node *n, enum rumor_agent_log_level level,
                const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(n, level, fmt, ap);
	va_end(ap);
}

void
rumor__node_say(struct node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(n, RUMOR_AGENT_LOG_INFO, fmt, ap);
	va_end(ap);
}
