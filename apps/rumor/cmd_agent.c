/*
 * rumor agent --bind HOST:PORT [--join HOST:PORT]... [options]: run one
 * member (docs/agent.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "rumor/node.h"

#define MAX_SEEDS 64

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
	        "                        (default: the control socket's "
	        "directory)\n"
	        "  --drop-rate P         drop this fraction of received "
	        "datagrams (0.3 or 30%%)\n"
	        "  --quiet               no line per event on stderr\n"
	        "  --key-file F          seal every datagram and join/sync "
	        "stream with\n"
	        "                        XChaCha20-Poly1305 under these keys "
	        "(one per line,\n"
	        "                        64 hex digits or base64; the first "
	        "is the primary);\n"
	        "                        without it everything runs in the "
	        "clear. `rumor keys`\n"
	        "                        changes the ring at run time "
	        "(docs/security.md)\n");
	const struct {
		const char *flag;
		uint32_t def;
		const char *what;
	} rows[] = {
	    {"--heartbeat-ms N", d->t_heartbeat_ms,
	     "own heartbeat straight to the ring monitors"},
	    {"--gossip-ms N", d->t_gossip_ms, "gossip round"},
	    {"--fanout N", d->fanout, "gossip targets per round (1..16)"},
	    {"--gossip-entries N", d->gossip_entries,
	     "entries per gossip datagram at most (0 = what the MTU holds)"},
	    {"--suspect-ms N", d->t_suspect_ms,
	     "no heartbeat progress this long: suspect"},
	    {"--suspect-far-ms N", d->t_suspect_far_ms,
	     "the same for members heard only by gossip (0 = derived)"},
	    {"--fail-ms N", d->t_fail_ms, "suspected this much longer: failed"},
	    {"--cleanup-ms N", d->t_cleanup_ms,
	     "failed/left entries removed after this"},
	    {"--monitors N", d->monitors,
	     "ring monitors per member (0..8; 0 = no ring)"},
	    {"--sync-ms N", d->t_sync_ms,
	     "anti-entropy: whole-list exchange every N ms (0 = off)"},
	    {"--reconnect-ms N", d->reconnect_ms,
	     "retry seeds and failed addresses (0 = off)"},
	    {"--retransmit-mult N", d->retransmit_mult,
	     "piggyback each change N*ceil(log2(members+1)) times"},
	    {"--leave-grace-ms N", d->leave_grace_ms,
	     "keep announcing a leave this long"},
	    {"--mtu BYTES", d->mtu_bytes,
	     "largest datagram on the wire (seal included)"},
	    {"--max-members N", d->max_members, "membership table bound"},
	};
	char left[48];

	fprintf(out, "\nprotocol (ms unless noted; defaults in brackets):\n");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(left, sizeof(left), "%s [%u]", rows[i].flag,
		         rows[i].def);
		fprintf(out, "  %-27s %s\n", left, rows[i].what);
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
	OPT_GOSSIP,
	OPT_FANOUT,
	OPT_SUSPECT,
	OPT_FAIL,
	OPT_CLEANUP,
	OPT_MTU,
	OPT_GRACE,
	OPT_RECONNECT,
	OPT_MONITORS,
	OPT_HEARTBEAT,
	OPT_ENTRIES,
	OPT_SYNC,
	OPT_SUSPECT_FAR,
	OPT_RETRANSMIT,
	OPT_MAX_MEMBERS,
	OPT_KEY_FILE,
	OPT_REPLAY,
	OPT_HELP
};

static const struct option longopts[] = {
    {"bind", required_argument, NULL, OPT_BIND},
    {"join", required_argument, NULL, OPT_JOIN},
    {"log", required_argument, NULL, OPT_LOG},
    {"trace", no_argument, NULL, OPT_TRACE},
    {"replay-window", no_argument, NULL, OPT_REPLAY},
    {"control", required_argument, NULL, OPT_CONTROL},
    {"state-dir", required_argument, NULL, OPT_STATE_DIR},
    {"drop-rate", required_argument, NULL, OPT_DROP},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"gossip-ms", required_argument, NULL, OPT_GOSSIP},
    {"fanout", required_argument, NULL, OPT_FANOUT},
    {"suspect-ms", required_argument, NULL, OPT_SUSPECT},
    {"fail-ms", required_argument, NULL, OPT_FAIL},
    {"cleanup-ms", required_argument, NULL, OPT_CLEANUP},
    {"mtu", required_argument, NULL, OPT_MTU},
    {"leave-grace-ms", required_argument, NULL, OPT_GRACE},
    {"reconnect-ms", required_argument, NULL, OPT_RECONNECT},
    {"monitors", required_argument, NULL, OPT_MONITORS},
    {"heartbeat-ms", required_argument, NULL, OPT_HEARTBEAT},
    {"gossip-entries", required_argument, NULL, OPT_ENTRIES},
    {"sync-ms", required_argument, NULL, OPT_SYNC},
    {"suspect-far-ms", required_argument, NULL, OPT_SUSPECT_FAR},
    {"retransmit-mult", required_argument, NULL, OPT_RETRANSMIT},
    {"max-members", required_argument, NULL, OPT_MAX_MEMBERS},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* The flag that sets a config field, and its range (config.c). */
static void
bad_field(const char *field)
{
	static const char *const map[][3] = {
	    {"t_gossip_ms", "--gossip-ms", "10..60000"},
	    {"fanout", "--fanout", "1..16"},
	    {"t_suspect_ms", "--suspect-ms", "--heartbeat-ms..3600000"},
	    {"t_fail_ms", "--fail-ms", "0..3600000"},
	    {"t_cleanup_ms", "--cleanup-ms", "0..86400000"},
	    {"mtu_bytes", "--mtu", "256..65000"},
	    {"leave_grace_ms", "--leave-grace-ms", "0..60000"},
	    {"reconnect_ms", "--reconnect-ms", "0..3600000"},
	    {"monitors", "--monitors", "0..8"},
	    {"t_heartbeat_ms", "--heartbeat-ms", "10..60000"},
	    {"gossip_entries", "--gossip-entries", "0 or 2.."},
	    {"t_sync_ms", "--sync-ms", "0 or 1000..3600000"},
	    {"t_suspect_far_ms", "--suspect-far-ms",
	     "0 or --suspect-ms..3600000"},
	    {"retransmit_mult", "--retransmit-mult", "1..16"},
	    {"max_members", "--max-members", "2..1000000"},
	    {"recv_drop_rate", "--drop-rate", "0..1"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], field) == 0) {
			fprintf(stderr, "rumor agent: %s: out of range (%s)\n",
			        map[i][1], map[i][2]);
			return;
		}
	fprintf(stderr, "rumor agent: setting %s out of range\n", field);
}

static int
parse_u32(const char *flag, const char *text, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v > UINT32_MAX) {
		fprintf(stderr,
		        "rumor agent: %s: '%s' is not a whole number "
		        "0..4294967295\n",
		        flag, text);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
parse_addr(const char *flag, const char *text, struct rumor_addr *out,
           int port0_ok)
{
	if (rumor_addr_parse(text, out) == 0 && (port0_ok || out->port != 0))
		return 0;
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
};

static uint32_t *
timing_field(struct rumor_config *cfg, int c)
{
	switch (c) {
	case OPT_GOSSIP:
		return &cfg->t_gossip_ms;
	case OPT_FANOUT:
		return &cfg->fanout;
	case OPT_SUSPECT:
		return &cfg->t_suspect_ms;
	case OPT_FAIL:
		return &cfg->t_fail_ms;
	case OPT_CLEANUP:
		return &cfg->t_cleanup_ms;
	case OPT_MTU:
		return &cfg->mtu_bytes;
	case OPT_GRACE:
		return &cfg->leave_grace_ms;
	case OPT_RECONNECT:
		return &cfg->reconnect_ms;
	case OPT_MONITORS:
		return &cfg->monitors;
	case OPT_HEARTBEAT:
		return &cfg->t_heartbeat_ms;
	case OPT_ENTRIES:
		return &cfg->gossip_entries;
	case OPT_SYNC:
		return &cfg->t_sync_ms;
	case OPT_SUSPECT_FAR:
		return &cfg->t_suspect_far_ms;
	case OPT_RETRANSMIT:
		return &cfg->retransmit_mult;
	case OPT_MAX_MEMBERS:
		return &cfg->max_members;
	default:
		return NULL;
	}
}

/* One option; 0, -1 (error, printed) or 1 (--help shown). */
static int
take(struct agent_args *a, int c, const char *flag)
{
	struct rumor_node_options *o = &a->opt;
	uint32_t *field = timing_field(&o->cfg, c);

	if (field != NULL)
		return parse_u32(flag, optarg, field);
	switch (c) {
	case OPT_BIND:
		a->have_bind = 1;
		return parse_addr("--bind", optarg, &o->bind, 1);
	case OPT_JOIN:
		if (o->n_seeds == MAX_SEEDS) {
			fprintf(stderr, "rumor agent: --join: at most %d\n",
			        MAX_SEEDS);
			return -1;
		}
		return parse_addr("--join", optarg, &a->seeds[o->n_seeds++], 0);
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

int
cmd_agent(int argc, char **argv)
{
	static struct agent_args a;
	const char *bad = NULL;
	char flag[40];
	int c, rc;

	memset(&a, 0, sizeof(a));
	rumor_config_init(&a.opt.cfg);
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
		if ((rc = take(&a, c == 'h' ? OPT_HELP : c, flag)) != 0)
			return rc > 0 ? 0 : 2;
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
		bad_field(bad ? bad : "?");
		return 2;
	}
	return rumor_node_run(&a.opt);
}
