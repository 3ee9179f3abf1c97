/* SPDX-License-Identifier: MIT */
/*
 * Writer tests: records of every ev round-trip through the reader, strings
 * that need escaping come back unchanged, write errors are reported and
 * never leave half a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "log_test_util.h"
#include "rumor/log.h"

static void
fill(struct rumor_log_record *r, int64_t ts, enum rumor_log_ev ev,
     const char *node)
{
	rumor_log_record_clear(r);
	memset(r, 0, sizeof(*r));
	r->ts = ts;
	r->ev = ev;
	snprintf(r->node, sizeof(r->node), "%s", node);
}

/* One record of each ev with the fields that ev carries. */
static void
make_records(struct rumor_log_record *recs)
{
	const char *a = "127.0.0.1:3001#1764500000100";
	const char *b = "127.0.0.1:3002#1764500000200";

	for (int ev = 0; ev < RUMOR_LOG_EV_MAX; ev++) {
		struct rumor_log_record *r = &recs[ev];
		fill(r, 1764500000000 + ev, (enum rumor_log_ev)ev,
		     ev >= RUMOR_LOG_CRASH && ev != RUMOR_LOG_UPDATE
		         ? "scenario"
		         : a);
		switch (ev) {
		case RUMOR_LOG_JOIN:
		case RUMOR_LOG_SUSPECT:
		case RUMOR_LOG_ALIVE:
		case RUMOR_LOG_FAIL:
		case RUMOR_LOG_LEAVE:
		case RUMOR_LOG_REMOVE:
			strcpy(r->member, b);
			strcpy(r->via,
			       ev == RUMOR_LOG_FAIL ? "timeout" : "gossip");
			r->heartbeat = 42 + (uint64_t)ev;
			r->has_heartbeat = 1;
			break;
		case RUMOR_LOG_SEND:
		case RUMOR_LOG_RECV:
		case RUMOR_LOG_DROP:
			strcpy(r->peer,
			       ev == RUMOR_LOG_SEND ? b : "127.0.0.1:3002");
			strcpy(r->kind, "join-reply");
			r->bytes = 1400;
			r->has_bytes = 1;
			r->msg = (uint64_t)INT64_MAX;
			r->has_msg = 1;
			if (ev == RUMOR_LOG_DROP)
				strcpy(r->reason, "wire-truncated");
			break;
		case RUMOR_LOG_CRASH:
		case RUMOR_LOG_RESTART:
			strcpy(r->member, b);
			break;
		case RUMOR_LOG_UPDATE:
			strcpy(r->member, b);
			r->tags =
			    (uint8_t *)strdup("role=web\nzone=\xc3\xa9\n");
			r->tags_len = strlen((const char *)r->tags);
			break;
		case RUMOR_LOG_PARTITION:
			r->n_group_members = 3;
			r->n_groups = 3; /* the last one empty */
			r->group_member = calloc(3, sizeof(*r->group_member));
			r->group_of = calloc(3, sizeof(*r->group_of));
			strcpy(r->group_member[0], a);
			strcpy(r->group_member[1], b);
			strcpy(r->group_member[2], "127.0.0.1:3003#7");
			r->group_of[0] = 1;
			r->group_of[1] = 0;
			r->group_of[2] = 1;
			break;
		default:
			break;
		}
	}
}

static void
assert_same(const struct rumor_log_record *x, const struct rumor_log_record *y)
{
	assert_int_equal(x->ts, y->ts);
	assert_int_equal(x->ev, y->ev);
	assert_string_equal(x->node, y->node);
	assert_string_equal(x->member, y->member);
	assert_string_equal(x->via, y->via);
	assert_string_equal(x->peer, y->peer);
	assert_string_equal(x->kind, y->kind);
	assert_string_equal(x->reason, y->reason);
	assert_int_equal(x->has_bytes, y->has_bytes);
	assert_int_equal(x->bytes, y->bytes);
	assert_int_equal(x->has_msg, y->has_msg);
	assert_int_equal(x->msg, y->msg);
	assert_int_equal(x->has_heartbeat, y->has_heartbeat);
	assert_int_equal(x->heartbeat, y->heartbeat);
	assert_int_equal(x->n_group_members, y->n_group_members);
	assert_int_equal(x->tags_len, y->tags_len);
	assert_int_equal(x->tags == NULL, y->tags == NULL);
	if (x->tags_len)
		assert_memory_equal(x->tags, y->tags, x->tags_len);
}

static void
test_round_trip_every_ev(void **state)
{
	struct rumor_log_record recs[RUMOR_LOG_EV_MAX] = {0}, got = {0};
	struct rumor_log_writer *w;
	struct rumor_log_reader *r;
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "all.jsonl");
	const char *paths[] = {path};

	(void)state;
	make_records(recs);
	assert_int_equal(rumor_log_writer_open(&w, path, 0), 0);
	for (int ev = 0; ev < RUMOR_LOG_EV_MAX; ev++)
		assert_int_equal(rumor_log_write_record(w, &recs[ev]), 0);
	assert_int_equal(rumor_log_writer_close(w), 0);

	assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
	for (int ev = 0; ev < RUMOR_LOG_EV_MAX; ev++) {
		assert_int_equal(rumor_log_reader_next(r, &got), 1);
		assert_same(&recs[ev], &got);
		assert_int_equal(got.line, (uint64_t)ev + 1);
		assert_string_equal(got.file, path);
		if (ev == RUMOR_LOG_PARTITION) {
			/* groups come back grouped: [[b],[a,c],[]] */
			assert_int_equal(got.n_groups, 3);
			assert_string_equal(got.group_member[0],
			                    recs[ev].group_member[1]);
			assert_int_equal(got.group_of[0], 0);
			assert_string_equal(got.group_member[1],
			                    recs[ev].group_member[0]);
			assert_string_equal(got.group_member[2],
			                    recs[ev].group_member[2]);
			assert_int_equal(got.group_of[1], 1);
			assert_int_equal(got.group_of[2], 1);
		}
	}
	assert_int_equal(rumor_log_reader_next(r, &got), 0);
	assert_int_equal(rumor_log_reader_errors(r), 0);
	rumor_log_reader_close(r);
	rumor_log_record_clear(&got);
	for (int ev = 0; ev < RUMOR_LOG_EV_MAX; ev++)
		rumor_log_record_clear(&recs[ev]);
	tmpdir_remove(dir);
}

/* The exact bytes of a line, as the contract shows it. */
static void
test_exact_line(void **state)
{
	struct rumor_log_record rec = {0};
	struct rumor_log_writer *w;
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "one.jsonl");
	char *text;

	(void)state;
	fill(&rec, 1764500000123, RUMOR_LOG_JOIN,
	     "127.0.0.1:3001#1764500000100");
	strcpy(rec.member, "127.0.0.1:3002#1764500000110");
	strcpy(rec.via, "introducer");
	assert_int_equal(rumor_log_writer_open(&w, path, 0), 0);
	assert_int_equal(rumor_log_write_record(w, &rec), 0);
	rec.ts = -5;
	rec.ev = RUMOR_LOG_HEAL;
	strcpy(rec.node, "sim");
	rec.member[0] = rec.via[0] = '\0';
	assert_int_equal(rumor_log_write_record(w, &rec), 0);
	assert_int_equal(rumor_log_writer_close(w), 0);
	text = read_text(path);
	assert_string_equal(
	    text, "{\"ts\":1764500000123,\"node\":\"127.0.0.1:3001#"
	          "1764500000100\",\"ev\":\"join\",\"member\":\"127.0.0.1:"
	          "3002#1764500000110\",\"via\":\"introducer\"}\n"
	          "{\"ts\":-5,\"node\":\"sim\",\"ev\":\"heal\"}\n");
	free(text);
	tmpdir_remove(dir);
}

/* Strings that need escapes, checked against jansson's own decoding. */
static void
test_escapes(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"quote\" back\\slash /", "quote\" back\\slash /"},
	    {"ctl \b\f\n\r\t \x01\x1f\x7f", "ctl \b\f\n\r\t \x01\x1f\x7f"},
	    {"utf8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	     "utf8 \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
	    /* invalid UTF-8 becomes U+FFFD, byte by byte */
	    {"bad \xff|\xc3|\xe2\x82|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80",
	     "bad \xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
	     "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf"
	     "\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
	    {"\"", "\""},
	};
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "esc.jsonl");
	const char *paths[] = {path};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rumor_log_record rec = {0}, got = {0};
		struct rumor_log_writer *w;
		struct rumor_log_reader *r;
		json_error_t jerr;
		json_t *obj;
		char *text;

		fill(&rec, 1, RUMOR_LOG_DROP,
		     cases[i].in[0] ? cases[i].in : "n");
		strcpy(rec.peer, cases[i].in);
		strcpy(rec.reason, "x");
		strcpy(rec.kind, "y");
		rec.has_bytes = 1;
		assert_int_equal(
		    rumor_log_writer_open(&w, path, RUMOR_LOG_TRUNCATE), 0);
		assert_int_equal(rumor_log_write_record(w, &rec), 0);
		assert_int_equal(rumor_log_writer_close(w), 0);
		text = read_text(path);
		obj = json_loads(text, 0, &jerr);
		assert_non_null(obj);
		assert_string_equal(
		    json_string_value(json_object_get(obj, "peer")),
		    cases[i].out);
		json_decref(obj);
		free(text);
		assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
		assert_int_equal(rumor_log_reader_next(r, &got), 1);
		assert_string_equal(got.peer, cases[i].out);
		rumor_log_reader_close(r);
	}
	tmpdir_remove(dir);
}

static void
test_integer_range(void **state)
{
	struct rumor_log_record rec = {0};
	struct rumor_log_writer *w;
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "range.jsonl");
	char *text;

	(void)state;
	fill(&rec, INT64_MIN, RUMOR_LOG_SEND, "a");
	strcpy(rec.peer, "b");
	rec.has_bytes = 1;
	rec.bytes = (uint64_t)INT64_MAX + 1;
	assert_int_equal(rumor_log_writer_open(&w, path, 0), 0);
	errno = 0;
	assert_int_equal(rumor_log_write_record(w, &rec), -1);
	assert_int_equal(errno, ERANGE);
	rec.bytes = 0;
	assert_int_equal(rumor_log_write_record(w, &rec), 0);
	rec.ev = RUMOR_LOG_EV_MAX;
	errno = 0;
	assert_int_equal(rumor_log_write_record(w, &rec), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(rumor_log_writer_close(w), 0);
	text = read_text(path);
	assert_string_equal(text,
	                    "{\"ts\":-9223372036854775808,\"node\":\"a\","
	                    "\"ev\":\"send\",\"peer\":\"b\",\"bytes\":0}\n");
	free(text);
	tmpdir_remove(dir);
}

static void
test_open_errors(void **state)
{
	struct rumor_log_writer *w = (void *)1;

	(void)state;
	assert_int_equal(rumor_log_writer_open(&w, "", 0), RUMOR_EINVAL);
	assert_null(w);
	assert_int_equal(rumor_log_writer_open(&w, NULL, 0), RUMOR_EINVAL);
	errno = 0;
	assert_int_equal(
	    rumor_log_writer_open(&w, "/nonexistent-dir/x.jsonl", 0),
	    RUMOR_EINVAL);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(rumor_log_writer_close(NULL), 0);
}

/* Appending keeps earlier lines; TRUNCATE empties the file. */
static void
test_append_and_truncate(void **state)
{
	struct rumor_log_record rec = {0};
	struct rumor_log_writer *w;
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "app.jsonl");
	char *text;

	(void)state;
	fill(&rec, 7, RUMOR_LOG_START, "n");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(rumor_log_writer_open(&w, path, 0), 0);
		assert_int_equal(rumor_log_write_record(w, &rec), 0);
		assert_int_equal(rumor_log_writer_close(w), 0);
	}
	text = read_text(path);
	assert_int_equal(strlen(text), 2 * strlen("{\"ts\":7,\"node\":\"n\","
	                                          "\"ev\":\"start\"}\n"));
	free(text);
	assert_int_equal(rumor_log_writer_open(
	                     &w, path, RUMOR_LOG_TRUNCATE | RUMOR_LOG_BUFFERED),
	                 0);
	assert_int_equal(rumor_log_write_record(w, &rec), 0);
	text = read_text(path);
	assert_string_equal(text, ""); /* still in the buffer */
	free(text);
	assert_int_equal(rumor_log_writer_close(w), 0);
	text = read_text(path);
	assert_string_equal(text,
	                    "{\"ts\":7,\"node\":\"n\",\"ev\":\"start\"}\n");
	free(text);
	tmpdir_remove(dir);
}

/* Buffered mode writes whole buffers of whole lines. */
static void
test_buffered_many_lines(void **state)
{
	struct rumor_log_record rec = {0}, got = {0};
	struct rumor_log_writer *w;
	struct rumor_log_reader *r;
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "buf.jsonl");
	const char *paths[] = {path};
	const int n = 20000;

	(void)state;
	fill(&rec, 0, RUMOR_LOG_SEND, "127.0.0.1:3000#1");
	strcpy(rec.peer, "127.0.0.1:3001#1");
	strcpy(rec.kind, "gossip");
	rec.has_bytes = rec.has_msg = 1;
	assert_int_equal(rumor_log_writer_open(&w, path, RUMOR_LOG_BUFFERED),
	                 0);
	for (int i = 0; i < n; i++) {
		rec.ts = i;
		rec.msg = (uint64_t)i;
		rec.bytes = (uint64_t)(i % 1400);
		assert_int_equal(rumor_log_write_record(w, &rec), 0);
	}
	assert_int_equal(rumor_log_writer_close(w), 0);
	assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
	for (int i = 0; i < n; i++) {
		assert_int_equal(rumor_log_reader_next(r, &got), 1);
		assert_int_equal(got.ts, i);
		assert_int_equal(got.msg, (uint64_t)i);
	}
	assert_int_equal(rumor_log_reader_next(r, &got), 0);
	assert_int_equal(rumor_log_reader_errors(r), 0);
	rumor_log_reader_close(r);
	tmpdir_remove(dir);
}

static void
test_dev_full(void **state)
{
	struct rumor_log_record rec = {0};
	struct rumor_log_writer *w;

	(void)state;
	if (access("/dev/full", W_OK) != 0) {
		print_message("skip: /dev/full not writable\n");
		skip();
	}
	fill(&rec, 1, RUMOR_LOG_START, "n");
	assert_int_equal(rumor_log_writer_open(&w, "/dev/full", 0), 0);
	errno = 0;
	assert_int_equal(rumor_log_write_record(w, &rec), -1);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(rumor_log_writer_close(w), 0);

	assert_int_equal(
	    rumor_log_writer_open(&w, "/dev/full", RUMOR_LOG_BUFFERED), 0);
	assert_int_equal(rumor_log_write_record(w, &rec), 0);
	errno = 0;
	assert_int_equal(rumor_log_writer_flush(w), -1);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(rumor_log_write_record(w, &rec), 0);
	errno = 0;
	assert_int_equal(rumor_log_writer_close(w), -1);
	assert_int_equal(errno, ENOSPC);
}

/*
 * A file size limit (RLIMIT_FSIZE) cuts a write short, like a full disk
 * does: the partial line must be truncated away. In a child process, so
 * that the limit does not stay.
 */
static void
run_fsize_child(const char *path, int flags)
{
	struct rumor_log_record rec = {0};
	struct rumor_log_writer *w;
	struct rlimit lim = {.rlim_cur = 100, .rlim_max = RLIM_INFINITY};
	int rc = 0, err = 0;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		_exit(10);
	fill(&rec, 1, RUMOR_LOG_START, "127.0.0.1:3000#1764500000000");
	if (rumor_log_writer_open(&w, path, flags) != 0)
		_exit(11);
	for (int i = 0; i < 5 && rc == 0; i++) { /* 60-byte lines */
		rc = rumor_log_write_record(w, &rec);
		err = errno;
	}
	if (rc == 0) {
		rc = rumor_log_writer_flush(w);
		err = errno;
	}
	rumor_log_writer_close(w);
	_exit(rc == -1 && err == EFBIG ? 0 : 12);
}

static void
check_fsize(int flags, size_t expect_lines)
{
	char *dir = tmpdir_make();
	const char *path = tmp_path(dir, "fsize.jsonl");
	char *text;
	int status;
	pid_t pid;
	size_t lines = 0;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		run_fsize_child(path, flags);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	text = read_text(path);
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	assert_int_equal(strlen(text), lines * 60);
	assert_int_equal(lines, expect_lines);
	free(text);
	tmpdir_remove(dir);
}

static void
test_short_write_leaves_whole_lines(void **state)
{
	(void)state;
	check_fsize(0, 1);                  /* line 2 crosses 100 bytes */
	check_fsize(RUMOR_LOG_BUFFERED, 0); /* the whole buffer crosses */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip_every_ev),
	    cmocka_unit_test(test_exact_line),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_integer_range),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_append_and_truncate),
	    cmocka_unit_test(test_buffered_many_lines),
	    cmocka_unit_test(test_dev_full),
	    cmocka_unit_test(test_short_write_leaves_whole_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
