/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz model internals shared by model.c, replay.c, spans.c, msgs.c.
 */
#ifndef RUMOR_VIZ_MODEL_INTERNAL_H
#define RUMOR_VIZ_MODEL_INTERNAL_H

#include <uthash.h>

#include "model.h"

/* id (or "host:port") -> member index */
struct viz_member_ix {
	uint32_t index;
	UT_hash_handle hh;
	char id[]; /* key */
};

uint16_t viz__file_index(const struct viz_model *m, const char *file);

/* slots.c: the versions of one address */
int viz__slot_new(struct viz_model *m, int32_t index);
int viz__addr_set(struct viz_model *m, const char *id, size_t len,
                  int32_t index);
/* m->slot_cur for state s; RUMOR_ENOMEM */
int viz__slots_current(struct viz_model *m, const struct viz_state *s);

/* history.c */
void viz__note_line(struct viz_model *m, int32_t o,
                    const struct rumor_log_record *rec, int32_t peer);
int viz__about_add(struct viz_model *m, size_t i);
/* silence.c: m->cur.shown from the replayed truth at m->cur_t */
int viz__truth_shown(struct viz_model *m);

int viz__member_intern(struct viz_model *m, const char *id, int32_t *out);
/* Latest member whose id starts with addr ("host:port"), or -1. */
int32_t viz__member_by_addr(const struct viz_model *m, const char *addr);

/* replay.c */
int viz__state_reserve(struct viz_state *s, uint32_t n);
void viz__state_destroy(struct viz_state *s);
void viz__state_apply(struct viz_state *s, const struct viz_event *e);
int viz__build_advance(struct viz_model *m);
/* Replay s to events [0, target) from the nearest checkpoint. */
int viz__state_seek(struct viz_model *m, struct viz_state *s, size_t target);
void viz__ckpts_destroy(struct viz_model *m);

/* spans.c: called with the build state before (pre) and after e */
int viz__spans_on_event(struct viz_model *m, const struct viz_event *e,
                        const struct viz_state *after);

/* msgs.c */
/* *node and *peer: the line's writer and its peer (member or -1) */
int viz__msgs_add(struct viz_model *m, const struct rumor_log_record *rec,
                  int32_t *node, int32_t *peer);
void viz__msgs_destroy(struct viz_model *m);

#endif
