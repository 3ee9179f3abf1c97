/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz clock skew: an incident's logs come from many machines, each
 * stamping lines with its own clock. Causality gives lower bounds on how
 * far one member's log runs ahead of another's: a message cannot be
 * received before it is sent, and nobody can name a member before that
 * member's process started. The largest bound per member is kept; the
 * worst one becomes the status bar's warning.
 */
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "model_internal.h"
#include "timearg.h"

void
viz__skew_note(struct viz_model *m, int32_t ahead, int32_t behind, int64_t ms,
               const char *how)
{
	if (ahead < 0 || behind < 0 || ahead == behind ||
	    ms < VIZ_SKEW_TOLERANCE_MS)
		return;
	struct viz_member *a = &m->members[ahead];
	if (ms <= a->skew_ms)
		return;
	a->skew_ms = ms;
	a->skew_vs = behind;
	a->skew_how = how;
	int64_t worst = 0;
	for (uint32_t j = 0; j < m->n_members; j++)
		if (m->members[j].skew_ms > worst)
			worst = m->members[j].skew_ms;
	if (ms < worst)
		return;
	char x[RUMOR_ID_STRLEN], y[RUMOR_ID_STRLEN], t[32];
	snprintf(m->skew_text, sizeof(m->skew_text),
	         "clock skew: %s's log runs >= %s ahead of %s's",
	         viz_member_short(m, (uint32_t)ahead, x, sizeof(x)),
	         viz_time_format(ms, t, sizeof(t)),
	         viz_member_short(m, (uint32_t)behind, y, sizeof(y)));
}
