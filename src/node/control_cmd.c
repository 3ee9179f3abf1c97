/* SPDX-License-Identifier: MIT */
/*
 * The control commands (protocol in include/rumor/node.h): each answers a
 * status line, "ok[ TEXT]" or "error MESSAGE", then its data lines.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node_internal.h"

#define reply rumor__control_reply

void
rumor__control_reply(struct ctl_conn *c, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	if ((size_t)k > sizeof(line) - 2)
		k = (int)sizeof(line) - 2;
	line[k++] = '\n';
	rumor__control_write(c, line, (size_t)k);
}

static void
write_json(struct ctl_conn *c, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (s == NULL)
		return;
	rumor__control_write(c, s, strlen(s));
	rumor__control_write(c, "\n", 1);
	free(s);
}

struct visit_ctx {
	struct ctl_conn *c;
	uint64_t now;
	bool joining; /* no seed answered yet: said on self's line */
};

static void
visit_member(void *arg, const struct rumor_member_view *m)
{
	struct visit_ctx *v = arg;
	char id[RUMOR_ID_STRLEN];
	uint64_t age = m->is_self || v->now < m->last_progress_ms
	                   ? 0
	                   : v->now - m->last_progress_ms;

	json_t *o;

	rumor_member_id_format(&m->id, id, sizeof(id));
	o = json_pack("{sssssIsIsbsosI}", "member", id, "status",
	              rumor_status_name(m->status), "heartbeat",
	              (json_int_t)m->heartbeat, "age_ms", (json_int_t)age,
	              "self", m->is_self, "tags",
	              rumor__tags_json(m->tags, m->tags_len), "tags_version",
	              (json_int_t)m->tags_version);
	if (o && m->is_self && v->joining)
		json_object_set_new(o, "joining", json_true());
	write_json(v->c, o);
}

static void
cmd_members(struct node *n, struct ctl_conn *c)
{
	struct visit_ctx v = {c, uv_now(n->loop),
	                      rumor_core_state(n->core) == RUMOR_STATE_JOINING};

	reply(c, "ok %zu", rumor_core_member_count(n->core));
	rumor_core_visit_members(n->core, visit_member, &v);
	rumor__control_end(c);
}

int
rumor_node_parse_rate(const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || !isfinite(v))
		return RUMOR_EINVAL;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end != '\0' || v < 0 || v > 1)
		return RUMOR_EINVAL;
	*out = v;
	return 0;
}

int
rumor_node_parse_switch(const char *text, bool *out)
{
	if (strcmp(text, "on") == 0 || strcmp(text, "1") == 0)
		*out = true;
	else if (strcmp(text, "off") == 0 || strcmp(text, "0") == 0)
		*out = false;
	else
		return RUMOR_EINVAL;
	return 0;
}

static void
set_drop_rate(struct node *n, struct ctl_conn *c, const char *value)
{
	double rate;

	if (rumor_node_parse_rate(value, &rate) != 0) {
		reply(c, "error drop-rate '%s' is not in [0, 1] or 0%%..100%%",
		      value);
		return;
	}
	rumor_core_set_recv_drop_rate(n->core, rate);
	n->cfg.recv_drop_rate = rate;
	reply(c, "ok drop-rate %g", rate);
	rumor__node_say(n, "receive drop rate set to %g", rate);
}

/* deaf or mute on|off (the fields of struct node). */
static void
set_switch(struct node *n, struct ctl_conn *c, const char *name,
           const char *value)
{
	bool on, *flag = strcmp(name, "deaf") == 0 ? &n->deaf : &n->mute;

	if (rumor_node_parse_switch(value, &on) != 0) {
		reply(c, "error %s '%s' is not on or off", name, value);
		return;
	}
	*flag = on;
	reply(c, "ok %s %s", name, on ? "on" : "off");
	if (on)
		rumor__node_say(n, "%s on (fault injection: %s)", name,
		                flag == &n->deaf ? "every datagram and stream "
		                                   "received is dropped"
		                                 : "nothing is sent");
	else
		rumor__node_say(n, "%s off (fault injection over: %s)", name,
		                flag == &n->deaf ? "datagrams and streams are "
		                                   "received again"
		                                 : "sending again");
}

static void
cmd_set(struct node *n, struct ctl_conn *c, const char *args)
{
	if (strncmp(args, "drop-rate ", 10) == 0)
		set_drop_rate(n, c, args + 10);
	else if (strncmp(args, "deaf ", 5) == 0)
		set_switch(n, c, "deaf", args + 5);
	else if (strncmp(args, "mute ", 5) == 0)
		set_switch(n, c, "mute", args + 5);
	else if (!strcmp(args, "drop-rate") || !strcmp(args, "deaf") ||
	         !strcmp(args, "mute"))
		reply(c, "error set %s needs a value (%s)", args,
		      args[0] == 'd' && args[1] == 'r' ? "P in [0,1] or N%"
		                                       : "on or off");
	else
		reply(c,
		      "error unknown setting '%.64s' (known: drop-rate, "
		      "deaf, mute)",
		      args);
	rumor__control_end(c);
}

static void
cmd_force_leave(struct node *n, struct ctl_conn *c, const char *arg)
{
	struct rumor_member_id id;
	int rc;

	if (rumor_member_id_parse(arg, &id) != 0) {
		reply(c,
		      "error force-leave: '%.80s' is not a member id "
		      "(HOST:PORT#VERSION)",
		      arg);
		rumor__control_end(c);
		return;
	}
	rc = rumor_core_force_leave(n->core, uv_now(n->loop), &id);
	rumor__node_after_core(n, 0, "rumor_core_force_leave");
	if (rc == 0) {
		reply(c, "ok %s recorded as left", arg);
		rumor__node_say(n, "force-leave: %s recorded as left", arg);
	} else if (rc == RUMOR_ESTATE) {
		reply(c,
		      "error force-leave: %s is alive or suspect here, or "
		      "this agent is not a member (only a failed member "
		      "can be force-left)",
		      arg);
	} else {
		reply(c, "error force-leave: no failure of %s is known here",
		      arg);
	}
	rumor__control_end(c);
}

static void
cmd_stats(struct node *n, struct ctl_conn *c)
{
	char *s = rumor__node_stats_json(n);

	if (s == NULL) {
		reply(c, "error out of memory");
	} else {
		reply(c, "ok");
		rumor__control_write(c, s, strlen(s));
		rumor__control_write(c, "\n", 1);
		free(s);
	}
	rumor__control_end(c);
}

void
rumor__control_dispatch(struct node *n, struct ctl_conn *c, const char *line)
{
	if (n->stopping) {
		reply(c, "error the agent is stopping");
		rumor__control_end(c);
	} else if (strcmp(line, "members") == 0) {
		cmd_members(n, c);
	} else if (strcmp(line, "monitor") == 0) {
		reply(c, "ok");
		rumor__control_set_mode(c, CTL_MONITOR_TEXT);
	} else if (strcmp(line, "monitor json") == 0) {
		reply(c, "ok");
		rumor__control_set_mode(c, CTL_MONITOR_JSON);
	} else if (strcmp(line, "leave") == 0) {
		reply(c, "ok leaving");
		rumor__control_set_mode(c, CTL_LEAVE);
		if (!n->leaving) { /* a second `rumor leave` just waits too */
			rumor__node_say(n, "rumor leave: leaving the group");
			rumor__node_request_leave(n);
		}
	} else if (strncmp(line, "set ", 4) == 0) {
		cmd_set(n, c, line + 4);
	} else if (strcmp(line, "stats") == 0) {
		cmd_stats(n, c);
	} else if (strncmp(line, "tags", 4) == 0 &&
	           (line[4] == ' ' || line[4] == '\0')) {
		char *args = strdup(line[4] ? line + 5 : "");
		rumor__control_tags(n, c, args ? args : "");
		free(args);
	} else if (strncmp(line, "force-leave ", 12) == 0) {
		cmd_force_leave(n, c, line + 12);
	} else if (strcmp(line, "force-leave") == 0 ||
	           strcmp(line, "set") == 0) {
		reply(c, "error %s needs %s", line,
		      line[0] == 'f' ? "a member id (HOST:PORT#VERSION)"
		                     : "a setting and a value (set drop-rate "
		                       "P, set deaf|mute on|off)");
		rumor__control_end(c);
	} else if (strncmp(line, "keys", 4) == 0 &&
	           (line[4] == ' ' || line[4] == '\0')) {
		rumor__control_keys(n, c, line[4] ? line + 5 : "");
	} else {
		reply(c,
		      "error unknown command '%.64s' (members, monitor, "
		      "monitor json, leave, set drop-rate P, set deaf|mute "
		      "on|off, stats, keys, tags, force-leave ID)",
		      line);
		rumor__control_end(c);
	}
}
