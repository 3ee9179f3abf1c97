/* SPDX-License-Identifier: MIT */
/* Fuzz harness cores (fuzz_common.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static int
cb_send(void *user, const struct rumor_addr *to, const uint8_t *data,
        size_t len)
{
	(void)user;
	(void)to;
	(void)data;
	(void)len;
	return 0;
}

static int
cb_stream_open(void *user, uint64_t stream_id, const struct rumor_addr *to,
               const uint8_t *req, size_t len)
{
	struct fuzz_capture *cap = user;

	(void)to;
	if (cap != NULL && len <= sizeof(cap->req)) {
		memcpy(cap->req, req, len);
		cap->len = len;
		cap->stream_id = stream_id;
		cap->opened++;
	}
	return 0;
}

static void
cb_event(void *user, const struct rumor_event *ev)
{
	(void)user;
	(void)ev;
}

static void
die(const char *what, int rc)
{
	fprintf(stderr, "fuzz harness: %s: %s\n", what, rumor_strerror(rc));
	abort();
}

struct rumor_core *
fuzz_core_new(uint16_t port, uint64_t version, struct fuzz_capture *cap)
{
	struct rumor_config cfg;
	struct rumor_callbacks cb = {
	    .send_datagram = cb_send,
	    .stream_open = cb_stream_open,
	    .on_event = cb_event,
	};
	struct rumor_member_id self = {.version = version};
	struct rumor_core *core;
	int rc;

	rumor_config_init(&cfg);
	rumor_addr_parse("127.0.0.1:1", &self.addr);
	self.addr.port = port;
	rc = rumor_core_new(&core, &cfg, &cb, cap, &self, 42, FUZZ_T0);
	if (rc != 0)
		die("rumor_core_new", rc);
	return core;
}

struct rumor_core *
fuzz_active_core(void)
{
	static struct fuzz_capture cap;
	static uint8_t reply[65536];
	struct rumor_core *intro = fuzz_core_new(3000, 5, NULL), *joiner;
	struct rumor_addr seed;
	size_t len;
	int rc;

	if ((rc = rumor_core_bootstrap(intro, FUZZ_T0)) != 0)
		die("bootstrap", rc);
	if (cap.len == 0) { /* the join request, made once */
		joiner = fuzz_core_new(3001, 6, &cap);
		rumor_addr_parse("127.0.0.1:3000", &seed);
		if ((rc = rumor_core_join(joiner, FUZZ_T0, &seed, 1)) != 0)
			die("join", rc);
		rumor_core_free(joiner);
	}
	rc = rumor_core_stream_serve(intro, FUZZ_T0 + 1, &seed, cap.req,
	                             cap.len, reply, sizeof(reply), &len);
	if (rc != 0)
		die("serve", rc);
	return intro;
}

struct rumor_core *
fuzz_joining_core(uint64_t *stream_id)
{
	static struct fuzz_capture cap;
	struct rumor_core *core = fuzz_core_new(3002, 7, &cap);
	struct rumor_addr seed;
	int rc;

	rumor_addr_parse("127.0.0.1:3000", &seed);
	cap.opened = 0;
	if ((rc = rumor_core_join(core, FUZZ_T0, &seed, 1)) != 0 ||
	    cap.opened != 1)
		die("join", rc ? rc : RUMOR_EINTERNAL);
	*stream_id = cap.stream_id;
	return core;
}
