/* SPDX-License-Identifier: MIT */
/* The "ev" names of the event-log contract, and the log's wall clock. */
#include <string.h>
#include <time.h>

#include "rumor/log.h"

static const char *const ev_names[RUMOR_LOG_EV_MAX] = {
    [RUMOR_LOG_START] = "start",     [RUMOR_LOG_JOINED] = "joined",
    [RUMOR_LOG_JOIN] = "join",       [RUMOR_LOG_SUSPECT] = "suspect",
    [RUMOR_LOG_ALIVE] = "alive",     [RUMOR_LOG_FAIL] = "fail",
    [RUMOR_LOG_LEAVE] = "leave",     [RUMOR_LOG_REMOVE] = "remove",
    [RUMOR_LOG_LEFT] = "left",       [RUMOR_LOG_STOP] = "stop",
    [RUMOR_LOG_SEND] = "send",       [RUMOR_LOG_RECV] = "recv",
    [RUMOR_LOG_DROP] = "drop",       [RUMOR_LOG_CRASH] = "crash",
    [RUMOR_LOG_RESTART] = "restart", [RUMOR_LOG_PARTITION] = "partition",
    [RUMOR_LOG_HEAL] = "heal",       [RUMOR_LOG_SICK] = "sick",
    [RUMOR_LOG_WELL] = "well",       [RUMOR_LOG_UPDATE] = "update",
};

const char *
rumor_log_ev_name(enum rumor_log_ev ev)
{
	if ((unsigned)ev >= RUMOR_LOG_EV_MAX)
		return "?";
	return ev_names[ev];
}

int
rumor_log_ev_parse(const char *name, enum rumor_log_ev *out)
{
	for (int i = 0; i < RUMOR_LOG_EV_MAX; i++) {
		if (strcmp(name, ev_names[i]) == 0) {
			*out = (enum rumor_log_ev)i;
			return 0;
		}
	}
	return RUMOR_EINVAL;
}

enum rumor_log_ev
rumor_log_ev_from_core(enum rumor_event_kind kind)
{
	switch (kind) {
	case RUMOR_EV_JOINED:
		return RUMOR_LOG_JOINED;
	case RUMOR_EV_JOIN:
		return RUMOR_LOG_JOIN;
	case RUMOR_EV_SUSPECT:
		return RUMOR_LOG_SUSPECT;
	case RUMOR_EV_ALIVE:
		return RUMOR_LOG_ALIVE;
	case RUMOR_EV_FAIL:
		return RUMOR_LOG_FAIL;
	case RUMOR_EV_LEAVE:
		return RUMOR_LOG_LEAVE;
	case RUMOR_EV_REMOVE:
		return RUMOR_LOG_REMOVE;
	case RUMOR_EV_LEFT:
		return RUMOR_LOG_LEFT;
	case RUMOR_EV_UPDATE:
		return RUMOR_LOG_UPDATE;
	default:
		return RUMOR_LOG_EV_MAX;
	}
}

int64_t
rumor_log_wall_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
