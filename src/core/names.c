/* SPDX-License-Identifier: MIT */
/* Names of statuses, events, vias and message kinds, as logged. */
#include "rumor/core.h"

#define NAME_OF(table, i)                                                      \
	((i) >= 0 && (size_t)(i) < sizeof(table) / sizeof(table[0]) &&         \
	         table[i]                                                      \
	     ? table[i]                                                        \
	     : "?")

static const char *const status_names[] = {"alive", "suspect", "failed",
                                           "left"};
static const char *const event_names[] = {"joined", "join", "suspect",
                                          "alive",  "fail", "leave",
                                          "remove", "left", "update"};
static const char *const via_names[] = {
    "", "introducer", "gossip", "sync", "timeout", "superseded", "self"};
static const char *const kind_names[] = {NULL,   "gossip",    "ping",
                                         "pong", "join-req",  "join-reply",
                                         "sync", "heartbeat", "digest"};

_Static_assert(sizeof(status_names) / sizeof(status_names[0]) ==
                   RUMOR_STATUS_MAX,
               "every status has a name");
_Static_assert(sizeof(event_names) / sizeof(event_names[0]) == RUMOR_EV_MAX,
               "every event has a name");
_Static_assert(sizeof(via_names) / sizeof(via_names[0]) == RUMOR_VIA_MAX,
               "every via has a name");
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == RUMOR_MSG_KIND_MAX,
               "every message kind has a name");

const char *
rumor_status_name(enum rumor_member_status status)
{
	return NAME_OF(status_names, (int)status);
}

const char *
rumor_event_name(enum rumor_event_kind kind)
{
	return NAME_OF(event_names, (int)kind);
}

const char *
rumor_via_name(enum rumor_via via)
{
	return NAME_OF(via_names, (int)via);
}

const char *
rumor_msg_kind_name(int kind)
{
	return NAME_OF(kind_names, kind);
}
