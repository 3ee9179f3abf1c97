/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz command-line tests: --dump-state after a known failure,
 * malformed logs (messages name file and line, the rest still plays), bad
 * flags and files, byte-identical --render output, --frames, the window
 * on the dummy video driver and the message when there is no display.
 *
 * argv[1] is the rumor-viz binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <gif_lib.h>
#include <png.h>

#define A   "127.0.0.1:7001#1000"
#define B   "127.0.0.1:7002#1001"
#define C   "127.0.0.1:7003#1002"
#define D   "127.0.0.1:7004#1003"
#define E   "127.0.0.1:7005#1004"
#define LOG VIZ_DATA "/crash5.jsonl"

#include "viz_cli_util.h"

static void
test_dump_after_fail(void **state)
{
	(void)state;
	json_t *d = dump_at("12s", LOG);
	assert_string_equal(belief(d, A, C), "suspect");
	assert_string_equal(belief(d, B, C), "suspect");
	assert_string_equal(belief(d, D, C), "alive");
	json_t *sp = json_array_get(json_object_get(d, "detections"), 0);
	assert_true(json_is_null(json_object_get(sp, "first_detect_ms")));
	assert_int_equal(
	    json_integer_value(json_object_get(sp, "pending_count")), 4);
	json_decref(d);

	d = dump_at("13.5s", LOG);
	assert_string_equal(belief(d, A, C), "failed");
	assert_string_equal(belief(d, D, C), "failed");
	assert_string_equal(belief(d, E, C), "alive");
	sp = json_array_get(json_object_get(d, "detections"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(sp, "first_detect_ms")), 12500);
	assert_true(json_is_null(json_object_get(sp, "last_detect_ms")));
	json_t *pend = json_object_get(sp, "pending");
	assert_int_equal(json_array_size(pend), 1);
	assert_string_equal(json_string_value(json_array_get(pend, 0)), E);
	json_decref(d);

	d = dump_at("end", LOG);
	assert_int_equal(json_integer_value(json_object_get(d, "t_ms")), 24000);
	sp = json_array_get(json_object_get(d, "detections"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(sp, "last_detect_ms")), 13800);
	json_decref(d);
}

static void
test_malformed_log(void **state)
{
	(void)state;
	const char *bad = VIZ_DATA "/bad.jsonl";
	struct result r = run("--dump-state", "--at", "end", bad);
	assert_int_equal(r.status, 0);
	char want[600];
	snprintf(want, sizeof(want), "%s:2: unknown \"ev\"", bad);
	assert_non_null(strstr(r.err, want));
	snprintf(want, sizeof(want), "%s:3: bad JSON", bad);
	assert_non_null(strstr(r.err, want));
	snprintf(want, sizeof(want), "%s:6: truncated line", bad);
	assert_non_null(strstr(r.err, want));
	json_t *d = json_loads(r.out, 0, NULL);
	assert_non_null(d);
	assert_int_equal(json_integer_value(json_object_get(d, "errors")), 3);
	assert_string_equal(belief(d, "127.0.0.1:7001#1", "127.0.0.1:7002#1"),
	                    "failed");
	json_decref(d);
	result_free(&r);

	/* and it still renders */
	r = run("--render", "bad.png", bad);
	assert_int_equal(r.status, 0);
	result_free(&r);
}

static void
test_bad_arguments(void **state)
{
	(void)state;
	struct result r = run("--fps", "0", "--frames", "x", LOG);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--fps '0'"));
	result_free(&r);
	r = run("--dump-state", "--at", "3h", LOG);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--at '3h'"));
	result_free(&r);
	r = run("--dump-state", VIZ_DATA "/no-such.jsonl");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, VIZ_DATA "/no-such.jsonl"));
	result_free(&r);
	r = run("--dump-state", "--select", "no-such-member", LOG);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--select 'no-such-member'"));
	result_free(&r);
	r = run("--render", "x.png", "--dump-state", LOG);
	assert_int_equal(r.status, 2);
	result_free(&r);
	r = run("--dump-state");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "no LOG"));
	result_free(&r);
}

static void
test_render_is_deterministic(void **state)
{
	(void)state;
	struct result r =
	    run("--render", "a.png", "--at", "12.6s", "--select", ":7003", LOG);
	assert_int_equal(r.status, 0);
	result_free(&r);
	r = run("--render", "b.png", "--at", "12.6s", "--select", ":7003", LOG);
	assert_int_equal(r.status, 0);
	result_free(&r);
	struct stat sa, sb;
	assert_int_equal(stat("a.png", &sa), 0);
	assert_int_equal(stat("b.png", &sb), 0);
	assert_int_equal(sa.st_size, sb.st_size);
	FILE *fa = fopen("a.png", "rb"), *fb = fopen("b.png", "rb");
	int ca, cb;
	do {
		ca = fgetc(fa);
		cb = fgetc(fb);
		assert_int_equal(ca, cb);
	} while (ca != EOF);
	fclose(fa);
	fclose(fb);
	unsigned w, h;
	read_png("a.png", &w, &h);
	assert_int_equal(w, 1280);
	assert_int_equal(h, 800);

	r = run("--render", "small.png", "--size", "800x500", LOG);
	assert_int_equal(r.status, 0);
	read_png("small.png", &w, &h);
	assert_int_equal(w, 800);
	assert_int_equal(h, 500);
	result_free(&r);

	r = run("--render", "/no/such/dir/x.png", LOG);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "/no/such/dir/x.png"));
	result_free(&r);
}

/* --video: an animated GIF of a range, one frame per 1/fps s. */
static void
test_video_gif(void **state)
{
	(void)state;
	struct result r = run("--video", "range.gif", "--fps", "2", "--from",
	                      "10s", "--to", "12s", "--size", "640x400", LOG);
	assert_int_equal(r.status, 0);
	result_free(&r);
	int err;
	GifFileType *g = DGifOpenFileName("range.gif", &err);
	assert_non_null(g);
	assert_int_equal(DGifSlurp(g), GIF_OK);
	assert_int_equal(g->SWidth, 640);
	assert_int_equal(g->SHeight, 400);
	assert_int_equal(g->ImageCount, 5); /* 10, 10.5, 11, 11.5, 12 s */
	GraphicsControlBlock gcb;
	assert_int_equal(DGifSavedExtensionToGCB(g, 1, &gcb), GIF_OK);
	assert_int_equal(gcb.DelayTime, 50); /* 1/2 s */
	/* the first frame is whole; later ones only what changed */
	assert_int_equal(g->SavedImages[0].ImageDesc.Width, 640);
	DGifCloseFile(g, &err);
	r = run("--video", "range.mp4", LOG);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "only .gif"));
	result_free(&r);
}

/* Item 9: a failed write keeps what was there and says why. */
static void
test_render_write_failure(void **state)
{
	(void)state;
	struct stat st;
	/* as root a private copy of /dev/full: a regression would delete
	 * only that (without root, /dev/full itself cannot be deleted) */
	const char *full = "/dev/full";
	unlink("full-dev");
	if (mknod("full-dev", S_IFCHR | 0666, makedev(1, 7)) == 0)
		full = "full-dev";
	struct result r = run("--render", full, LOG);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, ": cannot write the PNG: No space left "
	                              "on device"));
	assert_int_equal(stat(full, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	result_free(&r);

	r = run("--render", "keep.png", "--size", "640x400", LOG);
	assert_int_equal(r.status, 0);
	result_free(&r);
	char *before = slurp("keep.png");
	assert_int_equal(stat("keep.png", &st), 0);
	off_t size = st.st_size;
	viz_cli_fsize_limit = 4096; /* far less than a 1280x800 PNG */
	r = run("--render", "keep.png", LOG);
	viz_cli_fsize_limit = 0;
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "keep.png: cannot write the PNG: File "
	                              "too large"));
	assert_int_equal(stat("keep.png", &st), 0);
	assert_int_equal(st.st_size, size);
	char *after = slurp("keep.png");
	assert_memory_equal(before, after, (size_t)size);
	free(before);
	free(after);
	result_free(&r);
}

static void
test_frames(void **state)
{
	(void)state;
	struct result r = run("--frames", "frames", "--fps", "2", "--from",
	                      "10s", "--to", "12s", "--size", "640x400", LOG);
	assert_int_equal(r.status, 0);
	result_free(&r);
	for (int i = 0; i < 5; i++) {
		char p[64];
		unsigned w, h;
		snprintf(p, sizeof(p), "frames/frame-%06d.png", i);
		read_png(p, &w, &h);
		assert_int_equal(w, 640);
	}
	assert_int_equal(access("frames/frame-000005.png", F_OK), -1);
}

static void
test_window(void **state)
{
	(void)state;
	/* no display at all: a clear message, exit 1 */
	struct result r = run_env(NULL, 1, LOG, (const char *)NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "cannot open a window"));
	result_free(&r);
	/* the dummy video driver: the real loop, a few frames */
	static const char *const env[] = {"SDL_VIDEO_DRIVER=dummy",
	                                  "SDL_RENDER_DRIVER=software", NULL};
	r = run_env(env, 1, "--quit-after", "5", "--stats", LOG,
	            (const char *)NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "5 frames"));
	result_free(&r);
}

int
main(int argc, char **argv)
{
	if (argc < 2 || access(argv[1], X_OK)) {
		printf("SKIP: rumor-viz binary not given or not built\n");
		return 77;
	}
	viz_cli_bin = argv[1];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dump_after_fail),
	    cmocka_unit_test(test_malformed_log),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_render_is_deterministic),
	    cmocka_unit_test(test_frames),
	    cmocka_unit_test(test_render_write_failure),
	    cmocka_unit_test(test_video_gif),
	    cmocka_unit_test(test_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
