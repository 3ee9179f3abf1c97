/* SPDX-License-Identifier: MIT */
/* Configuration defaults and range checks; docs/architecture.md justifies
 * the defaults with the analysis and simulator measurements behind them. */
#include <stddef.h>

#include "rumor/core.h"
#include "rumor/tags.h"

void
rumor_config_init(struct rumor_config *cfg)
{
	*cfg = (struct rumor_config){
	    .t_heartbeat_ms = 100,
	    .t_gossip_ms = 200,
	    .fanout = 3,
	    .t_suspect_ms = 1000,
	    .t_fail_ms = 500,
	    .t_cleanup_ms = 5000,
	    .mtu_bytes = 1400,
	    .max_members = 100000,
	    .retransmit_mult = 3,
	    .leave_grace_ms = 1000,
	    .reconnect_ms = 2000,
	    .reconnect_timeout_ms = 24u * 3600u * 1000u,
	    .monitors = 3,
	    .gossip_entries = 0,
	    .t_sync_ms = 10000,
	    .t_suspect_far_ms = 0,
	    .tags_max_bytes = RUMOR_TAGS_MAX_DEFAULT,
	    .recv_drop_rate = 0.0,
	    .trace = 0,
	};
}

#define CHECK(cond, name)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			if (bad_field)                                         \
				*bad_field = name;                             \
			return RUMOR_EINVAL;                                   \
		}                                                              \
	} while (0)

int
rumor_config_validate(const struct rumor_config *cfg, const char **bad_field)
{
	CHECK(cfg != NULL, "config");
	CHECK(cfg->t_gossip_ms >= 10 && cfg->t_gossip_ms <= 60000,
	      "t_gossip_ms");
	CHECK(cfg->fanout >= 1 && cfg->fanout <= 16, "fanout");
	CHECK(cfg->t_heartbeat_ms >= 10 && cfg->t_heartbeat_ms <= 60000,
	      "t_heartbeat_ms");
	CHECK(cfg->t_suspect_ms >= cfg->t_heartbeat_ms &&
	          cfg->t_suspect_ms <= 3600000,
	      "t_suspect_ms");
	CHECK(cfg->t_fail_ms <= 3600000, "t_fail_ms");
	CHECK(cfg->t_cleanup_ms <= 86400000, "t_cleanup_ms");
	CHECK(cfg->mtu_bytes >= 256 && cfg->mtu_bytes <= 65000, "mtu_bytes");
	CHECK(cfg->max_members >= 2 && cfg->max_members <= 1000000,
	      "max_members");
	CHECK(cfg->retransmit_mult >= 1 && cfg->retransmit_mult <= 16,
	      "retransmit_mult");
	CHECK(cfg->leave_grace_ms <= 60000, "leave_grace_ms");
	CHECK(cfg->reconnect_ms <= 3600000, "reconnect_ms");
	CHECK(cfg->reconnect_timeout_ms >= 1000, "reconnect_timeout_ms");
	CHECK(cfg->monitors <= 8, "monitors");
	CHECK(cfg->gossip_entries == 0 || cfg->gossip_entries >= 2,
	      "gossip_entries");
	CHECK(cfg->t_sync_ms == 0 ||
	          (cfg->t_sync_ms >= 1000 && cfg->t_sync_ms <= 3600000),
	      "t_sync_ms");
	CHECK(cfg->t_suspect_far_ms == 0 ||
	          (cfg->t_suspect_far_ms >= cfg->t_suspect_ms &&
	           cfg->t_suspect_far_ms <= 3600000),
	      "t_suspect_far_ms");
	CHECK(cfg->tags_max_bytes <= 65000, "tags_max_bytes");
	CHECK(cfg->recv_drop_rate >= 0.0 && cfg->recv_drop_rate <= 1.0,
	      "recv_drop_rate");
	return 0;
}
