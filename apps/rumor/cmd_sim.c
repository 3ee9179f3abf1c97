/*
 * rumor sim: run a simulated cluster (src/sim, docs/sim.md) for
 * --duration of virtual time and print a one-line summary.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rumor/sim.h"

#include "commands.h"

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
	if (rumor_sim_now(sim))
		fprintf(out, ", %.0f bytes/member/s",
		        (double)st.bytes_sent / rumor_sim_size(sim) * 1000.0 /
		            (double)rumor_sim_now(sim));
	if (st.actions_skipped)
		fprintf(out, ", %llu actions skipped (member not running)",
		        (unsigned long long)st.actions_skipped);
	fputc('\n', out);
}

int
cmd_sim(int argc, char **argv)
{
	struct rumor_sim_options o;
	struct rumor_sim *sim = NULL;
	FILE *out;
	double t0;
	int rc;

	rc = rumor_sim_options_parse(&o, argc, argv, stdout, stderr);
	if (rc || o.help)
		goto done;
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
	rc = rumor_sim_run_for(sim, o.duration_ms);
	if (rc)
		fprintf(
		    stderr, "rumor sim: stopped at %llu ms: core error %s\n",
		    (unsigned long long)rumor_sim_now(sim), rumor_err_name(rc));
	rc = rumor_sim_finish(sim);
	if (rc == -1)
		fprintf(stderr, "rumor sim: --log '%s': %s\n", o.cfg.log_path,
		        strerror(errno));
	summary(out, sim, wall_s() - t0);
	rc = rc ? 1 : 0;
done:
	rumor_sim_free(sim);
	rumor_sim_options_free(&o);
	return rc;
}
