/* SPDX-License-Identifier: MIT */
/* Names and messages of the RUMOR_E* codes. */
#include "rumor/errors.h"

struct err_info {
	const char *name;
	const char *msg;
};

/* Indexed by -err. */
static const struct err_info errs[] = {
    {"OK", "success"},
    {"EINVAL", "invalid argument"},
    {"ENOMEM", "out of memory"},
    {"EWIRE_TRUNCATED", "message truncated"},
    {"EWIRE_TYPE", "message field has the wrong type"},
    {"EWIRE_RANGE", "message field out of range"},
    {"EWIRE_VERSION", "unknown protocol version"},
    {"EWIRE_TOO_BIG", "message exceeds size, count or depth limits"},
    {"EWIRE_TRAILING", "trailing bytes after message"},
    {"EWIRE_KIND", "unknown or unexpected message kind"},
    {"EWIRE_DUPLICATE", "member listed twice in one message"},
    {"ENOSPC", "buffer too small"},
    {"ESTATE", "not allowed in the current state"},
    {"EFULL", "membership table full"},
    {"EDROPPED", "dropped by the receive drop rate"},
    {"EREJECTED", "join rejected"},
    {"EAUTH", "message failed authentication"},
    {"EINTERNAL", "internal error"},
    {"EREPLAY", "message already received (replayed)"},
    {"E2BIG", "value too large"},
};

_Static_assert(sizeof(errs) / sizeof(errs[0]) == 1 - RUMOR_ERROR_MIN,
               "every error code has a name");

const char *
rumor_err_name(int err)
{
	if (err > 0 || err < RUMOR_ERROR_MIN)
		return "EUNKNOWN";
	return errs[-err].name;
}

const char *
rumor_strerror(int err)
{
	if (err > 0 || err < RUMOR_ERROR_MIN)
		return "unknown error";
	return errs[-err].msg;
}

int
rumor_is_fatal(int err)
{
	return err == RUMOR_ENOMEM || err == RUMOR_EINTERNAL;
}
