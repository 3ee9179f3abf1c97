/* SPDX-License-Identifier: MIT */
/*
 * rumor agent --bind HOST:PORT [--join HOST:PORT]... [options]: run one
 * member (docs/agent.md).
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "rumor/args.h"
#include "rumor/node.h"
#include "agent_config.h"
#include "rumor/tags.h"

#define MAX_SEEDS    64
#define MAX_HANDLERS 16

static void
usage(FILE *out, const struct rumor_config *d)
{
	fprintf(out,
	        "usage: rumor agent --bind HOST:PORT [--join HOST:PORT]... "
	        "[options]\n"
	        "\n"
	        "Runs one member: gossip over UDP and joins over TCP, both on "
	        "PORT.\n"
	        "Without --join it starts a new group and is its introducer "
	        "(by\n"
	        "convention on port 3000). SIGTERM or SIGINT: leave the group "
	        "and exit 0.\n"
	        "\n"
	        "  --bind HOST:PORT      address of this member (numeric; "
	        "PORT 0 = any\n"
	        "                        free port, reported on stderr and in "
	        "the start line)\n"
	        "  --join HOST:PORT      introducer or any live member; "
	        "repeatable, tried\n"
	        "                        in turn with backoff until one "
	        "answers\n"
	        "  --log FILE            append the JSON-lines event log to "
	        "FILE ('-' = stdout)\n"
	        "  --trace               also log every datagram "
	        "(send/recv/drop lines)\n"
	        "  --replay-window       refuse replayed datagrams (on with "
	        "--key-file; in the\n"
	        "                        clear anyone can forge one, so it "
	        "guards nothing)\n"
	        "  --control PATH        control socket (default: "
	        "$XDG_RUNTIME_DIR/rumor/\n"
	        "                        HOST:PORT.sock or "
	        "/tmp/rumor-UID/HOST:PORT.sock)\n"
	        "  --state-dir DIR       where the last version per address "
	        "is kept\n"
	        "                        (default: the runtime directory, "
	        "$XDG_RUNTIME_DIR/rumor\n"
	        "                        or /tmp/rumor-UID, also with "
	        "--control)\n"
	        "  --drop-rate P         drop this fraction of received "
	        "datagrams (0.3 or 30%%)\n"
	        "  --quiet               no line per event on stderr\n"
	        "  --tag KEY=VALUE       a tag of this member (repeatable; "
	        "UTF-8; at most\n"
	        "                        --tags-max bytes as \"k=v\\n\" "
	        "lines; `rumor tags` changes\n"
	        "                        them at run time)\n"
	        "  --event-handler [EVENTS=]CMD  run CMD (sh -c) per "
	        "membership change;\n"
	        "                        EVENTS: comma list of member-join, "
	        "member-leave,\n"
	        "                        member-failed, member-update, "
	        "member-reap,\n"
	        "                        member-suspect, member-alive (default "
	        "all); stdin: one\n"
	        "                        line 'ID ADDRESS STATUS TAGS'; env "
	        "RUMOR_EVENT, RUMOR_SELF\n"
	        "  --handler-timeout-ms N  kill a handler run after N ms "
	        "[30000]\n"
	        "  --metrics-bind HOST:PORT  serve Prometheus metrics at "
	        "http://HOST:PORT/metrics\n"
	        "  --advertise HOST:PORT the address others reach this "
	        "member at (its id), when\n"
	        "                        --bind is 0.0.0.0 or behind NAT; "
	        "PORT 0 = the bound port\n"
	        "  --config FILE         INI file of agent flags as keys "
	        "(bind = ..., tag = ...);\n"
	        "                        flags on the command line override "
	        "it\n"
	        "  --log-level L         stderr lines up to L: error, warn, "
	        "info (default), debug;\n"
	        "                        each line says its level after the "
	        "clock\n"
	        "  --profile NAME        lan (the defaults: ~390 B/s, a crash "
	        "failed in ~1.4 s),\n"
	        "                        wan (~160 B/s, ~3.5 s) or lean "
	        "(~90 B/s, ~2.5 s);\n"
	        "                        the protocol flags below change it "
	        "(docs/architecture.md)\n"
	        "  --key-file F          seal every datagram and join/sync "
	        "stream with\n"
	        "                        XChaCha20-Poly1305 under these keys "
	        "(one per line,\n"
	        "                        64 hex digits or base64; the first "
	        "is the primary);\n"
	        "                        without it everything runs in the "
	        "clear. `rumor keys`\n"
	        "                        changes the ring at run time "
	        "(docs/security.md)\n"
	        "  --max-stream-conns N  join/sync connections served at once "
	        "(1..65536,\n"
	        "                        default 128; 16 at most per IP "
	        "address; a request\n"
	        "                        must be in within 2 s; "
	        "docs/security.md)\n");
	static const char *const unit_arg[] = {"MS", "N", "BYTES"};
	const struct rumor_config_flag *flags;
	size_t n;
	char left[48];

	flags = rumor_config_flags(&n);
	fprintf(out, "\nprotocol (ms unless noted; defaults in brackets):\n");
	for (size_t i = 0; i < n; i++) {
		snprintf(
		    left, sizeof(left), "--%s %s [%u]", flags[i].name,
		    unit_arg[flags[i].unit],
		    *rumor_config_field((struct rumor_config *)d, &flags[i]));
		fprintf(out, "  %-27s %s\n", left, flags[i].help);
	}
	fprintf(out, "\nExit status: 0 after leaving, 1 on an error (port in "
	             "use, bad address,\nlog not writable...), 2 on a usage "
	             "error.\n");
}

enum {
	OPT_BIND = 256,
	OPT_JOIN,
	OPT_LOG,
	OPT_TRACE,
	OPT_CONTROL,
	OPT_STATE_DIR,
	OPT_DROP,
	OPT_QUIET,
	OPT_KEY_FILE,
	OPT_MAX_STREAMS,
	OPT_REPLAY,
	OPT_HELP,
	OPT_PROFILE,
	OPT_TAG,
	OPT_HANDLER,
	OPT_HANDLER_TIMEOUT,
	OPT_METRICS,
	OPT_LOG_LEVEL,
	OPT_CONFIG_FILE,
	OPT_ADVERTISE,
	OPT_CONFIG0 /* + i: the i-th rumor_config_flags() entry */
};

static const struct option fixed_opts[] = {
    {"bind", required_argument, NULL, OPT_BIND},
    {"join", required_argument, NULL, OPT_JOIN},
    {"log", required_argument, NULL, OPT_LOG},
    {"trace", no_argument, NULL, OPT_TRACE},
    {"replay-window", no_argument, NULL, OPT_REPLAY},
    {"control", required_argument, NULL, OPT_CONTROL},
    {"state-dir", required_argument, NULL, OPT_STATE_DIR},
    {"drop-rate", required_argument, NULL, OPT_DROP},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"max-stream-conns", required_argument, NULL, OPT_MAX_STREAMS},
    {"help", no_argument, NULL, OPT_HELP},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"tag", required_argument, NULL, OPT_TAG},
    {"event-handler", required_argument, NULL, OPT_HANDLER},
    {"handler-timeout-ms", required_argument, NULL, OPT_HANDLER_TIMEOUT},
    {"metrics-bind", required_argument, NULL, OPT_METRICS},
    {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
    {"config", required_argument, NULL, OPT_CONFIG_FILE},
    {"advertise", required_argument, NULL, OPT_ADVERTISE},
};
#define N_FIXED (sizeof(fixed_opts) / sizeof(fixed_opts[0]))
/* the fixed options, then one per rumor_config_flags() entry, then the end */
static struct option longopts[N_FIXED + 32];

/* Name the flag of a field rumor_config_validate refused, and its range. */
static void
bad_field(struct rumor_config *cfg, const char *field)
{
	const struct rumor_config_flag *f = rumor_config_flag_of_field(field);

	if (f != NULL) /* the value may be a default the user never gave */
		fprintf(stderr,
		        "rumor agent: --%s: out of range (%s): it is %u "
		        "(as given, or the default or --profile's)\n",
		        f->name, f->range, *rumor_config_field(cfg, f));
	else if (strcmp(field, "recv_drop_rate") == 0)
		fprintf(stderr, "rumor agent: --drop-rate: out of range "
		                "(0..1)\n");
	else
		fprintf(stderr, "rumor agent: setting %s out of range\n",
		        field);
}

/* A protocol setting: a whole number, or for *-ms flags a duration (bare
 * numbers are ms); its precise range is rumor_config_validate's. */
static int
parse_setting(const char *flag, const struct rumor_config_flag *f,
              const char *text, uint32_t *out)
{
	const struct rumor_arg_spec spec = {
	    .flag = flag,
	    .max = UINT32_MAX,
	    .range = f->range,
	    .bare = RUMOR_ARG_BARE_MS,
	};
	char err[RUMOR_ARG_ERR_MAX];
	uint64_t v;
	int rc = f->unit == RUMOR_CONFIG_MS
	             ? rumor_arg_duration(&spec, text, &v, err, sizeof(err))
	             : rumor_arg_uint(&spec, text, &v, err, sizeof(err));

	if (rc != 0) {
		fprintf(stderr, "rumor agent: %s\n", err);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
parse_addr(const char *flag, const char *text, struct rumor_addr *out,
           int port0_ok)
{
	const char *colon = strrchr(text, ':');
	const struct rumor_arg_spec port = {
	    .flag = "port", .min = port0_ok ? 0 : 1, .max = 65535};
	char err[RUMOR_ARG_ERR_MAX];
	uint64_t p;

	if (rumor_addr_parse(text, out) == 0 && (port0_ok || out->port != 0))
		return 0;
	if (colon && colon[1] &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    rumor_arg_uint(&port, colon + 1, &p, err, sizeof(err)) != 0) {
		fprintf(stderr, "rumor agent: %s %s: %s\n", flag, text, err);
		return -1;
	}
	fprintf(stderr,
	        "rumor agent: %s %s: not a numeric HOST:PORT (e.g. "
	        "127.0.0.1:3000 or [::1]:3000)%s\n",
	        flag, text, port0_ok ? "" : "; port 0 is not allowed here");
	return -1;
}

struct agent_args {
	struct rumor_node_options opt;
	struct rumor_addr seeds[MAX_SEEDS];
	int have_bind;
	uint8_t tags[65000]; /* the largest --tags-max */
	size_t tags_len;
	const char *handlers[MAX_HANDLERS];
	struct rumor_addr metrics;
	struct rumor_addr advertise;
	const char *join_names[MAX_SEEDS];
};

/* An IPv4 agent cannot gossip with IPv6 members (its datagrams go
 * nowhere, theirs never arrive): a join across families is refused. */
static int
check_join_family(const struct agent_args *a)
{
	char s[RUMOR_ADDR_STRLEN], b[RUMOR_ADDR_STRLEN];

	for (size_t i = 0; i < a->opt.n_seeds; i++) {
		if (a->seeds[i].family == a->opt.bind.family)
			continue;
		rumor_addr_format(&a->seeds[i], s, sizeof(s));
		rumor_addr_format(&a->opt.bind, b, sizeof(b));
		fprintf(stderr,
		        "rumor agent: --join %s is IPv%u but --bind %s is "
		        "IPv%u: members gossip over one address family "
		        "(join an IPv%u member)\n",
		        s, a->seeds[i].family, b, a->opt.bind.family,
		        a->opt.bind.family);
		return -1;
	}
	return 0;
}

/* A wildcard address (0.0.0.0, ::) cannot be a member's id: --bind one
 * needs --advertise, and --advertise is never one. (The agent checks it
 * too; here it is a command-line error, exit 2.) */
static int
is_wildcard(const struct rumor_addr *a)
{
	char s[RUMOR_ADDR_STRLEN];

	rumor_addr_format(a, s, sizeof(s));
	return strncmp(s, "0.0.0.0:", 8) == 0 || strncmp(s, "[::]:", 5) == 0;
}

static int
check_wildcard(const struct agent_args *a)
{
	char s[RUMOR_ADDR_STRLEN];

	if (a->opt.advertise != NULL && is_wildcard(a->opt.advertise)) {
		rumor_addr_format(a->opt.advertise, s, sizeof(s));
		fprintf(stderr,
		        "rumor agent: --advertise %s: a wildcard address; give "
		        "the address others reach this member at\n",
		        s);
		return -1;
	}
	if (a->opt.advertise == NULL && is_wildcard(&a->opt.bind)) {
		rumor_addr_format(&a->opt.bind, s, sizeof(s));
		fprintf(stderr,
		        "rumor agent: --bind %s: give the address others reach "
		        "this member at (it is part of its id), not a "
		        "wildcard, or add --advertise HOST:PORT\n",
		        s);
		return -1;
	}
	return 0;
}

/* --state-dir must be a directory when it exists (it is created when not). */
static int
check_state_dir(const char *dir)
{
	struct stat st;

	if (dir == NULL || stat(dir, &st) != 0 || S_ISDIR(st.st_mode))
		return 0;
	fprintf(stderr, "rumor agent: --state-dir %s: not a directory\n", dir);
	return -1;
}

/* A numeric address, or a name (resolved once, here: the bind address is
 * fixed for the agent's life). 0 or -1 (told). */
static int
parse_bind(const char *text, struct rumor_addr *out)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
	                         .ai_socktype = SOCK_DGRAM},
	                *res = NULL;
	char host[256], port[8];
	uint16_t p;
	int rc;

	if (rumor_addr_parse(text, out) == 0)
		return 0;
	if (rumor_node_split_host_port(text, host, sizeof(host), &p) != 0)
		return parse_addr("--bind", text, out, 1);
	snprintf(port, sizeof(port), "%u", p);
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		fprintf(stderr, "rumor agent: --bind %s: %s\n", text,
		        gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		char num[64];
		if (getnameinfo(a->ai_addr, a->ai_addrlen, num, sizeof(num),
		                NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		char both[96];
		snprintf(both, sizeof(both),
		         a->ai_family == AF_INET6 ? "[%s]:%u" : "%s:%u", num,
		         p);
		if (rumor_addr_parse(both, out) == 0) {
			freeaddrinfo(res);
			return 0;
		}
	}
	freeaddrinfo(res);
	fprintf(stderr, "rumor agent: --bind %s: no usable address\n", text);
	return -1;
}

/* --join: a numeric seed, or NAME:PORT resolved by the agent. */
static int
parse_join(struct agent_args *a, const char *text)
{
	struct rumor_node_options *o = &a->opt;
	char host[256];
	uint16_t p;

	if (o->n_seeds + o->n_join_names == MAX_SEEDS) {
		fprintf(stderr, "rumor agent: --join: at most %d\n", MAX_SEEDS);
		return -1;
	}
	if (rumor_addr_parse(text, &a->seeds[o->n_seeds]) == 0 &&
	    a->seeds[o->n_seeds].port != 0) {
		o->n_seeds++;
		return 0;
	}
	if (rumor_node_split_host_port(text, host, sizeof(host), &p) != 0 ||
	    strchr(host, '[') != NULL) {
		fprintf(stderr,
		        "rumor agent: --join %s: not HOST:PORT (a numeric "
		        "address or a DNS name, port 1..65535)\n",
		        text);
		return -1;
	}
	a->join_names[o->n_join_names++] = text;
	o->join_names = a->join_names;
	return 0;
}

static int
take_handler(struct agent_args *a, const char *spec)
{
	uint32_t mask;
	const char *cmd;

	if (a->opt.n_handlers == MAX_HANDLERS) {
		fprintf(stderr, "rumor agent: --event-handler: at most %d\n",
		        MAX_HANDLERS);
		return -1;
	}
	if (rumor_node_handler_parse(spec, &mask, &cmd) != 0) {
		fprintf(stderr,
		        "rumor agent: --event-handler '%s': not [EVENTS=]CMD "
		        "(EVENTS a comma list of %s)\n",
		        spec, rumor_node_handler_events());
		return -1;
	}
	a->handlers[a->opt.n_handlers++] = spec;
	a->opt.handlers = a->handlers;
	return 0;
}

static int
take_tag(struct agent_args *a, const char *text)
{
	int rc =
	    rumor_tags_put_pair(a->tags, sizeof(a->tags), &a->tags_len, text);

	if (rc == RUMOR_EINVAL)
		fprintf(stderr,
		        "rumor agent: --tag '%s': not KEY=VALUE (UTF-8, a "
		        "non-empty key, no control characters)\n",
		        text);
	else if (rc != 0)
		fprintf(stderr, "rumor agent: --tag '%s': over 65000 bytes\n",
		        text);
	a->opt.tags = a->tags;
	a->opt.tags_len = a->tags_len;
	return rc == 0 ? 0 : -1;
}

/* The protocol setting of option c, or NULL. */
static const struct rumor_config_flag *
config_flag(int c)
{
	size_t n;
	const struct rumor_config_flag *flags = rumor_config_flags(&n);

	if (c < OPT_CONFIG0 || (size_t)(c - OPT_CONFIG0) >= n)
		return NULL;
	return &flags[c - OPT_CONFIG0];
}

/* The option table: the fixed options and the protocol's settings. */
static void
build_longopts(void)
{
	size_t n, k = N_FIXED;
	const struct rumor_config_flag *flags = rumor_config_flags(&n);

	memcpy(longopts, fixed_opts, sizeof(fixed_opts));
	for (size_t i = 0;
	     i < n && k + 1 < sizeof(longopts) / sizeof(longopts[0]); i++)
		longopts[k++] =
		    (struct option){flags[i].name, required_argument, NULL,
		                    OPT_CONFIG0 + (int)i};
	longopts[k] = (struct option){NULL, 0, NULL, 0};
}

/* One option; 0, -1 (error, printed) or 1 (--help shown). */
static int
take(struct agent_args *a, int c, const char *flag)
{
	struct rumor_node_options *o = &a->opt;
	const struct rumor_config_flag *f = config_flag(c);

	if (f != NULL)
		return parse_setting(flag, f, optarg,
		                     rumor_config_field(&o->cfg, f));
	switch (c) {
	case OPT_BIND:
		a->have_bind = 1;
		return parse_bind(optarg, &o->bind);
	case OPT_JOIN:
		return parse_join(a, optarg);
	case OPT_LOG:
		o->log_path = optarg;
		return 0;
	case OPT_TRACE:
		o->cfg.trace = 1;
		return 0;
	case OPT_REPLAY:
		o->cfg.replay_window = 1;
		return 0;
	case OPT_CONTROL:
		o->control_path = optarg;
		return 0;
	case OPT_STATE_DIR:
		o->state_dir = optarg;
		return 0;
	case OPT_KEY_FILE:
		o->key_file = optarg;
		return 0;
	case OPT_QUIET:
		o->quiet = 1;
		return 0;
	case OPT_MAX_STREAMS: {
		char *end;
		unsigned long v;
		errno = 0;
		v = strtoul(optarg, &end, 10);
		if (errno == 0 && *end == '\0' && end != optarg &&
		    optarg[0] != '-' && v >= 1 && v <= 65536) {
			o->max_stream_conns = (uint32_t)v;
			return 0;
		}
		fprintf(stderr,
		        "rumor agent: --max-stream-conns: '%s' is not a whole "
		        "number in 1..65536\n",
		        optarg);
		return -1;
	}
	case OPT_DROP:
		if (rumor_node_parse_rate(optarg, &o->cfg.recv_drop_rate) == 0)
			return 0;
		fprintf(stderr,
		        "rumor agent: --drop-rate: '%s' is not in [0, 1] or "
		        "0%%..100%%\n",
		        optarg);
		return -1;
	case OPT_HELP:
		usage(stdout, &o->cfg);
		return 1;
	case OPT_PROFILE: /* applied first (rumor_config_profile_args) */
		return 0;
	case OPT_TAG:
		return take_tag(a, optarg);
	case OPT_HANDLER:
		return take_handler(a, optarg);
	case OPT_CONFIG_FILE: /* read first (rumor_agent_config_args) */
		return 0;
	case OPT_ADVERTISE:
		o->advertise = &a->advertise;
		return parse_addr("--advertise", optarg, &a->advertise, 1);
	case OPT_LOG_LEVEL:
		if (rumor_node_log_level_parse(optarg, &o->log_level) == 0)
			return 0;
		fprintf(stderr,
		        "rumor agent: --log-level '%s': not error, warn, info "
		        "or debug\n",
		        optarg);
		return -1;
	case OPT_METRICS:
		o->metrics_bind = &a->metrics;
		return parse_addr("--metrics-bind", optarg, &a->metrics, 0);
	case OPT_HANDLER_TIMEOUT: {
		static const struct rumor_arg_spec spec = {
		    .flag = "--handler-timeout-ms",
		    .min = 1,
		    .max = 3600000,
		    .bare = RUMOR_ARG_BARE_MS};
		char err[RUMOR_ARG_ERR_MAX];
		uint64_t v;
		if (rumor_arg_duration(&spec, optarg, &v, err, sizeof(err)) !=
		    0) {
			fprintf(stderr, "rumor agent: %s\n", err);
			return -1;
		}
		o->handler_timeout_ms = (uint32_t)v;
		return 0;
	}
	default:
		usage(stderr, &o->cfg);
		return -1;
	}
}

static const char *
flag_name(int c)
{
	for (size_t i = 0; longopts[i].name; i++)
		if (longopts[i].val == c)
			return longopts[i].name;
	return "?";
}

static int run_agent(int argc, char **argv, int n_config,
                     const char *config_path);

int
cmd_agent(int argc, char **argv)
{
	char cerr[600], **all;
	int n_all, rc;

	build_longopts();
	if (rumor_agent_config_args(argc, argv, longopts, &n_all, &all, cerr,
	                            sizeof(cerr)) != 0) {
		fprintf(stderr, "rumor agent: %s\n", cerr);
		return 2;
	}
	rc = run_agent(n_all, all, n_all - argc,
	               rumor_agent_config_path(argc, argv));
	rumor_agent_config_free(argc, argv, n_all, all);
	return rc;
}

/* The agent with argv: argv[1..n_config] came from config_path's keys. */
static int
run_agent(int argc, char **argv, int n_config, const char *config_path)
{
	static struct agent_args a;
	const char *bad = NULL;
	char flag[40];
	int c, rc;

	memset(&a, 0, sizeof(a));
	rumor_config_init(&a.opt.cfg);
	a.opt.log_level = RUMOR_NODE_LOG_INFO;
	if (rumor_config_profile_args(&a.opt.cfg, argc, argv, &bad) != 0) {
		fprintf(stderr,
		        "rumor agent: --profile: unknown profile '%s' "
		        "(lan, wan or lean)\n",
		        bad);
		return 2;
	}
	a.opt.seeds = a.seeds;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			fprintf(stderr, "rumor agent: %s '%s' (try --help)\n",
			        c == '?' ? "unknown option"
			                 : "missing value for option",
			        argv[optind - 1]);
			return 2;
		}
		snprintf(flag, sizeof(flag), "--%s", flag_name(c));
		if ((rc = take(&a, c == 'h' ? OPT_HELP : c, flag)) != 0) {
			if (rc < 0 && optind - 1 <= n_config)
				fprintf(stderr,
				        "rumor agent: (%s is set in --config "
				        "%s)\n",
				        flag, config_path);
			return rc > 0 ? 0 : 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rumor agent: unexpected argument '%s'\n",
		        argv[optind]);
		return 2;
	}
	if (!a.have_bind) {
		fprintf(stderr, "rumor agent: --bind HOST:PORT is required "
		                "(e.g. --bind 127.0.0.1:3000)\n");
		return 2;
	}
	if (rumor_config_validate(&a.opt.cfg, &bad) != 0) {
		bad_field(&a.opt.cfg, bad ? bad : "?");
		return 2;
	}
	if (check_join_family(&a) != 0 || check_state_dir(a.opt.state_dir) ||
	    check_wildcard(&a) != 0)
		return 2;
	return rumor_node_run(&a.opt);
}
