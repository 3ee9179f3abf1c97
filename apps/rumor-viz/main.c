/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz: replay (or follow) rumor event logs.
 *
 *   rumor-viz [options] LOG...
 *
 * Without --render/--frames/--dump-state it opens a window.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "dump.h"
#include "export.h"
#include "headless.h"
#include "load.h"
#include "rumor/errors.h"
#include "timearg.h"

#define VIZ_VERSION "0.1.0"

struct opts {
	const char *render, *frames, *font, *select, *observer, *video;
	enum viz_view view;
	int64_t st_span;
	int dump, follow, stats, no_trace, play;
	double fps, speed;
	int64_t at, from, to;
	int from_set, to_set;
	int loading; /**< the window reads the rest of the log */
	int w, h;
	long quit_after;
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: rumor-viz [options] LOG...\n"
	        "Replays rumor event logs (a simulator log, or the per-member "
	        "logs of a\ncluster, merged by time) in a window, or "
	        "renders them without one.\n\n"
	        "  --follow          keep reading lines appended to the logs\n"
	        "  --render FILE     write one PNG at --at (default: end) and "
	        "exit\n"
	        "  --frames DIR      write DIR/frame-NNNNNN.png every 1/FPS s "
	        "of log time\n"
	        "  --fps F           frames per log second for --frames "
	        "(default 10)\n"
	        "  --from T, --to T  range of --frames and of the timeline "
	        "(default: all)\n"
	        "  --dump-state      print the state at --at as JSON and exit\n"
	        "  --at T            time: 35s, 1500ms, 2m, 35 (= s) or end\n"
	        "  --select MEMBER   select a member (id, or a unique part of "
	        "it)\n"
	        "  --observer MEMBER with --select: the matrix cell (what "
	        "MEMBER believes\n"
	        "                    about the selected one) and the path "
	        "that belief took\n"
	        "  --view V          ring (default), spacetime or plots\n"
	        "  --window T        time shown by the space-time view "
	        "(default 3s)\n"
	        "  --video FILE.gif  an animated GIF of --from..--to at --fps "
	        "and exit\n"
	        "  --size WxH        output/window size (default 1280x800)\n"
	        "  --speed X         playback speed (default 1)\n"
	        "  --play            start playing (the default without --at)\n"
	        "  --no-trace        no message arrows\n"
	        "  --font PATH       TTF font (default DejaVu Sans)\n"
	        "  --stats           print frame times\n"
	        "  --quit-after N    close the window after N frames\n"
	        "  -h, --help        this help;  --version\n"
	        "Keys: Space play/pause, arrows step and seek, +/- speed, n "
	        "next event,\n? help. See docs/viz.md.\n");
}

static int
bad(const char *flag, const char *val, const char *why)
{
	fprintf(stderr, "rumor-viz: %s '%s': %s (try --help)\n", flag, val,
	        why);
	return 2;
}

static int
parse_time(const char *flag, const char *v, int64_t *out)
{
	if (viz_time_parse(v, out))
		return bad(flag, v,
		           "expected a time such as 35s, 1500ms or end");
	return 0;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	enum {
		O_RENDER = 256,
		O_FRAMES,
		O_FPS,
		O_FROM,
		O_TO,
		O_DUMP,
		O_AT,
		O_SELECT,
		O_SIZE,
		O_SPEED,
		O_PLAY,
		O_NOTRACE,
		O_FONT,
		O_STATS,
		O_QUIT,
		O_FOLLOW,
		O_VERSION,
		O_OBSERVER,
		O_VIEW,
		O_WINDOW,
		O_VIDEO
	};
	static const struct option lo[] = {
	    {"follow", no_argument, 0, O_FOLLOW},
	    {"render", required_argument, 0, O_RENDER},
	    {"frames", required_argument, 0, O_FRAMES},
	    {"fps", required_argument, 0, O_FPS},
	    {"from", required_argument, 0, O_FROM},
	    {"to", required_argument, 0, O_TO},
	    {"dump-state", no_argument, 0, O_DUMP},
	    {"at", required_argument, 0, O_AT},
	    {"select", required_argument, 0, O_SELECT},
	    {"size", required_argument, 0, O_SIZE},
	    {"speed", required_argument, 0, O_SPEED},
	    {"play", no_argument, 0, O_PLAY},
	    {"no-trace", no_argument, 0, O_NOTRACE},
	    {"font", required_argument, 0, O_FONT},
	    {"stats", no_argument, 0, O_STATS},
	    {"quit-after", required_argument, 0, O_QUIT},
	    {"help", no_argument, 0, 'h'},
	    {"version", no_argument, 0, O_VERSION},
	    {"observer", required_argument, 0, O_OBSERVER},
	    {"view", required_argument, 0, O_VIEW},
	    {"window", required_argument, 0, O_WINDOW},
	    {"video", required_argument, 0, O_VIDEO},
	    {0, 0, 0, 0}};
	int c, rc = 0;
	char *end;
	while (rc == 0 && (c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case O_FOLLOW:
			o->follow = 1;
			break;
		case O_RENDER:
			o->render = optarg;
			break;
		case O_FRAMES:
			o->frames = optarg;
			break;
		case O_DUMP:
			o->dump = 1;
			break;
		case O_SELECT:
			o->select = optarg;
			break;
		case O_OBSERVER:
			o->observer = optarg;
			break;
		case O_VIDEO:
			o->video = optarg;
			break;
		case O_VIEW:
			if (!strcmp(optarg, "ring"))
				o->view = VIZ_VIEW_RING;
			else if (!strcmp(optarg, "spacetime"))
				o->view = VIZ_VIEW_SPACETIME;
			else if (!strcmp(optarg, "plots"))
				o->view = VIZ_VIEW_PLOTS;
			else
				rc = bad("--view", optarg,
				         "expected ring, spacetime or plots");
			break;
		case O_WINDOW:
			rc = parse_time("--window", optarg, &o->st_span);
			if (!rc && (o->st_span < 100 || o->st_span > 600000))
				rc = bad("--window", optarg,
				         "expected 100ms to 10m");
			break;
		case O_FONT:
			o->font = optarg;
			break;
		case O_PLAY:
			o->play = 1;
			break;
		case O_NOTRACE:
			o->no_trace = 1;
			break;
		case O_STATS:
			o->stats = 1;
			break;
		case O_AT:
			rc = parse_time("--at", optarg, &o->at);
			break;
		case O_FROM:
			rc = parse_time("--from", optarg, &o->from);
			o->from_set = 1;
			break;
		case O_TO:
			rc = parse_time("--to", optarg, &o->to);
			o->to_set = 1;
			break;
		case O_FPS:
			o->fps = strtod(optarg, &end);
			if (*end || !(o->fps > 0 && o->fps <= 1000))
				rc = bad("--fps", optarg,
				         "expected 0 < F <= 1000");
			break;
		case O_SPEED:
			o->speed = strtod(optarg, &end);
			if (*end || !(o->speed >= 0.125 && o->speed <= 64))
				rc = bad("--speed", optarg,
				         "expected 0.125 <= X <= 64");
			break;
		case O_SIZE:
			if (sscanf(optarg, "%dx%d", &o->w, &o->h) != 2 ||
			    o->w < 640 || o->h < 400 || o->w > 8192 ||
			    o->h > 8192)
				rc = bad("--size", optarg,
				         "expected WxH from 640x400 to "
				         "8192x8192");
			break;
		case O_QUIT:
			o->quit_after = strtol(optarg, &end, 10);
			if (*end || o->quit_after < 1)
				rc = bad("--quit-after", optarg,
				         "expected a positive count");
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case O_VERSION:
			printf("rumor-viz " VIZ_VERSION "\n");
			exit(0);
		default:
			return 2;
		}
	}
	if (rc)
		return rc;
	if (!!o->render + !!o->frames + o->dump + !!o->video > 1) {
		fprintf(
		    stderr,
		    "rumor-viz: --render, --frames, --video and --dump-state "
		    "exclude each other\n");
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "rumor-viz: no LOG given (try --help)\n");
		return 2;
	}
	return 0;
}

/* Member named by id or by a unique part of it; -1 with a message. */
static int32_t
find_member(const struct viz_model *m, const char *flag, const char *s)
{
	int32_t other = -1, hit = viz_model_match(m, s, &other);
	if (hit == -2) {
		fprintf(stderr,
		        "rumor-viz: %s '%s': matches several members (%s, "
		        "...)\n",
		        flag, s, m->members[other].id);
		return -1;
	}
	if (hit < 0)
		fprintf(stderr, "rumor-viz: %s '%s': no such member\n", flag,
		        s);
	return hit;
}

static int64_t
clamp_t(const struct viz_model *m, int64_t t)
{
	int64_t d = viz_model_duration(m);
	return t > d ? d : t;
}

static int
run(struct opts *o, struct viz_model *m, struct viz_load *ld)
{
	struct viz_ui ui;
	viz_ui_init(&ui);
	ui.show_trace = !o->no_trace;
	ui.speed = o->speed;
	ui.view = o->view;
	ui.st_span = o->st_span;
	ui.note = ld->n_errors ? ld->last_error : NULL;
	if (o->select &&
	    (ui.selected = find_member(m, "--select", o->select)) < 0)
		return 2;
	if (o->observer &&
	    (ui.cell_obs = find_member(m, "--observer", o->observer)) < 0)
		return 2;
	if (o->observer && !o->select) {
		fprintf(stderr, "rumor-viz: --observer needs --select (the "
		                "matrix cell is observer, member)\n");
		return 2;
	}
	ui.t = clamp_t(m, o->at);
	if (o->from_set || o->to_set) { /* the timeline shows that range */
		ui.view_t0 = clamp_t(m, o->from);
		ui.view_t1 = clamp_t(m, o->to);
		if (ui.view_t1 - ui.view_t0 < 200) {
			fprintf(stderr,
			        "rumor-viz: --from/--to: the range must "
			        "span at least 200 ms of the log\n");
			return 2;
		}
	}
	if (o->dump) {
		if (viz_dump_state(m, ui.t, ui.cell_obs, ui.selected, stdout)) {
			fprintf(stderr, "rumor-viz: --dump-state failed\n");
			return 1;
		}
		return 0;
	}
	if (o->render)
		return viz_headless_render(m, &ui, o->w, o->h, o->font,
		                           o->render)
		           ? 1
		           : 0;
	if (o->video) {
		const char *dot = strrchr(o->video, '.');
		if (!dot || strcmp(dot, ".gif")) {
			fprintf(stderr,
			        "rumor-viz: --video %s: only .gif is built in "
			        "(giflib); for MP4: ffmpeg -i x.gif x.mp4\n",
			        o->video);
			return 2;
		}
		return viz_export_gif(m, &ui, o->w, o->h, o->font, o->video,
		                      o->fps, clamp_t(m, o->from),
		                      clamp_t(m, o->to))
		           ? 1
		           : 0;
	}
	if (o->frames)
		return viz_headless_frames(
		           m, &ui, o->w, o->h, o->font, o->frames, o->fps,
		           clamp_t(m, o->from), clamp_t(m, o->to), o->stats)
		           ? 1
		           : 0;
	struct viz_app_opts ao = {.w = o->w,
	                          .h = o->h,
	                          .font = o->font,
	                          .follow = o->follow,
	                          .stats = o->stats,
	                          .quit_after = o->quit_after};
	ui.follow = o->follow;
	ui.loading = o->loading;
	ui.stable = o->follow || o->loading;
	ui.playing = o->play;
	if (o->at == VIZ_TIME_END && !o->follow) { /* no --at: play from 0 */
		ui.t = 0;
		ui.playing = 1;
	}
	return viz_app_run(m, ld, &ui, &ao);
}

int
main(int argc, char **argv)
{
	struct opts o = {.fps = 10,
	                 .st_span = 3000,
	                 .speed = 1,
	                 .at = VIZ_TIME_END,
	                 .to = VIZ_TIME_END,
	                 .w = 1280,
	                 .h = 800};
	int rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	struct viz_model m;
	struct viz_load ld;
	const char *const *paths = (const char *const *)argv + optind;
	if (viz_load_open(&ld, &m, paths, (size_t)(argc - optind), o.follow,
	                  stderr)) {
		viz_model_destroy(&m);
		return 1;
	}
	/* A window opens after the first lines and reads the rest while it
	 * plays; everything else reads the whole log first. */
	int incremental = !o.render && !o.frames && !o.dump && !o.select &&
	                  !o.video && o.at == VIZ_TIME_END;
	long first = viz_load_poll(&ld, &m, incremental ? 20000 : 0);
	o.loading = incremental && first == 20000;
	if (first < 0) {
		fprintf(stderr, "rumor-viz: out of memory reading the logs\n");
		rc = 1;
	} else {
		rc = run(&o, &m, &ld);
	}
	viz_load_close(&ld);
	viz_model_destroy(&m);
	return rc;
}
