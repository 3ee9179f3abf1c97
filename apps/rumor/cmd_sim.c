/* SPDX-License-Identifier: MIT */
/*
 * rumor sim: run a simulated cluster (src/sim, docs/sim.md) for
 * --duration of virtual time and print a one-line summary; or, with --mp1,
 * one of the MP1 assignment's scenarios (docs/mp1.md).
 */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rumor/mp1.h"
#include "rumor/sim.h"

#include "commands.h"

/* From this many members the tables outgrow the TLB's reach. */
#define HUGE_PAGES_MIN_NODES 200

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
summary(FILE *out, const struct rumor_sim *sim, double wall)
{
	struct rumor_sim_stats st;

	rumor_sim_stats(sim, &st);
	fprintf(out,
	        "rumor sim: %u members, %llu ms virtual, %.2f s wall, "
	        "%llu datagrams sent (%llu delivered, %llu lost, %llu cut), "
	        "%llu events, seed %llu",
	        rumor_sim_size(sim), (unsigned long long)rumor_sim_now(sim),
	        wall, (unsigned long long)st.datagrams_sent,
	        (unsigned long long)st.datagrams_delivered,
	        (unsigned long long)st.datagrams_lost,
	        (unsigned long long)st.datagrams_cut,
	        (unsigned long long)st.core_events,
	        (unsigned long long)rumor_sim_config(sim)->seed);
	if (rumor_sim_now(sim)) {
		double per =
		    1000.0 / rumor_sim_size(sim) / (double)rumor_sim_now(sim);
		fprintf(
		    out, ", %.0f bytes/member/s (datagrams %.0f, streams %.0f)",
		    (double)(st.bytes_sent + st.stream_bytes) * per,
		    (double)st.bytes_sent * per, (double)st.stream_bytes * per);
	}
	if (st.rounds_shared)
		fprintf(out, ", %llu ms shared by %u threads",
		        (unsigned long long)st.rounds_shared,
		        rumor_sim_config(sim)->threads);
	if (st.datagrams_faulted || st.events_paused)
		fprintf(out,
		        ", sick members: %llu datagrams lost to their faults, "
		        "%llu events postponed by pauses",
		        (unsigned long long)st.datagrams_faulted,
		        (unsigned long long)st.events_paused);
	if (st.actions_skipped)
		fprintf(out, ", %llu actions skipped (member not running)",
		        (unsigned long long)st.actions_skipped);
	fputc('\n', out);
}

static int cmd_sim_mp1(int argc, char **argv);

static int
wants_mp1(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--mp1") || !strncmp(argv[i], "--mp1=", 6))
			return 1;
	return 0;
}

/* SIGINT/SIGTERM during a run: stop at the next virtual ms and finish, so
 * the log keeps every line up to there (it is buffered: killed outright,
 * up to 64 KiB of it were lost). */
static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	interrupted = sig;
}

static int
was_interrupted(void *arg, struct rumor_sim *sim)
{
	(void)arg;
	(void)sim;
	return interrupted != 0;
}

/* Run for ms, or until SIGINT/SIGTERM. 0, 1 when interrupted (said), or a
 * fatal core error. */
static int
run_interruptible(struct rumor_sim *sim, uint64_t ms)
{
	struct sigaction sa = {.sa_handler = on_interrupt}, old_int, old_term;
	int64_t rc;

	sigemptyset(&sa.sa_mask);
	/* a signal the caller ignores (nohup, `&` in a script) stays ignored */
	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGTERM, NULL, &old_term);
	if (old_int.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	if (old_term.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &sa, NULL);
	rc = rumor_sim_run_until(sim, was_interrupted, NULL, ms);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc == RUMOR_SIM_TIMEOUT)
		return 0;
	if (rc >= 0) {
		fprintf(stderr,
		        "rumor sim: %s at %lld ms of virtual time: stopping "
		        "there (the log keeps every line until then)\n",
		        interrupted == SIGINT ? "SIGINT" : "SIGTERM",
		        (long long)rc);
		return 1;
	}
	return (int)rc;
}

int
cmd_sim(int argc, char **argv)
{
	struct rumor_sim_options o;
	struct rumor_sim *sim = NULL;
	FILE *out;
	double t0;
	int rc, stopped;

	if (wants_mp1(argc, argv))
		return cmd_sim_mp1(argc, argv);
	rc = rumor_sim_options_parse(&o, argc, argv, stdout, stderr);
	if (rc || o.help)
		goto done;
	/* 12-18% faster at N = 1,000 (docs/sim.md, Speed); small runs gain
	 * nothing and keep the start-up of one process */
	if (o.cfg.n_members >= HUGE_PAGES_MIN_NODES)
		rumor_huge_pages_reexec("sim", argc, argv);
	out = o.cfg.log_path && !strcmp(o.cfg.log_path, "-") ? stderr : stdout;
	errno = 0;
	rc = rumor_sim_new(&sim, &o.cfg);
	if (rc) {
		if (rc == RUMOR_ENOMEM)
			fprintf(stderr, "rumor sim: out of memory\n");
		else
			fprintf(stderr, "rumor sim: --log '%s': %s\n",
			        o.cfg.log_path ? o.cfg.log_path : "",
			        strerror(errno ? errno : EINVAL));
		rc = 1;
		goto done;
	}
	rumor_sim_options_schedule(sim, &o); /* checked by the parser */
	t0 = wall_s();
	rc = run_interruptible(sim, o.duration_ms);
	if (rc < 0)
		fprintf(
		    stderr, "rumor sim: stopped at %llu ms: core error %s\n",
		    (unsigned long long)rumor_sim_now(sim), rumor_err_name(rc));
	stopped = rc != 0;
	rc = rumor_sim_finish(sim);
	if (rc == -1)
		fprintf(stderr, "rumor sim: --log '%s': %s\n", o.cfg.log_path,
		        strerror(errno));
	summary(out, sim, wall_s() - t0);
	rc = rc || stopped ? 1 : 0;
done:
	rumor_sim_free(sim);
	rumor_sim_options_free(&o);
	return rc;
}

/* ---- --mp1: the MP1 assignment's scenarios ---- */

static void
mp1_usage(FILE *out)
{
	struct rumor_config d;

	rumor_mp1_core_defaults(&d);
	fprintf(out,
	        "usage: rumor sim --mp1 SCENARIO [--seed S] [--dbg-log FILE] "
	        "[OPTIONS]\n"
	        "\n"
	        "Run a scenario of the Coursera \"Cloud Computing Concepts\" "
	        "MP1 assignment\n"
	        "on rumor's core: 10 members 1.0.0.0:0 .. 10.0.0.0:0, 700 "
	        "ticks, 1 tick = %d ms;\n"
	        "failures at the end of tick %d. docs/mp1.md has the model.\n"
	        "\n"
	        "  --mp1 SCENARIO   singlefailure, multifailure or "
	        "msgdropsinglefailure\n"
	        "  --seed S         master seed (default 1)\n"
	        "  --dbg-log FILE   the assignment's dbg.log (- = stdout); "
	        "grade it with\n"
	        "                   rumor mp1-grade FILE\n"
	        "  --log FILE       rumor's JSON event log too (rumor analyze, "
	        "rumor-viz)\n"
	        "  --trace          send/recv/drop lines in the JSON log\n"
	        "  --help           this text\n"
	        "\n"
	        "Protocol flags of rumor sim --help apply too (in ms); the MP1 "
	        "defaults:\n"
	        "  --heartbeat-ms %u --gossip-ms %u --suspect-ms %u --fail-ms "
	        "%u\n"
	        "  --cleanup-ms %u --sync-ms %u --suspect-far-ms %u\n"
	        "  (others as rumor sim --help says)\n",
	        RUMOR_MP1_TICK_MS, RUMOR_MP1_FAIL_TICK, d.t_heartbeat_ms,
	        d.t_gossip_ms, d.t_suspect_ms, d.t_fail_ms, d.t_cleanup_ms,
	        d.t_sync_ms, d.t_suspect_far_ms);
}

/* rumor sim flags that keep their meaning with --mp1; the first eight
 * have MP1 defaults (rumor_mp1_core_defaults) unless given. */
static const char *const mp1_passed[] = {
    "heartbeat-ms",
    "gossip-ms",
    "suspect-ms",
    "fail-ms",
    "cleanup-ms",
    "sync-ms",
    "suspect-far-ms",
    "gossip-entries",
    "fanout",
    "mtu",
    "drop-rate",
    "monitors",
    "retransmit-mult",
    "leave-grace-ms",
    "reconnect-ms",
    "reconnect-timeout-ms",
    "max-members",
    "seed",
    "log",
    "trace",
};
#define MP1_N_PASSED  (sizeof(mp1_passed) / sizeof(mp1_passed[0]))
#define MP1_N_DEFAULT 8
#define MP1_MAX_SUB   64
enum { MP1_OPT_SCENARIO = 512, MP1_OPT_DBG, MP1_OPT_HELP, MP1_OPT_PASS };

struct mp1_args {
	struct rumor_mp1_config cfg;
	int given[MP1_N_PASSED];
	char *sub[MP1_MAX_SUB]; /* "--name=value" for rumor_sim_options_parse */
	int n_sub;
	int have_scenario, help;
};

/* One pass-through flag as "--name=value" (or "--name"); 0 or 2. */
static int
mp1_pass(struct mp1_args *a, int k, const char *value)
{
	size_t len = strlen(mp1_passed[k]) + (value ? strlen(value) : 0) + 4;
	char *s;

	if (a->n_sub + 1 >= MP1_MAX_SUB || !(s = malloc(len))) {
		fprintf(stderr, "rumor sim: too many options\n");
		return 2;
	}
	snprintf(s, len, "--%s%s%s", mp1_passed[k], value ? "=" : "",
	         value ? value : "");
	a->sub[a->n_sub++] = s;
	a->given[k] = 1;
	return 0;
}

static int
mp1_opt(struct mp1_args *a, int c, const char *arg)
{
	switch (c) {
	case MP1_OPT_HELP:
		a->help = 1;
		return 0;
	case MP1_OPT_SCENARIO:
		if (rumor_mp1_scenario_parse(optarg, &a->cfg.scenario)) {
			fprintf(
			    stderr,
			    "rumor sim: --mp1 '%s': expected singlefailure, "
			    "multifailure or msgdropsinglefailure\n",
			    optarg);
			return 2;
		}
		a->have_scenario = 1;
		return 0;
	case MP1_OPT_DBG:
		if (!*optarg) {
			fprintf(stderr, "rumor sim: --dbg-log '': expected a "
			                "file name or -\n");
			return 2;
		}
		a->cfg.dbg_log_path = optarg;
		return 0;
	case '?':
		fprintf(stderr,
		        "rumor sim: '%s' is not an option of the MP1 mode: the "
		        "scenario fixes the members, the network and the "
		        "faults (see rumor sim --mp1 --help)\n",
		        arg);
		return 2;
	case ':':
		fprintf(stderr, "rumor sim: option '%s' needs a value\n", arg);
		return 2;
	}
	return mp1_pass(a, c - MP1_OPT_PASS, optarg);
}

static int
mp1_getopt(struct mp1_args *a, int argc, char **argv)
{
	struct option opts[MP1_N_PASSED + 4] = {
	    {"mp1", required_argument, NULL, MP1_OPT_SCENARIO},
	    {"dbg-log", required_argument, NULL, MP1_OPT_DBG},
	    {"help", no_argument, NULL, MP1_OPT_HELP},
	};
	int c, rc = 0;

	for (size_t k = 0; k < MP1_N_PASSED; k++)
		opts[3 + k] = (struct option){mp1_passed[k],
		                              strcmp(mp1_passed[k], "trace")
		                                  ? required_argument
		                                  : no_argument,
		                              NULL, MP1_OPT_PASS + (int)k};
	optind = 0;
	opterr = 0;
	while (!rc && !a->help &&
	       (c = getopt_long(argc, argv, ":", opts, NULL)) != -1)
		rc = mp1_opt(a, c, argv[optind - 1]);
	if (!rc && !a->help && optind < argc) {
		fprintf(stderr, "rumor sim: unexpected argument '%s'\n",
		        argv[optind]);
		rc = 2;
	}
	return rc;
}

/*
 * Parse `rumor sim --mp1 ...`: the MP1 flags here, the rest through the
 * simulator's own parser (same checks and messages); the core timings that
 * were not given take their MP1 values. 0, or 2 after a message.
 */
static int
mp1_parse(struct mp1_args *a, int argc, char **argv)
{
	struct rumor_sim_options o;
	struct rumor_config mp1;
	const char *bad = NULL;
	int rc = mp1_getopt(a, argc, argv);

	if (rc || a->help)
		return rc;
	if (!a->have_scenario) {
		fprintf(stderr, "rumor sim: --mp1 needs a scenario\n");
		return 2;
	}
	a->sub[0] = argv[0];
	rc = rumor_sim_options_parse(&o, a->n_sub, a->sub, stdout, stderr);
	rumor_sim_options_free(&o);
	if (rc)
		return rc;
	rumor_mp1_core_defaults(&mp1);
	a->cfg.seed = o.cfg.seed;
	a->cfg.log_path = o.cfg.log_path;
	a->cfg.trace = o.cfg.trace;
	a->cfg.core = o.cfg.core;
	uint32_t *field[MP1_N_DEFAULT] = {
	    &a->cfg.core.t_heartbeat_ms,   &a->cfg.core.t_gossip_ms,
	    &a->cfg.core.t_suspect_ms,     &a->cfg.core.t_fail_ms,
	    &a->cfg.core.t_cleanup_ms,     &a->cfg.core.t_sync_ms,
	    &a->cfg.core.t_suspect_far_ms, &a->cfg.core.gossip_entries};
	const uint32_t value[MP1_N_DEFAULT] = {
	    mp1.t_heartbeat_ms,   mp1.t_gossip_ms,   mp1.t_suspect_ms,
	    mp1.t_fail_ms,        mp1.t_cleanup_ms,  mp1.t_sync_ms,
	    mp1.t_suspect_far_ms, mp1.gossip_entries};
	for (int k = 0; k < MP1_N_DEFAULT; k++)
		if (!a->given[k])
			*field[k] = value[k];
	if (rumor_config_validate(&a->cfg.core, &bad)) {
		fprintf(stderr,
		        "rumor sim: with the MP1 timings the settings are "
		        "inconsistent: %s (see rumor sim --mp1 --help)\n",
		        bad ? bad : "?");
		return 2;
	}
	return 0;
}

/* "first..last" removal ticks of the failed members, over survivors. */
static void
mp1_summary(FILE *out, const struct rumor_mp1_config *cfg,
            const struct rumor_mp1_result *r, double wall)
{
	int first = -1, last = -1, is_failed[RUMOR_MP1_MEMBERS] = {0};
	unsigned removed = 0, pairs = 0;

	for (uint32_t k = 0; k < r->n_failed; k++)
		is_failed[r->failed[k]] = 1;
	for (uint32_t k = 0; k < r->n_failed; k++)
		for (uint32_t o = 0; o < RUMOR_MP1_MEMBERS; o++) {
			int t = r->remove_tick[o][r->failed[k]];

			if (is_failed[o])
				continue;
			pairs++;
			if (t < 0)
				continue;
			removed++;
			first = first < 0 || t < first ? t : first;
			last = t > last ? t : last;
		}
	fprintf(out, "rumor sim --mp1 %s: seed %llu, %d ticks, failed",
	        rumor_mp1_scenario_name(cfg->scenario),
	        (unsigned long long)cfg->seed, RUMOR_MP1_TICKS);
	for (uint32_t k = 0; k < r->n_failed; k++)
		fprintf(out, " %u.0.0.0:0", r->failed[k] + 1);
	fprintf(out, " at tick %d; removed in %u of %u survivor lists",
	        RUMOR_MP1_FAIL_TICK, removed, pairs);
	if (removed)
		fprintf(out, ", ticks %d..%d", first, last);
	fprintf(out,
	        "; %llu other removals; %llu datagrams sent, %llu dropped; "
	        "%llu streams (joins, syncs); %.2f s wall\n",
	        (unsigned long long)(r->events[RUMOR_EV_REMOVE] - removed),
	        (unsigned long long)r->datagrams_sent,
	        (unsigned long long)r->datagrams_dropped,
	        (unsigned long long)r->streams_opened, wall);
}

static int
cmd_sim_mp1(int argc, char **argv)
{
	struct mp1_args a = {.n_sub = 1};
	struct rumor_mp1_result res;
	double t0;
	int rc;

	rumor_mp1_config_init(&a.cfg, RUMOR_MP1_SINGLE);
	for (int i = 1; i < argc; i++)
		a.help |= !strcmp(argv[i], "--help");
	rc = a.help ? 0 : mp1_parse(&a, argc, argv);
	if (!rc && a.help)
		mp1_usage(stdout);
	if (rc || a.help)
		goto done;
	t0 = wall_s();
	errno = 0;
	rc = rumor_mp1_run(&a.cfg, &res);
	if (rc == RUMOR_EINVAL || rc == -1)
		fprintf(stderr, "rumor sim: %s '%s': %s\n",
		        res.bad_log == 2 ? "--log" : "--dbg-log",
		        res.bad_log == 2 ? a.cfg.log_path : a.cfg.dbg_log_path,
		        strerror(errno ? errno : EINVAL));
	else if (rc)
		fprintf(stderr, "rumor sim: core error %s\n",
		        rumor_err_name(rc));
	else
		mp1_summary(
		    (a.cfg.dbg_log_path && !strcmp(a.cfg.dbg_log_path, "-")) ||
		            (a.cfg.log_path && !strcmp(a.cfg.log_path, "-"))
		        ? stderr
		        : stdout,
		    &a.cfg, &res, wall_s() - t0);
	rc = rc ? 1 : 0;
done:
	for (int i = 1; i < a.n_sub; i++)
		free(a.sub[i]);
	return rc;
}
