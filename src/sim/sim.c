/* SPDX-License-Identifier: MIT */
/* The simulator object: creation, teardown and read-only inspection. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "rumor/rng.h"

/* Mixed into the master seed for the network's streams, one per member
 * (>= 2^32, so that no member's seed equals a core's). */
#define SIM_NET_SEED_SALT 0x6e65742d6d6f646cULL

void
rumor_sim_config_init(struct rumor_sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->n_members = 16;
	cfg->seed = 1;
	cfg->loss = 0;
	cfg->delay_min_ms = 1;
	cfg->delay_max_ms = 10;
	cfg->stagger_ms = 5;
	cfg->stream_timeout_ms = 1000;
	rumor_config_init(&cfg->core);
	cfg->log_path = NULL;
	cfg->trace = 0;
	cfg->threads = 1;
}

int
rumor_sim_config_validate(const struct rumor_sim_config *cfg,
                          const char **bad_field)
{
	const char *bad = NULL, *core_bad = NULL;

	if (cfg->n_members < 1 || cfg->n_members > RUMOR_SIM_MAX_MEMBERS)
		bad = "n_members";
	else if (!(cfg->loss >= 0 && cfg->loss <= 1))
		bad = "loss";
	else if (cfg->delay_min_ms > cfg->delay_max_ms ||
	         cfg->delay_max_ms > 60000)
		bad = "delay_ms";
	else if ((uint64_t)cfg->stagger_ms * cfg->n_members >
	         RUMOR_SIM_MAX_TIME_MS)
		bad = "stagger_ms";
	else if (cfg->stream_timeout_ms < 1 || cfg->stream_timeout_ms > 600000)
		bad = "stream_timeout_ms";
	else if (cfg->threads < 1 || cfg->threads > RUMOR_SIM_MAX_THREADS)
		bad = "threads";
	else if (rumor_config_validate(&cfg->core, &core_bad))
		bad = core_bad ? core_bad : "core";
	if (bad_field)
		*bad_field = bad;
	return bad ? RUMOR_EINVAL : 0;
}

static int
sim_init(struct rumor_sim *sim, const struct rumor_sim_config *cfg)
{
	uint32_t n = cfg->n_members;

	sim->cfg = *cfg;
	sim->cfg.core.trace = cfg->trace;
	rumor__sim_heap_init(&sim->heap);
	sim->members = calloc(n, sizeof(*sim->members));
	if (!sim->members)
		return RUMOR_ENOMEM;
	if (cfg->log_path && !(sim->log_path = strdup(cfg->log_path)))
		return RUMOR_ENOMEM;
	sim->cfg.log_path = sim->log_path;
	if (rumor__sim_net_init(&sim->net, n, cfg->loss, cfg->delay_min_ms,
	                        cfg->delay_max_ms))
		return RUMOR_ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct sim_member *m = &sim->members[i];

		m->sim = sim;
		m->index = i;
		rumor_rng_seed(&m->net_rng,
		               rumor_mix64(cfg->seed ^ SIM_NET_SEED_SALT ^
		                           ((uint64_t)i << 40)));
		m->timer_at = RUMOR_NO_DEADLINE;
		rumor_sim_member_addr(i, &m->id.addr);
		if (rumor__sim_push(sim, (uint64_t)i * cfg->stagger_ms,
		                    SIM_EV_START, i, NULL))
			return RUMOR_ENOMEM;
	}
	return 0;
}

/*
 * A simulation log is one run: replace an existing regular file (the writer
 * appends, which would splice two runs whose ts both start at 0). FIFOs,
 * devices and "-" are left alone.
 */
static int
log_truncate(const char *path)
{
	struct stat st;

	if (!strcmp(path, "-") || stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	return truncate(path, 0);
}

int
rumor_sim_new(struct rumor_sim **out, const struct rumor_sim_config *cfg)
{
	struct rumor_sim *sim;
	int rc;

	*out = NULL;
	if (rumor_sim_config_validate(cfg, NULL))
		return RUMOR_EINVAL;
	sim = aligned_alloc(64, sizeof(*sim)); /* its thread flags' lines */
	if (!sim)
		return RUMOR_ENOMEM;
	memset(sim, 0, sizeof(*sim));
	rc = sim_init(sim, cfg);
	if (!rc && sim->log_path) {
		rc = log_truncate(sim->log_path)
		         ? RUMOR_EINVAL
		         : rumor_log_writer_open(&sim->log, sim->log_path,
		                                 RUMOR_LOG_BUFFERED);
		if (rc && rc != RUMOR_ENOMEM) {
			int saved = errno;

			rumor_sim_free(sim);
			errno = saved;
			return RUMOR_EINVAL;
		}
	}
	if (!rc)
		rc = rumor__sim_threads_init(sim);
	if (rc) {
		rumor_sim_free(sim);
		return rc;
	}
	*out = sim;
	return 0;
}

void
rumor_sim_free(struct rumor_sim *sim)
{
	struct sim_event ev;

	if (!sim)
		return;
	rumor__sim_threads_free(sim);
	while (rumor__sim_heap_pop(&sim->heap, &ev))
		rumor__sim_free_payload(&ev);
	rumor__sim_heap_destroy(&sim->heap);
	for (uint32_t i = 0; sim->members && i < sim->cfg.n_members; i++)
		rumor_core_free(sim->members[i].core);
	free(sim->members);
	rumor__sim_net_destroy(&sim->net);
	rumor__sim_faults_free(sim);
	rumor_log_writer_close(sim->log);
	free(sim->log_path);
	free(sim);
}

int
rumor_sim_finish(struct rumor_sim *sim)
{
	if (!sim->finished) {
		sim->finished = 1;
		for (uint32_t i = 0; i < sim->cfg.n_members; i++) {
			struct sim_member *m = &sim->members[i];

			if (m->core)
				rumor__sim_log_member(sim, RUMOR_LOG_STOP,
				                      rumor_core_self(m->core));
		}
		if (sim->log && rumor_log_writer_flush(sim->log) &&
		    !sim->log_errno)
			sim->log_errno = errno ? errno : EIO;
	}
	if (sim->fatal)
		return sim->fatal;
	if (sim->log_errno) {
		errno = sim->log_errno;
		return -1;
	}
	return 0;
}

void
rumor_sim_set_hooks(struct rumor_sim *sim, const struct rumor_sim_hooks *hooks)
{
	if (hooks)
		sim->hooks = *hooks;
	else
		memset(&sim->hooks, 0, sizeof(sim->hooks));
}

uint64_t
rumor_sim_now(const struct rumor_sim *sim)
{
	return sim->now;
}

uint32_t
rumor_sim_size(const struct rumor_sim *sim)
{
	return sim->cfg.n_members;
}

const struct rumor_sim_config *
rumor_sim_config(const struct rumor_sim *sim)
{
	return &sim->cfg;
}

const struct rumor_core *
rumor_sim_core(const struct rumor_sim *sim, uint32_t i)
{
	return i < sim->cfg.n_members ? sim->members[i].core : NULL;
}

int
rumor_sim_member_id(const struct rumor_sim *sim, uint32_t i,
                    struct rumor_member_id *out)
{
	const struct sim_member *m;

	if (i >= sim->cfg.n_members)
		return RUMOR_EINVAL;
	m = &sim->members[i];
	if (!m->life)
		return RUMOR_ESTATE;
	*out = m->core ? *rumor_core_self(m->core) : m->id;
	return 0;
}

void
rumor_sim_member_addr(uint32_t i, struct rumor_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = 4;
	out->port = (uint16_t)(RUMOR_SIM_BASE_PORT + i);
	out->ip[0] = 127;
	out->ip[3] = 1;
}

void
rumor_sim_stats(const struct rumor_sim *sim, struct rumor_sim_stats *out)
{
	*out = sim->stats;
}
