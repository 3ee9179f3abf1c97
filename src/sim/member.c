/* SPDX-License-Identifier: MIT */
/*
 * Members: one core each at 127.0.0.1:(3000 + index), started, stopped,
 * crashed and restarted by the simulator; and the callbacks through which
 * the cores talk to the simulated world.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "rumor/tags.h"
#include "rumor/rng.h"

int
rumor__sim_addr_index(const struct rumor_sim *sim, const struct rumor_addr *a)
{
	static const uint8_t lo[16] = {127, 0, 0, 1};

	if (a->family != 4 || memcmp(a->ip, lo, sizeof(lo)) ||
	    a->port < RUMOR_SIM_BASE_PORT ||
	    a->port - RUMOR_SIM_BASE_PORT >= (int)sim->cfg.n_members)
		return -1;
	return a->port - RUMOR_SIM_BASE_PORT;
}

static int
member_send(void *user, const struct rumor_addr *to, const uint8_t *data,
            size_t len)
{
	struct sim_member *m = user;
	struct rumor_sim *sim = m->sim;
	struct sim_dgram *d;
	uint32_t delay = 0;
	int t = rumor__sim_addr_index(sim, to);

	struct rumor_sim_stats *st = rumor__sim_stats(sim);

	st->datagrams_sent++;
	st->bytes_sent += len;
	if (sim->hooks.on_send)
		sim->hooks.on_send(sim->hooks.arg, m->index, to, data, len);
	if (t < 0) {
		st->datagrams_unroutable++;
		return 0; /* UDP to nobody: sent, never heard of again */
	}
	switch (rumor__sim_net_route(&sim->net, &m->net_rng, m->index,
	                             (uint32_t)t, &delay)) {
	case SIM_NET_CUT:
		st->datagrams_cut++;
		return 0;
	case SIM_NET_FAULT:
		st->datagrams_faulted++;
		return 0;
	case SIM_NET_LOST:
		st->datagrams_lost++;
		return 0;
	case SIM_NET_DELIVER:
		break;
	}
	d = malloc(sizeof(*d) + len);
	if (!d)
		return RUMOR_ENOMEM;
	d->from = m->index;
	d->len = (uint32_t)len;
	memcpy(d->data, data, len);
	if (rumor__sim_push(sim, sim->now + delay, SIM_EV_DELIVER, (uint32_t)t,
	                    d)) {
		free(d);
		return RUMOR_ENOMEM;
	}
	return 0;
}

static int
member_stream_open(void *user, uint64_t stream_id, const struct rumor_addr *to,
                   const uint8_t *req, size_t len)
{
	return rumor__sim_stream_open(user, stream_id, to, req, len);
}

static void
member_on_event(void *user, const struct rumor_event *ev)
{
	struct sim_member *m = user;
	struct rumor_sim *sim = m->sim;

	struct rumor_log_writer *log = rumor__sim_log(sim);

	rumor__sim_stats(sim)->core_events++;
	if (sim->hooks.on_event)
		sim->hooks.on_event(sim->hooks.arg, m->index, ev);
	if (log && rumor_log_write_event(log, (int64_t)sim->now, ev))
		rumor__sim_log_failed(sim, errno);
}

static void
member_on_trace(void *user, const struct rumor_trace *tr)
{
	struct sim_member *m = user;
	struct rumor_sim *sim = m->sim;
	struct rumor_log_writer *log = rumor__sim_log(sim);

	if (log && rumor_log_write_trace(log, (int64_t)sim->now, tr))
		rumor__sim_log_failed(sim, errno);
}

static void
member_on_notice(void *user, const struct rumor_notice *n)
{
	struct sim_member *m = user;
	struct rumor_sim *sim = m->sim;

	if (sim->hooks.on_notice)
		sim->hooks.on_notice(sim->hooks.arg, m->index, n);
}

static const struct rumor_callbacks member_callbacks = {
    .send_datagram = member_send,
    .stream_open = member_stream_open,
    .on_event = member_on_event,
    .on_trace = member_on_trace,
    .on_notice = member_on_notice,
};

/*
 * A new core for member i at the current virtual time: version 1 + now
 * (strictly above any earlier one), seed splitmix64(master ^ i), with the
 * restart count mixed into the high half so restarts differ. Member 0
 * bootstraps; everyone else joins through member 0. A restart logs the
 * ground-truth `restart` (new id) before the new core's `start`.
 */
/* The --tag flags that name member i (their pair before any '@'). */
static void
set_tags(struct rumor_sim *sim, uint32_t i, struct rumor_core *core)
{
	const struct rumor_sim_config *cfg = &sim->cfg;
	uint8_t buf[65000];
	char pair[512];
	size_t len = 0;

	for (uint32_t k = 0; k < cfg->n_tags; k++) {
		const char *at = strrchr(cfg->tags[k], '@');
		if (i < cfg->tag_first[k] || i > cfg->tag_last[k])
			continue;
		snprintf(pair, sizeof(pair), "%.*s",
		         (int)(at ? (size_t)(at - cfg->tags[k])
		                  : strlen(cfg->tags[k])),
		         cfg->tags[k]);
		rumor_tags_put_pair(buf, sizeof(buf), &len, pair);
	}
	if (len > 0)
		rumor_core_set_tags(core, buf, len); /* over the cap: none */
}

int
rumor__sim_member_start(struct rumor_sim *sim, uint32_t i, int is_restart)
{
	struct sim_member *m = &sim->members[i];
	struct rumor_member_id id = {.addr = m->id.addr};
	uint64_t seed =
	    rumor_mix64(sim->cfg.seed ^ i ^ ((uint64_t)m->life << 32));
	struct rumor_addr intro;
	int rc;

	id.version = sim->now + 1;
	if (m->life && id.version <= m->id.version)
		id.version = m->id.version + 1;
	rc = rumor_core_new(&m->core, &sim->cfg.core, &member_callbacks, m, &id,
	                    seed, sim->now);
	if (rc) {
		m->core = NULL;
		rumor__sim_check(sim, rc);
		return rc;
	}
	m->id = id;
	m->life++;
	set_tags(sim, i, m->core);
	m->timer_at = RUMOR_NO_DEADLINE;
	m->timer_gen++;
	if (is_restart)
		rumor__sim_log_truth(sim, RUMOR_LOG_RESTART, &id);
	rumor__sim_log_member(sim, RUMOR_LOG_START, &id);
	if (i == 0) {
		rc = rumor_core_bootstrap(m->core, sim->now);
	} else {
		rumor_sim_member_addr(0, &intro);
		rc = rumor_core_join(m->core, sim->now, &intro, 1);
	}
	rumor__sim_check(sim, rc);
	rumor__sim_rearm(m);
	return rc;
}

/* The member's process exits (after a leave): `stop`, then free. */
void
rumor__sim_member_stop(struct sim_member *m)
{
	m->id = *rumor_core_self(m->core);
	rumor__sim_log_member(m->sim, RUMOR_LOG_STOP, &m->id);
	rumor_core_free(m->core);
	m->core = NULL;
	m->timer_gen++;
	m->timer_at = RUMOR_NO_DEADLINE;
}

void
rumor__sim_deliver(struct rumor_sim *sim, uint32_t to, struct sim_dgram *d)
{
	struct sim_member *m = &sim->members[to];
	struct rumor_sim_stats *st = rumor__sim_stats(sim);
	struct rumor_addr from;

	if (!m->core) {
		st->datagrams_to_dead++;
	} else if (sim->net.group[d->from] != sim->net.group[to]) {
		st->datagrams_cut++; /* cut while in flight */
	} else if (sim->net.sick[to].deaf ||
	           rumor__sim_net_is_cut(&sim->net, d->from, to)) {
		st->datagrams_faulted++; /* deaf, or a link fault in flight */
	} else {
		st->datagrams_delivered++;
		rumor_sim_member_addr(d->from, &from);
		rumor__sim_check(
		    sim, rumor_core_recv_datagram(m->core, sim->now, &from,
		                                  d->data, d->len));
		rumor__sim_rearm(m);
	}
	free(d);
}

int
rumor_sim_crash(struct rumor_sim *sim, uint32_t i)
{
	struct sim_member *m;

	if (i >= sim->cfg.n_members)
		return RUMOR_EINVAL;
	m = &sim->members[i];
	if (!m->core)
		return RUMOR_ESTATE;
	m->id = *rumor_core_self(m->core);
	rumor__sim_log_truth(sim, RUMOR_LOG_CRASH, &m->id);
	rumor_core_free(m->core);
	m->core = NULL;
	m->timer_gen++;
	m->timer_at = RUMOR_NO_DEADLINE;
	return 0;
}

int
rumor_sim_leave(struct rumor_sim *sim, uint32_t i)
{
	struct sim_member *m;
	int rc;

	if (i >= sim->cfg.n_members)
		return RUMOR_EINVAL;
	m = &sim->members[i];
	if (!m->core)
		return RUMOR_ESTATE;
	rc = rumor_core_leave(m->core, sim->now);
	rumor__sim_check(sim, rc);
	rumor__sim_rearm(m);
	return rc;
}

int
rumor_sim_restart(struct rumor_sim *sim, uint32_t i)
{
	if (i >= sim->cfg.n_members)
		return RUMOR_EINVAL;
	if (sim->members[i].core)
		rumor_sim_crash(sim, i);
	return rumor__sim_member_start(sim, i, 1);
}
