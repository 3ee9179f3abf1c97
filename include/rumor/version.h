/* SPDX-License-Identifier: MIT */
/*
 * rumor's release version and wire protocol version.
 *
 * The release version (semantic versioning) names the library and the
 * programs; the wire protocol version is the first field of every datagram
 * and stream message (docs/architecture.md, "Wire format"). They move
 * independently: a release that keeps the wire format keeps
 * RUMOR_WIRE_VERSION, and members of different releases with the same wire
 * version talk to each other. Members of different wire versions refuse
 * each other's messages (counted as EWIRE_VERSION; docs/operations.md,
 * "Upgrades and wire versions").
 */
#ifndef RUMOR_VERSION_H
#define RUMOR_VERSION_H

#define RUMOR_VERSION_MAJOR 0
#define RUMOR_VERSION_MINOR 1
#define RUMOR_VERSION_PATCH 0
/** "MAJOR.MINOR.PATCH" */
#define RUMOR_VERSION_STRING "0.1.0"
/** MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons. */
#define RUMOR_VERSION_NUMBER                                                   \
	(RUMOR_VERSION_MAJOR * 10000 + RUMOR_VERSION_MINOR * 100 +             \
	 RUMOR_VERSION_PATCH)
/** The wire protocol version this build speaks (and the only one it
 * accepts). Same value as RUMOR_PROTO_VERSION in rumor/core.h. */
#define RUMOR_WIRE_VERSION 1

/** A macro's value as a string literal (RUMOR_STR(RUMOR_WIRE_VERSION)). */
#define RUMOR_STR(x)  RUMOR_STR_(x)
#define RUMOR_STR_(x) #x

#endif
