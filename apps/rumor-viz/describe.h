/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz words: member names, times (log and wall clock), a member's
 * last line, the path of a belief in a sentence. No SDL: the panel, the
 * tooltips, --dump-state and the tests share them.
 */
#ifndef RUMOR_VIZ_DESCRIBE_H
#define RUMOR_VIZ_DESCRIBE_H

#include <stddef.h>

#include "model.h"

/**
 * Short name of member j: ":7003" when every member shares one host, else
 * "host:7003"; " v2", " v3" ... for the later versions at one address
 * (restarts). Returns buf.
 */
const char *viz_member_short(const struct viz_model *m, uint32_t j, char *buf,
                             size_t len);

/** 1 when the logs' ts are Unix epoch ms (real members), 0 for virtual
 * simulator time. */
int viz_has_wall_clock(const struct viz_model *m);

/**
 * Wall-clock time of log ts as "2026-12-06 05:24:33.196 UTC" (UTC), or ""
 * when the log has virtual time. Returns buf (>= 32 bytes).
 */
char *viz_wall_time(const struct viz_model *m, int64_t ts, char *buf,
                    size_t len);

/**
 * Member j's own last line, "a2.jsonl:298 recv from :32005 at 3.512 s".
 * Returns buf.
 */
char *viz_last_line_text(const struct viz_model *m, uint32_t j, char *buf,
                         size_t len);

/**
 * The belief path of viz_model_belief_path in words: "X believes Y failed
 * since 12.5 s: told by B at 12.4 s (gossip) <- ... <- C's own detector
 * at 12.0 s". Returns buf.
 */
char *viz_path_text(const struct viz_model *m, const struct viz_hop *hops,
                    size_t n, uint32_t j, char *buf, size_t len);

#endif
