/* SPDX-License-Identifier: MIT */
/*
 * The uint32_t settings of struct rumor_config as command-line flags, so
 * that `rumor agent` and `rumor sim` offer the same names, units and help
 * from one table.
 */
#include <stddef.h>
#include <string.h>

#include "rumor/core.h"

#define FLAG(name, field, unit, range, help)                                   \
	{                                                                      \
		name, unit, help, offsetof(struct rumor_config, field),        \
		    #field, range                                              \
	}

static const struct rumor_config_flag flags[] = {
    FLAG("heartbeat-ms", t_heartbeat_ms, RUMOR_CONFIG_MS, "10..60000",
         "own heartbeat straight to the ring monitors"),
    FLAG("gossip-ms", t_gossip_ms, RUMOR_CONFIG_MS, "10..60000",
         "round: telling suspects, reconnect probes, heartbeat gossip"),
    FLAG("fanout", fanout, RUMOR_CONFIG_COUNT, "1..16",
         "targets of each news push (and gossip round)"),
    FLAG("gossip-entries", gossip_entries, RUMOR_CONFIG_COUNT, "0 or 2..",
         "heartbeat gossip: entries per round's datagram (0 = no gossip)"),
    FLAG("suspect-ms", t_suspect_ms, RUMOR_CONFIG_MS, "--heartbeat-ms..3600000",
         "no heartbeat progress this long: suspect"),
    FLAG("suspect-far-ms", t_suspect_far_ms, RUMOR_CONFIG_MS,
         "0 or --suspect-ms..3600000",
         "the same for predecessors not heard first hand (0 = derived)"),
    FLAG("fail-ms", t_fail_ms, RUMOR_CONFIG_MS, "0..3600000",
         "suspected this much longer: failed"),
    FLAG("cleanup-ms", t_cleanup_ms, RUMOR_CONFIG_MS, "0..86400000",
         "failed/left entries removed after this"),
    FLAG("monitors", monitors, RUMOR_CONFIG_COUNT, "0..8",
         "ring monitors per member (0..8; 0 = no ring)"),
    FLAG("sync-ms", t_sync_ms, RUMOR_CONFIG_MS, "0 or 1000..3600000",
         "anti-entropy: list digests compared every so often (0 = off)"),
    FLAG("reconnect-ms", reconnect_ms, RUMOR_CONFIG_MS, "0..3600000",
         "retry seeds and failed addresses (0 = off)"),
    FLAG("reconnect-timeout-ms", reconnect_timeout_ms, RUMOR_CONFIG_MS,
         "1000..4294967295",
         "retry a failed member's address this long (seeds: for ever)"),
    FLAG("retransmit-mult", retransmit_mult, RUMOR_CONFIG_COUNT, "1..16",
         "send each piece of news N*ceil(log2(members+1)) times"),
    FLAG("leave-grace-ms", leave_grace_ms, RUMOR_CONFIG_MS, "0..60000",
         "keep announcing a leave this long"),
    FLAG("mtu", mtu_bytes, RUMOR_CONFIG_BYTES, "256..65000",
         "largest datagram (with --key-file, the seal included)"),
    FLAG("max-members", max_members, RUMOR_CONFIG_COUNT, "2..1000000",
         "membership table bound"),
    FLAG("tags-max", tags_max_bytes, RUMOR_CONFIG_BYTES, "0..65000",
         "cap of this member's encoded tags (and what a datagram carries)"),
};

const struct rumor_config_flag *
rumor_config_flags(size_t *n)
{
	*n = sizeof(flags) / sizeof(flags[0]);
	return flags;
}

const struct rumor_config_flag *
rumor_config_flag_of_field(const char *field)
{
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(flags[i].field, field) == 0)
			return &flags[i];
	return NULL;
}

uint32_t *
rumor_config_field(struct rumor_config *cfg, const struct rumor_config_flag *f)
{
	return (uint32_t *)((char *)cfg + f->offset);
}
