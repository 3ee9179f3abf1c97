/* SPDX-License-Identifier: MIT */
/*
 * Named settings (serf's lan/wan/local idea): a profile is the defaults with
 * a few timings changed together, so that the cost and the detection time
 * move along one line. docs/architecture.md ("Profiles") gives what each
 * costs and how fast it detects, as measured.
 */
#include <string.h>

#include "rumor/core.h"

struct profile {
	const char *name;
	uint32_t t_heartbeat_ms, t_suspect_ms, t_fail_ms, monitors;
	uint32_t t_gossip_ms, t_sync_ms, t_cleanup_ms;
};

static const struct profile profiles[] = {
    /* the defaults: 3 monitors x 10 heartbeats a second, ~390 B/s,
     * a crash failed ~1.4 s after it */
    {"lan", 100, 1000, 500, 3, 200, 10000, 5000},
    /* slower links: 10 heartbeats per T_suspect still, ~160 B/s, ~3.5 s */
    {"wan", 250, 2500, 1250, 3, 500, 30000, 15000},
    /* cheapest: 2 monitors x 3.3 heartbeats a second, ~90 B/s, 6 of them
     * per T_suspect, ~2.5 s */
    {"lean", 300, 1800, 900, 2, 1000, 30000, 10000},
};
static const char *const names[] = {"lan", "wan", "lean", NULL};

_Static_assert(sizeof(profiles) / sizeof(profiles[0]) + 1 ==
                   sizeof(names) / sizeof(names[0]),
               "every profile has a name");

const char *const *
rumor_config_profile_names(void)
{
	return names;
}

int
rumor_config_profile(struct rumor_config *cfg, const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		const struct profile *p = &profiles[i];
		if (name == NULL || strcmp(name, p->name) != 0)
			continue;
		rumor_config_init(cfg);
		cfg->t_heartbeat_ms = p->t_heartbeat_ms;
		cfg->t_suspect_ms = p->t_suspect_ms;
		cfg->t_fail_ms = p->t_fail_ms;
		cfg->monitors = p->monitors;
		cfg->t_gossip_ms = p->t_gossip_ms;
		cfg->t_sync_ms = p->t_sync_ms;
		cfg->t_cleanup_ms = p->t_cleanup_ms;
		return 0;
	}
	return RUMOR_EINVAL;
}

int
rumor_config_profile_args(struct rumor_config *cfg, int argc, char **argv,
                          const char **bad)
{
	const char *name = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strncmp(argv[i], "--profile=", 10) == 0)
			name = argv[i] + 10;
	}
	if (name == NULL)
		return 0;
	if (rumor_config_profile(cfg, name) != 0) {
		if (bad)
			*bad = name;
		return RUMOR_EINVAL;
	}
	return 0;
}
