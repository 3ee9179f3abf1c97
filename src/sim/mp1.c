/* SPDX-License-Identifier: MIT */
/*
 * MP1 mode: scenario names, the MP1 core timings, the member addresses and
 * the two logs (the assignment's dbg.log and, optionally, rumor's JSON
 * event log).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mp1_internal.h"

static const char *const scenario_names[RUMOR_MP1_SCENARIO_MAX] = {
    [RUMOR_MP1_SINGLE] = "singlefailure",
    [RUMOR_MP1_MULTI] = "multifailure",
    [RUMOR_MP1_MSGDROP] = "msgdropsinglefailure",
};

const char *
rumor_mp1_scenario_name(enum rumor_mp1_scenario s)
{
	return (unsigned)s < RUMOR_MP1_SCENARIO_MAX ? scenario_names[s] : "?";
}

int
rumor_mp1_scenario_parse(const char *name, enum rumor_mp1_scenario *out)
{
	for (int s = 0; name && s < RUMOR_MP1_SCENARIO_MAX; s++)
		if (!strcmp(name, scenario_names[s])) {
			*out = (enum rumor_mp1_scenario)s;
			return 0;
		}
	return RUMOR_EINVAL;
}

/*
 * The MP1 timings, in ticks of RUMOR_MP1_TICK_MS. The assignment's typical
 * solution fails a member after 5 ticks without heartbeat progress and
 * removes it 20 ticks later; rumor suspects after 5 silent ticks, fails
 * after 5 more without a refutation, and deletes the entry 20 ticks after
 * the failure. The heartbeat (to the ring monitors) goes every tick,
 * gossip every other tick, as rumor's defaults have it in ms. Anti-entropy
 * every 100 ticks and the rest are rumor's defaults.
 */
void
rumor_mp1_core_defaults(struct rumor_config *core)
{
	rumor_config_init(core);
	core->t_heartbeat_ms = 1 * RUMOR_MP1_TICK_MS;
	core->t_gossip_ms = 2 * RUMOR_MP1_TICK_MS;
	core->t_suspect_ms = 5 * RUMOR_MP1_TICK_MS;
	core->t_fail_ms = 5 * RUMOR_MP1_TICK_MS;
	core->t_cleanup_ms = 20 * RUMOR_MP1_TICK_MS;
	core->t_sync_ms = 100 * RUMOR_MP1_TICK_MS;
	/* 10 members all gossip to each other: a heartbeat is never more than
	 * a tick or two old, so the far timeout (for a member whose monitors
	 * all failed with it) need not be the large-N default (34 ticks) */
	core->t_suspect_far_ms = 15 * RUMOR_MP1_TICK_MS;
	/* MP1 is the gossip assignment: members gossip their tables */
	core->gossip_entries = 16;
}

void
rumor_mp1_config_init(struct rumor_mp1_config *cfg, enum rumor_mp1_scenario s)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->scenario = s;
	cfg->seed = 1;
	rumor_mp1_core_defaults(&cfg->core);
}

/* ---- addresses: index i is (i+1).0.0.0, port RUMOR_MP1_CORE_PORT ---- */

void
rumor__mp1_addr(uint32_t index, struct rumor_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = 4;
	out->ip[0] = (uint8_t)(index + 1);
	out->port = RUMOR_MP1_CORE_PORT;
}

int
rumor__mp1_index(const struct rumor_addr *a)
{
	static const uint8_t zero[15];

	if (a->family != 4 || a->port != RUMOR_MP1_CORE_PORT ||
	    memcmp(a->ip + 1, zero, sizeof(zero)) || a->ip[0] < 1 ||
	    a->ip[0] > RUMOR_MP1_MEMBERS)
		return -1;
	return a->ip[0] - 1;
}

/* The MP1 address of index i: "(i+1).0.0.0:0" (MP1's port is 0). */
void
rumor__mp1_addr_text(uint32_t index, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u.0.0.0:0", index + 1);
}

/* ---- logs ---- */

int
rumor__mp1_logs_open(struct mp1_run *run)
{
	const struct rumor_mp1_config *c = &run->cfg;
	int rc;

	if (c->dbg_log_path) {
		run->dbg_is_stdout = !strcmp(c->dbg_log_path, "-");
		run->dbg =
		    run->dbg_is_stdout ? stdout : fopen(c->dbg_log_path, "w");
		if (!run->dbg) {
			run->res->bad_log = 1;
			return RUMOR_EINVAL;
		}
		fprintf(run->dbg, "%d", RUMOR_MP1_MAGIC);
		/* not an MP1 line: says what produced the log, for the
		 * checker (it holds none of the words the rules look for) */
		fprintf(run->dbg,
		        "\n 0.0.0.0:0 [0] rumor mp1: scenario %s, seed %llu, "
		        "1 tick = %d ms",
		        rumor_mp1_scenario_name(c->scenario),
		        (unsigned long long)c->seed, RUMOR_MP1_TICK_MS);
	}
	if (c->log_path) {
		rc = rumor_log_writer_open(&run->log, c->log_path,
		                           RUMOR_LOG_BUFFERED |
		                               RUMOR_LOG_TRUNCATE);
		if (rc) {
			run->res->bad_log = 2;
			return rc;
		}
	}
	return 0;
}

/* Remember the first log error: which log (1 dbg, 2 JSON) and errno. */
void
rumor__mp1_log_error(struct mp1_run *run, int which)
{
	if (run->log_errno)
		return;
	run->log_errno = errno ? errno : EIO;
	run->res->bad_log = which;
}

int
rumor__mp1_logs_close(struct mp1_run *run)
{
	if (run->dbg) {
		if (fflush(run->dbg) || ferror(run->dbg))
			rumor__mp1_log_error(run, 1);
		if (!run->dbg_is_stdout && fclose(run->dbg))
			rumor__mp1_log_error(run, 1);
		run->dbg = NULL;
	}
	if (run->log && rumor_log_writer_close(run->log))
		rumor__mp1_log_error(run, 2);
	run->log = NULL;
	return run->log_errno ? -1 : 0;
}

/* One dbg.log entry: "\n ADDR [TICK] MESSAGE". */
void
rumor__mp1_dbg(struct mp1_run *run, uint32_t logger, const char *fmt, ...)
{
	char addr[RUMOR_MP1_ADDR_STRLEN];
	va_list ap;

	if (!run->dbg)
		return;
	rumor__mp1_addr_text(logger, addr, sizeof(addr));
	fprintf(run->dbg, "\n %s [%u] ", addr, run->tick);
	va_start(ap, fmt);
	vfprintf(run->dbg, fmt, ap);
	va_end(ap);
}

/* A member or ground-truth line of the JSON log (node "sim" when NULL). */
void
rumor__mp1_json(struct mp1_run *run, enum rumor_log_ev ev,
                const struct rumor_member_id *node,
                const struct rumor_member_id *member)
{
	struct rumor_log_record rec = {0};

	if (!run->log)
		return;
	rec.ts = (int64_t)run->now_ms;
	rec.ev = ev;
	if (node)
		rumor_member_id_format(node, rec.node, sizeof(rec.node));
	else
		strcpy(rec.node, "sim");
	if (member)
		rumor_member_id_format(member, rec.member, sizeof(rec.member));
	if (rumor_log_write_record(run->log, &rec))
		rumor__mp1_log_error(run, 2);
}

static void
note_event(struct mp1_run *run, int o, int m, const struct rumor_event *ev)
{
	char addr[RUMOR_MP1_ADDR_STRLEN];
	struct rumor_mp1_result *r = run->res;

	if (o < 0 || m < 0)
		return; /* not an MP1 member: never happens */
	rumor__mp1_addr_text((uint32_t)m, addr, sizeof(addr));
	if (ev->kind == RUMOR_EV_JOIN) {
		if (r->join_tick[o][m] < 0)
			r->join_tick[o][m] = (int32_t)run->tick;
		rumor__mp1_dbg(run, (uint32_t)o, "Node %s joined at time %u",
		               addr, run->tick);
	} else if (ev->kind == RUMOR_EV_REMOVE) {
		if (r->remove_tick[o][m] < 0)
			r->remove_tick[o][m] = (int32_t)run->tick;
		r->removes[o][m]++;
		rumor__mp1_dbg(run, (uint32_t)o, "Node %s removed at time %u",
		               addr, run->tick);
	}
}

void
rumor__mp1_on_event(void *user, const struct rumor_event *ev)
{
	struct mp1_member *mb = user;
	struct mp1_run *run = mb->run;

	if ((unsigned)ev->kind < RUMOR_EV_MAX)
		run->res->events[ev->kind]++;
	note_event(run, (int)mb->index, rumor__mp1_index(&ev->member.addr), ev);
	if (run->log &&
	    rumor_log_write_event(run->log, (int64_t)run->now_ms, ev))
		rumor__mp1_log_error(run, 2);
}

void
rumor__mp1_on_trace(void *user, const struct rumor_trace *tr)
{
	struct mp1_member *mb = user;
	struct mp1_run *run = mb->run;

	if (run->log &&
	    rumor_log_write_trace(run->log, (int64_t)run->now_ms, tr))
		rumor__mp1_log_error(run, 2);
}
