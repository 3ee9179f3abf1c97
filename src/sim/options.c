/* SPDX-License-Identifier: MIT */
/*
 * The `rumor sim` command line (getopt_long), in the library so that the
 * scenario tests run exactly what a printed command would run.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "rumor/args.h"
#include "rumor/sim.h"
#include "rumor/tags.h"

enum {
	OPT_NODES = 256,
	OPT_LOSS,
	OPT_DELAY,
	OPT_CRASH,
	OPT_LEAVE,
	OPT_RESTART,
	OPT_PARTITION,
	OPT_HEAL,
	OPT_DURATION,
	OPT_SEED,
	OPT_LOG,
	OPT_TRACE,
	OPT_REPLAY,
	OPT_DROP,
	OPT_STAGGER,
	OPT_STREAM_TIMEOUT,
	OPT_THREADS,
	OPT_PROFILE,
	OPT_TAG,
	OPT_FAULT0, /* + rumor_sim_fault_kind: --deaf ... --pause */
	OPT_HELP = OPT_FAULT0 + RUMOR_SIM_FAULT_MAX,
	OPT_END,
	/* + i: the i-th rumor_config_flags() entry (the core's settings) */
	OPT_CONFIG0 = OPT_END
};

/* Room for the core's settings (rumor_config_flags()). */
#define MAX_CONFIG_FLAGS 32

static const struct option fixed_options[] = {
    {"nodes", required_argument, NULL, OPT_NODES},
    {"loss", required_argument, NULL, OPT_LOSS},
    {"delay-ms", required_argument, NULL, OPT_DELAY},
    {"crash", required_argument, NULL, OPT_CRASH},
    {"leave", required_argument, NULL, OPT_LEAVE},
    {"restart", required_argument, NULL, OPT_RESTART},
    {"partition", required_argument, NULL, OPT_PARTITION},
    {"heal", required_argument, NULL, OPT_HEAL},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"seed", required_argument, NULL, OPT_SEED},
    {"log", required_argument, NULL, OPT_LOG},
    {"trace", no_argument, NULL, OPT_TRACE},
    {"replay-window", no_argument, NULL, OPT_REPLAY},
    {"drop-rate", required_argument, NULL, OPT_DROP},
    {"stagger-ms", required_argument, NULL, OPT_STAGGER},
    {"stream-timeout-ms", required_argument, NULL, OPT_STREAM_TIMEOUT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"tag", required_argument, NULL, OPT_TAG},
    {"deaf", required_argument, NULL, OPT_FAULT0 + RUMOR_SIM_DEAF},
    {"mute", required_argument, NULL, OPT_FAULT0 + RUMOR_SIM_MUTE},
    {"oneway", required_argument, NULL, OPT_FAULT0 + RUMOR_SIM_ONEWAY},
    {"cut", required_argument, NULL, OPT_FAULT0 + RUMOR_SIM_CUT},
    {"slow", required_argument, NULL, OPT_FAULT0 + RUMOR_SIM_SLOW},
    {"delay", required_argument, NULL, OPT_FAULT0 + RUMOR_SIM_DELAY},
    {"pause", required_argument, NULL, OPT_FAULT0 + RUMOR_SIM_PAUSE},
    {"help", no_argument, NULL, OPT_HELP},
};
#define N_FIXED (sizeof(fixed_options) / sizeof(fixed_options[0]))
/* the fixed options, then the core's settings, then the end (build_options) */
static struct option long_options[N_FIXED + MAX_CONFIG_FLAGS + 1];

static void
build_options(void)
{
	size_t n, k = N_FIXED;
	const struct rumor_config_flag *flags = rumor_config_flags(&n);

	memcpy(long_options, fixed_options, sizeof(fixed_options));
	for (size_t i = 0; i < n && i < MAX_CONFIG_FLAGS; i++)
		long_options[k++] =
		    (struct option){flags[i].name, required_argument, NULL,
		                    OPT_CONFIG0 + (int)i};
	long_options[k] = (struct option){NULL, 0, NULL, 0};
}

/* The core settings, with the defaults of rumor_config_init(). */
static void
usage_protocol(FILE *out)
{
	static const char *const unit_arg[] = {"MS", "N", "BYTES"};
	const struct rumor_config_flag *flags;
	struct rumor_config d;
	char left[40];
	size_t n;

	rumor_config_init(&d);
	flags = rumor_config_flags(&n);
	fprintf(out, "protocol (every member; defaults in brackets, "
	             "docs/architecture.md):\n");
	for (size_t i = 0; i < n; i++) {
		snprintf(left, sizeof(left), "--%s %s [%u]", flags[i].name,
		         unit_arg[flags[i].unit],
		         *rumor_config_field(&d, &flags[i]));
		fprintf(out, "  %-28s %s\n", left, flags[i].help);
	}
	fprintf(out, "  %-28s receive drop rate, 0..1 or 10%%\n",
	        "--drop-rate P [0]");
	fprintf(out,
	        "  %-28s lan (the defaults), wan or lean: timings "
	        "the flags above change\n",
	        "--profile NAME");
}

void
rumor_sim_usage(FILE *out)
{
	fputs("usage: rumor sim [OPTIONS]\n"
	      "\n"
	      "Simulate a cluster in virtual time, deterministically from a "
	      "seed.\n"
	      "Member i is 127.0.0.1:(3000+i); member 0 is the introducer.\n"
	      "Times take a unit: 500ms, 30s, 1.5s, 2m, 1h.\n"
	      "\n"
	      "cluster and network:\n"
	      "  --nodes N            members, 1..60000 (default 16)\n"
	      "  --loss P             datagram loss, 0..1 or 10% (default 0)\n"
	      "  --delay-ms A..B      one-way delay, uniform (default 1..10)\n"
	      "  --stagger-ms MS      member i starts at i*MS (default 5)\n"
	      "  --stream-timeout-ms MS  join stream to a dead or cut member\n"
	      "                       fails after MS (default 1000)\n"
	      "  --duration T         virtual time to run (default 60s)\n"
	      "  --seed S             master seed (default 1)\n"
	      "  --tag K=V[@I[-J]]    members I..J (all without @) start "
	      "with tag K=V\n"
	      "                       (repeatable; join/update lines carry "
	      "tags)\n"
	      "  --threads N          threads sharing each virtual ms, 1..16 "
	      "(default 1);\n"
	      "                       the run is the same for any N "
	      "(docs/sim.md)\n"
	      "\n"
	      "faults (repeatable; I-J is a range of members):\n"
	      "  --crash I@T          stop member I without leaving\n"
	      "  --leave I@T          member I leaves voluntarily\n"
	      "  --restart I@T        member I restarts: same address, new "
	      "version\n"
	      "  --partition I-J@T    cut members I..J from the rest\n"
	      "  --heal@T, --heal T   remove every cut\n"
	      "\n"
	      "sick members (repeatable; SET is I, I-J, a list 3,7,10-12 or "
	      "a share 10%;\n"
	      "each lasts D from T and must end by --duration; "
	      "docs/sim.md):\n"
	      "  --deaf SET@T+D       receive nothing\n"
	      "  --mute SET@T+D       send nothing\n"
	      "  --oneway SET>SET@T+D what the first set sends the second is "
	      "lost\n"
	      "                       (* as the second set: everyone else)\n"
	      "  --cut SET/SET@T+D    the two sets cannot talk; both talk to "
	      "the rest\n"
	      "  --slow SET:MS@T+D    what it receives is processed MS late\n"
	      "  --delay SET:MS~J@T+D its links: MS more delay, plus or minus "
	      "J\n"
	      "  --pause SET@T+D[/P*C] stopped for D (every P, C times)\n"
	      "\n",
	      out);
	usage_protocol(out);
	fputs("\n"
	      "output:\n"
	      "  --log FILE           event log, JSON lines (- = stdout)\n"
	      "  --trace              also send/recv/drop lines in the log\n"
	      "  --replay-window      cores refuse replayed datagrams (as "
	      "agents with a key)\n"
	      "  --help               this text\n"
	      "\n"
	      "MP1 assignment scenarios (docs/mp1.md):\n"
	      "  --mp1 SCENARIO --dbg-log FILE   see rumor sim --mp1 --help\n"
	      "\n"
	      "example:\n"
	      "  rumor sim --nodes 200 --loss 0.1 --crash 7@30s --duration 90s "
	      "\\\n"
	      "      --seed 1 --log x.jsonl\n",
	      out);
}

struct parse_state {
	struct rumor_sim_options *o;
	const char **fault_text;  /* the argument each fault came from */
	const char **action_text; /* the argument each action came from */
	const char **action_flag;
	/* last value of each flag, by option code - OPT_NODES */
	const char *text[OPT_END - OPT_NODES + MAX_CONFIG_FLAGS];
	FILE *err;
};

static int
bad(struct parse_state *st, const char *flag, const char *value,
    const char *why)
{
	fprintf(st->err, "rumor sim: --%s: '%s' %s\n", flag, value, why);
	return 2;
}

/* A message of the shared parser (rumor/args.h). */
static int
bad_arg(struct parse_state *st, const char *err)
{
	fprintf(st->err, "rumor sim: %s\n", err);
	return 2;
}

/* --tag K=V[@I[-J]]: members I..J (all without @) start with tag K=V. */
static int
add_tag(struct parse_state *st, const char *text)
{
	struct rumor_sim_config *cfg = &st->o->cfg;
	const char *at = strrchr(text, '@');
	uint64_t first = 0, last = UINT32_MAX;
	char pair[512], range[64], *dash;
	uint8_t scratch[512];
	size_t n = 0;

	if (cfg->n_tags == RUMOR_SIM_MAX_TAGS)
		return bad(st, "tag", text, "at most 32 --tag flags");
	if (at != NULL) {
		snprintf(range, sizeof(range), "%s", at + 1);
		dash = strchr(range, '-');
		if (dash)
			*dash = '\0';
		if (rumor_sim_parse_uint(range, UINT32_MAX, &first) ||
		    rumor_sim_parse_uint(dash ? dash + 1 : range, UINT32_MAX,
		                         &last) ||
		    last < first)
			return bad(
			    st, "tag", text,
			    "expected K=V@I or K=V@I-J (member indexes)");
	}
	snprintf(pair, sizeof(pair), "%.*s",
	         (int)(at ? (size_t)(at - text) : strlen(text)), text);
	if (rumor_tags_put_pair(scratch, sizeof(scratch), &n, pair) != 0)
		return bad(st, "tag", text,
		           "expected K=V (UTF-8, a non-empty key, no control "
		           "characters)");
	cfg->tags[cfg->n_tags] = text;
	cfg->tag_first[cfg->n_tags] = (uint32_t)first;
	cfg->tag_last[cfg->n_tags] = (uint32_t)last;
	cfg->n_tags++;
	return 0;
}

static int
add_action(struct parse_state *st, enum rumor_sim_action_kind kind,
           const char *flag, const char *text)
{
	struct rumor_sim_options *o = st->o;
	size_t n = o->n_actions + 1;
	struct rumor_sim_action a;
	void *p;

	if (rumor_sim_parse_action(kind, text, &a))
		return bad(st, flag, text,
		           kind == RUMOR_SIM_HEAL
		               ? "is not a time with a unit (e.g. 30s)"
		               : "is not I@T or I-J@T with a time unit "
		                 "(e.g. 7@30s)");
	if (!(p = realloc(o->actions, n * sizeof(*o->actions))))
		return bad(st, flag, text, "cannot be stored: out of memory");
	o->actions = p;
	if (!(p = realloc(st->action_text, n * sizeof(char *))))
		return bad(st, flag, text, "cannot be stored: out of memory");
	st->action_text = p;
	if (!(p = realloc(st->action_flag, n * sizeof(char *))))
		return bad(st, flag, text, "cannot be stored: out of memory");
	st->action_flag = p;
	o->actions[o->n_actions] = a;
	st->action_text[o->n_actions] = text;
	st->action_flag[o->n_actions] = flag;
	o->n_actions = n;
	return 0;
}

static int
add_fault(struct parse_state *st, enum rumor_sim_fault_kind kind,
          const char *text)
{
	struct rumor_sim_options *o = st->o;
	size_t n = o->n_faults + 1;
	struct rumor_sim_fault f;
	const char *why;
	void *p;

	if (rumor_sim_parse_fault(kind, text, &f, &why)) {
		rumor_sim_fault_clear(&f);
		return bad(st, rumor_sim_fault_name(kind), text, why);
	}
	if (!(p = realloc(o->faults, n * sizeof(*o->faults)))) {
		rumor_sim_fault_clear(&f);
		return bad(st, rumor_sim_fault_name(kind), text,
		           "out of memory");
	}
	o->faults = p;
	o->faults[o->n_faults] = f;
	o->n_faults = n;
	if (!(p = realloc(st->fault_text, n * sizeof(char *))))
		return bad(st, rumor_sim_fault_name(kind), text,
		           "out of memory");
	st->fault_text = p;
	st->fault_text[n - 1] = text;
	return 0;
}

/* A whole number min..max; range: the allowed values, NULL: min..max. */
static int
set_u32(struct parse_state *st, const char *flag, const char *v, uint64_t min,
        uint64_t max, const char *range, uint32_t *out)
{
	char name[48], err[RUMOR_ARG_ERR_MAX];
	const struct rumor_arg_spec spec = {
	    .flag = name, .min = min, .max = max, .range = range};
	uint64_t x;

	snprintf(name, sizeof(name), "--%s", flag);
	if (rumor_arg_uint(&spec, v, &x, err, sizeof(err)))
		return bad_arg(st, err);
	*out = (uint32_t)x;
	return 0;
}

/* A duration in ms (bare numbers are ms) up to 2^32-1 ms; range: as for
 * set_u32 (the precise ranges are checked by check_all). */
static int
set_ms(struct parse_state *st, const char *flag, const char *v,
       const char *range, uint32_t *out)
{
	char name[48], err[RUMOR_ARG_ERR_MAX];
	const struct rumor_arg_spec spec = {.flag = name,
	                                    .max = UINT32_MAX,
	                                    .range = range,
	                                    .bare = RUMOR_ARG_BARE_MS};
	uint64_t x;

	snprintf(name, sizeof(name), "--%s", flag);
	if (rumor_arg_duration(&spec, v, &x, err, sizeof(err)))
		return bad_arg(st, err);
	*out = (uint32_t)x;
	return 0;
}

static int
set_prob(struct parse_state *st, const char *flag, const char *v, double *out)
{
	if (rumor_sim_parse_prob(v, out))
		return bad(st, flag, v,
		           "is not a probability (allowed: 0..1 or 0%..100%)");
	return 0;
}

static int
set_duration(struct parse_state *st, const char *v, uint64_t *ms)
{
	static const struct rumor_arg_spec spec = {
	    .flag = "--duration", .min = 1, .max = RUMOR_SIM_MAX_TIME_MS};
	char err[RUMOR_ARG_ERR_MAX];

	if (rumor_arg_duration(&spec, v, ms, err, sizeof(err)))
		return bad_arg(st, err);
	return 0;
}

/* One option; 0 or 2. */
/* One of the core's settings (rumor_config_flags()); durations take a
 * unit (500ms, 1.5s), the rest plain numbers. */
static int
parse_core(struct parse_state *st, int c, const char *v)
{
	size_t n;
	const struct rumor_config_flag *flags = rumor_config_flags(&n);
	const struct rumor_config_flag *f;
	uint32_t *field;

	if ((size_t)(c - OPT_CONFIG0) >= n)
		return 2;
	f = &flags[c - OPT_CONFIG0];
	field = rumor_config_field(&st->o->cfg.core, f);
	if (f->unit == RUMOR_CONFIG_MS)
		return set_ms(st, f->name, v, f->range, field);
	return set_u32(st, f->name, v, 0, UINT32_MAX, f->range, field);
}

static int
parse_one(struct parse_state *st, int c, const char *v)
{
	struct rumor_sim_config *cfg = &st->o->cfg;
	struct rumor_config *core = &cfg->core;
	static const struct rumor_arg_spec seed_spec = {.flag = "--seed",
	                                                .max = UINT64_MAX};
	char err[RUMOR_ARG_ERR_MAX];
	uint64_t x;

	if (c >= OPT_NODES && c < OPT_CONFIG0 + MAX_CONFIG_FLAGS)
		st->text[c - OPT_NODES] = v;
	if (c >= OPT_CONFIG0)
		return parse_core(st, c, v);
	if (c >= OPT_FAULT0 && c < OPT_FAULT0 + RUMOR_SIM_FAULT_MAX)
		return add_fault(
		    st, (enum rumor_sim_fault_kind)(c - OPT_FAULT0), v);
	switch (c) {
	case OPT_NODES:
		return set_u32(st, "nodes", v, 1, RUMOR_SIM_MAX_MEMBERS, NULL,
		               &cfg->n_members);
	case OPT_LOSS:
		return set_prob(st, "loss", v, &cfg->loss);
	case OPT_DELAY:
		if (rumor_sim_parse_delay(v, &cfg->delay_min_ms,
		                          &cfg->delay_max_ms))
			return bad(
			    st, "delay-ms", v,
			    "is not A..B in ms (allowed: A <= B <= 60000)");
		return 0;
	case OPT_TAG:
		return add_tag(st, v);
	case OPT_CRASH:
		return add_action(st, RUMOR_SIM_CRASH, "crash", v);
	case OPT_LEAVE:
		return add_action(st, RUMOR_SIM_LEAVE, "leave", v);
	case OPT_RESTART:
		return add_action(st, RUMOR_SIM_RESTART, "restart", v);
	case OPT_PARTITION:
		return add_action(st, RUMOR_SIM_PARTITION, "partition", v);
	case OPT_HEAL:
		return add_action(st, RUMOR_SIM_HEAL, "heal", v);
	case OPT_DURATION:
		return set_duration(st, v, &st->o->duration_ms);
	case OPT_SEED:
		if (rumor_arg_uint(&seed_spec, v, &x, err, sizeof(err)))
			return bad_arg(st, err);
		cfg->seed = x;
		return 0;
	case OPT_LOG:
		if (!*v)
			return bad(st, "log", v, "is not a file name or -");
		cfg->log_path = v;
		return 0;
	case OPT_TRACE:
		cfg->trace = 1;
		return 0;
	case OPT_REPLAY:
		core->replay_window = 1;
		return 0;
	case OPT_DROP:
		return set_prob(st, "drop-rate", v, &core->recv_drop_rate);
	case OPT_STAGGER:
		return set_ms(st, "stagger-ms", v, NULL, &cfg->stagger_ms);
	case OPT_STREAM_TIMEOUT:
		return set_ms(st, "stream-timeout-ms", v, "1..600000",
		              &cfg->stream_timeout_ms);
	case OPT_THREADS:
		return set_u32(st, "threads", v, 1, RUMOR_SIM_MAX_THREADS, NULL,
		               &cfg->threads);
	case OPT_PROFILE: /* applied first (rumor_config_profile_args) */
		return 0;
	}
	return 2;
}

/* The option that sets a config field, for rumor_sim_config_validate, and
 * (into *range) its allowed values. */
static int
field_option(const char *field, const char **range)
{
	static const struct {
		const char *field;
		int opt;
		const char *range;
	} map[] = {
	    {"n_members", OPT_NODES, "1..60000"},
	    {"loss", OPT_LOSS, "0..1"},
	    {"delay_ms", OPT_DELAY, "A..B, A <= B <= 60000"},
	    {"stagger_ms", OPT_STAGGER, "--stagger-ms x --nodes <= 10^12 ms"},
	    {"stream_timeout_ms", OPT_STREAM_TIMEOUT, "1..600000"},
	    {"threads", OPT_THREADS, "1..16"},
	    {"recv_drop_rate", OPT_DROP, "0..1"},
	};

	const struct rumor_config_flag *f, *flags;
	size_t n;

	for (size_t i = 0; field && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].field, field)) {
			*range = map[i].range;
			return map[i].opt;
		}
	if (field && (f = rumor_config_flag_of_field(field)) != NULL) {
		flags = rumor_config_flags(&n);
		*range = f->range;
		return OPT_CONFIG0 + (int)(f - flags);
	}
	return -1;
}

static const char *
option_name(int opt)
{
	for (const struct option *o = long_options; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

/* Every fault's sets within --nodes, and over by --duration. */
static int
check_faults(struct parse_state *st)
{
	const struct rumor_sim_options *o = st->o;
	uint32_t n = o->cfg.n_members;
	uint8_t *side = malloc(n ? n : 1);
	char why[128];
	int rc = 0;

	for (size_t i = 0; !rc && side && i < o->n_faults; i++) {
		const struct rumor_sim_fault *f = &o->faults[i];
		const char *flag = rumor_sim_fault_name(f->kind);
		uint64_t end = rumor_sim_fault_end(f);

		if (rumor_sim_set_resolve(&f->a, NULL, n, side) ||
		    ((f->kind == RUMOR_SIM_ONEWAY ||
		      f->kind == RUMOR_SIM_CUT) &&
		     rumor_sim_set_resolve(&f->b, &f->a, n, side))) {
			snprintf(why, sizeof(why),
			         "a member out of range or an empty set "
			         "(--nodes %u: 0..%u)",
			         n, n ? n - 1 : 0);
			rc = bad(st, flag, st->fault_text[i], why);
		} else if (end > o->duration_ms) {
			snprintf(why, sizeof(why),
			         "ends at %llu ms, after the end of the run "
			         "(--duration %llu ms)",
			         (unsigned long long)end,
			         (unsigned long long)o->duration_ms);
			rc = bad(st, flag, st->fault_text[i], why);
		}
	}
	free(side);
	return side ? rc : bad(st, "nodes", "?", "out of memory");
}

/* Each action names members of the cluster and happens before the end. */
static int
check_actions(struct parse_state *st)
{
	const struct rumor_sim_options *o = st->o;
	char why[128], end[32];

	if (check_faults(st))
		return 2;
	for (size_t i = 0; i < o->n_actions; i++) {
		const struct rumor_sim_action *a = &o->actions[i];

		if (a->kind != RUMOR_SIM_HEAL && a->last >= o->cfg.n_members) {
			snprintf(why, sizeof(why),
			         "names member %u (allowed with --nodes %u: "
			         "0..%u)",
			         a->last, o->cfg.n_members,
			         o->cfg.n_members - 1);
			return bad(st, st->action_flag[i], st->action_text[i],
			           why);
		}
		if (a->at_ms >= o->duration_ms) {
			snprintf(why, sizeof(why),
			         "is at or after the end of the run "
			         "(--duration %s)",
			         rumor_arg_format_ms(o->duration_ms, end,
			                             sizeof(end)));
			return bad(st, st->action_flag[i], st->action_text[i],
			           why);
		}
	}
	return 0;
}

/* Checks that need every flag: actions against --nodes and --duration,
 * config ranges. */
static int
check_all(struct parse_state *st)
{
	const struct rumor_sim_options *o = st->o;
	const char *field = NULL, *range = NULL;
	char why[128];
	int opt;

	if (check_actions(st))
		return 2;
	if (rumor_sim_config_validate(&o->cfg, &field)) {
		opt = field_option(field, &range);
		if (opt >= 0 && st->text[opt - OPT_NODES]) {
			snprintf(why, sizeof(why),
			         "is out of range (allowed: %s)", range);
			return bad(st, option_name(opt),
			           st->text[opt - OPT_NODES], why);
		}
		fprintf(st->err,
		        "rumor sim: the settings are inconsistent: %s "
		        "(see --help)\n",
		        field ? field : "?");
		return 2;
	}
	return 0;
}

/* "--heal@30s" is not something getopt_long can match: make it --heal=. */
static char **
rewrite_heal(int argc, char **argv, char ***owned)
{
	char **v = calloc((size_t)argc + 1, sizeof(*v));

	*owned = calloc((size_t)argc + 1, sizeof(**owned));
	if (!v || !*owned) {
		free(v);
		free(*owned);
		return NULL;
	}
	for (int i = 0; i < argc; i++) {
		v[i] = argv[i];
		if (i > 0 && !strncmp(argv[i], "--heal@", 7) &&
		    (v[i] = (*owned)[i] = strdup(argv[i])) != NULL)
			v[i][6] = '=';
		if (!v[i])
			v[i] = argv[i];
	}
	return v;
}

static int
parse_loop(struct parse_state *st, int argc, char **argv, FILE *out)
{
	int c, rc = 0;

	build_options();
	optind = 0; /* GNU: full re-initialisation, so tests can re-parse */
	opterr = 0;
	while (!rc &&
	       (c = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
		if (c == OPT_HELP) {
			rumor_sim_usage(out);
			st->o->help = 1;
			return 0;
		} else if (c == '?') {
			fprintf(st->err,
			        "rumor sim: unknown option '%s' (try --help)\n",
			        argv[optind - 1]);
			rc = 2;
		} else if (c == ':') {
			fprintf(st->err,
			        "rumor sim: option '%s' needs a value\n",
			        argv[optind - 1]);
			rc = 2;
		} else {
			rc = parse_one(st, c, optarg);
		}
	}
	if (!rc && optind < argc) {
		fprintf(st->err, "rumor sim: unexpected argument '%s'\n",
		        argv[optind]);
		rc = 2;
	}
	return rc ? rc : check_all(st);
}

int
rumor_sim_options_parse(struct rumor_sim_options *o, int argc, char **argv,
                        FILE *out, FILE *err)
{
	struct parse_state st = {.o = o, .err = err};
	const char *bad_name = NULL;
	char **owned = NULL, **v;
	int rc;

	memset(o, 0, sizeof(*o));
	rumor_sim_config_init(&o->cfg);
	o->duration_ms = 60000;
	if (rumor_config_profile_args(&o->cfg.core, argc, argv, &bad_name)) {
		fprintf(err,
		        "rumor sim: --profile: unknown profile '%s' (lan, "
		        "wan or lean)\n",
		        bad_name);
		return 2;
	}
	v = rewrite_heal(argc, argv, &owned);
	if (!v) {
		fprintf(err, "rumor sim: out of memory\n");
		return 2;
	}
	rc = parse_loop(&st, argc, v, out);
	for (int i = 0; i < argc; i++)
		free(owned[i]);
	free(owned);
	free(v);
	free(st.action_text);
	free(st.action_flag);
	free(st.fault_text);
	return rc;
}

void
rumor_sim_options_free(struct rumor_sim_options *o)
{
	free(o->actions);
	o->actions = NULL;
	o->n_actions = 0;
	for (size_t i = 0; i < o->n_faults; i++)
		rumor_sim_fault_clear(&o->faults[i]);
	free(o->faults);
	o->faults = NULL;
	o->n_faults = 0;
}

int
rumor_sim_options_schedule(struct rumor_sim *sim,
                           const struct rumor_sim_options *o)
{
	for (size_t i = 0; i < o->n_actions; i++) {
		int rc = rumor_sim_schedule(sim, &o->actions[i]);

		if (rc)
			return rc;
	}
	for (size_t i = 0; i < o->n_faults; i++) {
		int rc = rumor_sim_add_fault(sim, &o->faults[i]);

		if (rc)
			return rc;
	}
	return 0;
}
