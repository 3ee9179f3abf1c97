/*
 * rumor-viz model internals shared by model.c, replay.c, spans.c, msgs.c.
 */
#ifndef RUMOR_VIZ_MODEL_INTERNAL_H
#define RUMOR_VIZ_MODEL_INTERNAL_H

#include "model.h"

int viz__member_intern(struct viz_model *m, const char *id, int32_t *out);
/* Latest member whose id starts with addr ("host:port"), or -1. */
int32_t viz__member_by_addr(const struct viz_model *m, const char *addr);

/* replay.c */
int viz__state_reserve(struct viz_state *s, uint32_t n);
void viz__state_destroy(struct viz_state *s);
void viz__state_apply(struct viz_state *s, const struct viz_event *e);
int viz__build_advance(struct viz_model *m);
void viz__ckpts_destroy(struct viz_model *m);

/* spans.c: called with the build state before (pre) and after e */
int viz__spans_on_event(struct viz_model *m, const struct viz_event *e,
                        const struct viz_state *after);

/* msgs.c */
int viz__msgs_add(struct viz_model *m, const struct rumor_log_record *rec);
void viz__msgs_destroy(struct viz_model *m);

#endif
