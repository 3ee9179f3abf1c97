/* SPDX-License-Identifier: MIT */
/*
 * rumor error codes. Every rumor function that can fail returns 0 or one of
 * these negative codes (libuv's convention). Only RUMOR_ENOMEM and
 * RUMOR_EINTERNAL are fatal (nghttp2's is_fatal split): every other error is
 * a protocol or input error that was counted and left all state unchanged.
 */
#ifndef RUMOR_ERRORS_H
#define RUMOR_ERRORS_H

#include "rumor/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum rumor_error {
	RUMOR_OK = 0,
	RUMOR_EINVAL = -1,          /**< bad argument or configuration value */
	RUMOR_ENOMEM = -2,          /**< allocation failed (fatal) */
	RUMOR_EWIRE_TRUNCATED = -3, /**< datagram/frame ends early */
	RUMOR_EWIRE_TYPE = -4,    /**< a field has the wrong MessagePack type */
	RUMOR_EWIRE_RANGE = -5,   /**< a field's value is out of range */
	RUMOR_EWIRE_VERSION = -6, /**< unknown protocol version */
	RUMOR_EWIRE_TOO_BIG = -7, /**< counts, depth or size over the limits */
	RUMOR_EWIRE_TRAILING = -8,   /**< bytes after the end of the message */
	RUMOR_EWIRE_KIND = -9,       /**< unknown or unexpected message kind */
	RUMOR_EWIRE_DUPLICATE = -10, /**< the same member twice in a message */
	RUMOR_ENOSPC = -11,          /**< output buffer too small */
	RUMOR_ESTATE = -12,    /**< command not valid in the current state */
	RUMOR_EFULL = -13,     /**< membership table at max_members */
	RUMOR_EDROPPED = -14,  /**< message dropped by the receive drop rate */
	RUMOR_EREJECTED = -15, /**< join refused (e.g. id already dead) */
	RUMOR_EAUTH = -16,     /**< message failed authentication */
	RUMOR_EINTERNAL = -17, /**< invariant violated (fatal) */
	RUMOR_EREPLAY = -18,   /**< message id already seen from its sender */
	RUMOR_E2BIG = -19,     /**< value over its size cap (tags: their cap or
	                          what one datagram carries) */
	RUMOR_ERROR_MIN = -19
};

/** Short symbolic name ("EWIRE_TRUNCATED"); never NULL; static storage. */
RUMOR_API const char *rumor_err_name(int err);
/** Human-readable message; never NULL; static storage. */
RUMOR_API const char *rumor_strerror(int err);
/** True when err means the object must be freed (ENOMEM, EINTERNAL). */
RUMOR_API int rumor_is_fatal(int err);

#ifdef __cplusplus
}
#endif
#endif
