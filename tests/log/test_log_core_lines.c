/* SPDX-License-Identifier: MIT */
/* Lines written from the core's event and trace structs. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log_test_util.h"
#include "rumor/log.h"

static struct rumor_member_id
id(const char *text)
{
	struct rumor_member_id m;

	assert_int_equal(rumor_member_id_parse(text, &m), 0);
	return m;
}

static void
test_events(void **state)
{
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "ev.jsonl");
	struct rumor_log_writer *w;
	struct rumor_event ev = {0};
	char *text;

	(void)state;
	assert_int_equal(rumor_log_writer_open(&w, path, 0), 0);
	ev.observer = id("127.0.0.1:3001#1764500000100");
	ev.member = id("127.0.0.1:3002#1764500000200");
	ev.kind = RUMOR_EV_JOIN;
	ev.via = RUMOR_VIA_INTRODUCER;
	ev.heartbeat = 3;
	assert_int_equal(rumor_log_write_event(w, 10, &ev), 0);
	ev.kind = RUMOR_EV_FAIL;
	ev.via = RUMOR_VIA_TIMEOUT;
	assert_int_equal(rumor_log_write_event(w, 11, &ev), 0);
	ev.kind = RUMOR_EV_LEFT;
	ev.via = RUMOR_VIA_SELF;
	assert_int_equal(rumor_log_write_event(w, 12, &ev), 0);
	ev.kind = RUMOR_EV_SUSPECT;
	ev.via = RUMOR_VIA_NONE;
	ev.member.addr.family = 6;
	assert_int_equal(rumor_log_write_event(w, 13, &ev), 0);
	ev.kind = RUMOR_EV_MAX;
	errno = 0;
	assert_int_equal(rumor_log_write_event(w, 14, &ev), -1);
	assert_int_equal(errno, EINVAL);
	ev.kind = RUMOR_EV_ALIVE;
	ev.heartbeat = UINT64_MAX;
	errno = 0;
	assert_int_equal(rumor_log_write_event(w, 15, &ev), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(rumor_log_writer_close(w), 0);
	text = read_text(path);
	assert_string_equal(
	    text,
	    "{\"ts\":10,\"node\":\"127.0.0.1:3001#1764500000100\",\"ev\":"
	    "\"join\",\"member\":\"127.0.0.1:3002#1764500000200\",\"via\":"
	    "\"introducer\"}\n"
	    "{\"ts\":11,\"node\":\"127.0.0.1:3001#1764500000100\",\"ev\":"
	    "\"fail\",\"member\":\"127.0.0.1:3002#1764500000200\",\"via\":"
	    "\"timeout\",\"heartbeat\":3}\n"
	    "{\"ts\":12,\"node\":\"127.0.0.1:3001#1764500000100\",\"ev\":"
	    "\"left\",\"via\":\"self\"}\n"
	    "{\"ts\":13,\"node\":\"127.0.0.1:3001#1764500000100\",\"ev\":"
	    "\"suspect\",\"member\":\"[7f00:1::]:3002#1764500000200\","
	    "\"heartbeat\":3}\n");
	free(text);
	tmpdir_remove(dir);
}

static void
test_traces(void **state)
{
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "tr.jsonl");
	const char *paths[] = {path};
	struct rumor_log_writer *w;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct rumor_trace tr = {0};

	(void)state;
	assert_int_equal(rumor_log_writer_open(&w, path, 0), 0);
	tr.observer = id("127.0.0.1:3001#5");
	tr.peer = id("127.0.0.1:3002#6");
	tr.peer_addr = tr.peer.addr;
	tr.bytes = 1200;
	tr.msg_kind = RUMOR_MSG_GOSSIP;
	tr.msg_id = 77;
	tr.dir = RUMOR_TRACE_SEND;
	assert_int_equal(rumor_log_write_trace(w, 100, &tr), 0);
	tr.dir = RUMOR_TRACE_RECV;
	tr.peer.version = 0; /* unknown: the address is written */
	tr.msg_kind = RUMOR_MSG_PING;
	assert_int_equal(rumor_log_write_trace(w, 101, &tr), 0);
	tr.dir = RUMOR_TRACE_DROP;
	tr.err = RUMOR_EDROPPED;
	assert_int_equal(rumor_log_write_trace(w, 102, &tr), 0);
	tr.err = RUMOR_EWIRE_TRUNCATED;
	tr.msg_kind = 0;
	tr.msg_id = 0;
	assert_int_equal(rumor_log_write_trace(w, 103, &tr), 0);
	assert_int_equal(rumor_log_writer_close(w), 0);

	assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_int_equal(rec.ev, RUMOR_LOG_SEND);
	assert_string_equal(rec.node, "127.0.0.1:3001#5");
	assert_string_equal(rec.peer, "127.0.0.1:3002#6");
	assert_string_equal(rec.kind, "gossip");
	assert_int_equal(rec.bytes, 1200);
	assert_int_equal(rec.msg, 77);
	assert_true(rec.has_msg);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_int_equal(rec.ev, RUMOR_LOG_RECV);
	assert_string_equal(rec.peer, "127.0.0.1:3002");
	assert_string_equal(rec.kind, "ping");
	assert_string_equal(rec.reason, "");
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_int_equal(rec.ev, RUMOR_LOG_DROP);
	assert_string_equal(rec.reason, "drop-rate");
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.reason, "wire-truncated");
	assert_string_equal(rec.kind, "");
	assert_false(rec.has_msg);
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	assert_int_equal(rumor_log_reader_errors(r), 0);
	rumor_log_reader_close(r);
	tmpdir_remove(dir);
}

/* An event learned from another member names it ("from"); the reader
 * returns it and rumor_log_write_record writes it back unchanged. */
static void
test_event_from(void **state)
{
	char *dir = tmpdir_make();
	char *path = strdup(tmp_path(dir, "from.jsonl"));
	char *copy = strdup(tmp_path(dir, "copy.jsonl"));
	const char *paths[] = {path};
	struct rumor_log_writer *w;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct rumor_event ev = {0};
	const char *want =
	    "{\"ts\":20,\"node\":\"127.0.0.1:3001#5\",\"ev\":\"fail\","
	    "\"member\":\"127.0.0.1:3002#6\",\"via\":\"gossip\","
	    "\"from\":\"127.0.0.1:3003#7\",\"heartbeat\":9}\n";
	char *text;

	(void)state;
	assert_int_equal(rumor_log_writer_open(&w, path, 0), 0);
	ev.observer = id("127.0.0.1:3001#5");
	ev.member = id("127.0.0.1:3002#6");
	ev.from = id("127.0.0.1:3003#7");
	ev.kind = RUMOR_EV_FAIL;
	ev.via = RUMOR_VIA_GOSSIP;
	ev.heartbeat = 9;
	assert_int_equal(rumor_log_write_event(w, 20, &ev), 0);
	assert_int_equal(rumor_log_writer_close(w), 0);
	text = read_text(path);
	assert_string_equal(text, want);
	free(text);
	assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.from, "127.0.0.1:3003#7");
	assert_int_equal(rumor_log_writer_open(&w, copy, 0), 0);
	assert_int_equal(rumor_log_write_record(w, &rec), 0);
	assert_int_equal(rumor_log_writer_close(w), 0);
	rumor_log_reader_close(r);
	text = read_text(copy);
	assert_string_equal(text, want);
	free(text);
	free(path);
	free(copy);
	tmpdir_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_events),
	    cmocka_unit_test(test_traces),
	    cmocka_unit_test(test_event_from),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
