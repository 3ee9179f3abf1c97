/*
 * rumor_node_run: one agent process from bind to exit.
 *
 *   bind UDP+TCP -> pick the version -> open the log -> core -> control
 *   socket -> signals -> `start` -> bootstrap or join -> loop ... left ->
 *   close every handle -> `stop` -> uv_loop_close() == 0
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node_internal.h"

/* Handles still open this long after stop are closed by force. */
#define STOP_FORCE_MS 2000

static void
log_line(struct node *n, enum rumor_log_ev ev)
{
	struct rumor_log_record rec = {0};

	if (n->log == NULL)
		return;
	rec.ts = rumor_log_wall_ms();
	rec.ev = ev;
	rumor_member_id_format(&n->self, rec.node, sizeof(rec.node));
	if (rumor_log_write_record(n->log, &rec) != 0 && !n->log_failed) {
		n->log_failed = true;
		rumor__node_log(n, RUMOR_NODE_LOG_ERROR, "log %s: %s: %s",
		                n->log_path, rumor_log_ev_name(ev),
		                strerror(errno));
	}
}

static void
close_handle(uv_handle_t *h, bool *has)
{
	if (*has && !uv_is_closing(h))
		uv_close(h, NULL);
	*has = false;
}

void
rumor__node_stop(struct node *n, int exit_code)
{
	if (n->stopping)
		return;
	n->stopping = true;
	n->exit_code = exit_code;
	if (n->started)
		rumor__node_print_summary(n);
	close_handle((uv_handle_t *)&n->timer, &n->has_timer);
	close_handle((uv_handle_t *)&n->udp, &n->has_udp);
	close_handle((uv_handle_t *)&n->tcp, &n->has_tcp);
	if (n->has_control)
		unlink(n->control_path);
	close_handle((uv_handle_t *)&n->control, &n->has_control);
	if (n->has_signals) {
		uv_close((uv_handle_t *)&n->sig_term, NULL);
		uv_close((uv_handle_t *)&n->sig_int, NULL);
		uv_close((uv_handle_t *)&n->sig_hup, NULL);
		n->has_signals = false;
	}
	rumor__stream_in_close_all(n);
	rumor__stream_out_close_all(n);
	rumor__control_close_all(n);
	rumor__handlers_stop(n);
	rumor__metrics_stop(n);
	rumor__resolve_stop(n);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	rumor__node_request_leave(s->data,
	                          signum == SIGINT ? "SIGINT" : "SIGTERM");
}

/* SIGHUP (logrotate): reopen the log at its path; the old file, renamed
 * or deleted, gets no more lines. On failure the old one is kept. */
static void
on_hup(uv_signal_t *s, int signum)
{
	struct node *n = s->data;
	struct rumor_log_writer *w;

	(void)signum;
	if (n->log == NULL || strcmp(n->log_path, "-") == 0) {
		rumor__node_say(n, "SIGHUP: no log file to reopen");
		return;
	}
	if (rumor_log_writer_open(&w, n->log_path, 0) != 0) {
		rumor__node_log(n, RUMOR_NODE_LOG_ERROR,
		                "SIGHUP: reopen log %s: %s (still writing the "
		                "old file)",
		                n->log_path, strerror(errno));
		return;
	}
	if (rumor_log_writer_close(n->log) != 0)
		rumor__node_log(n, RUMOR_NODE_LOG_WARN,
		                "SIGHUP: closing the old log: %s",
		                strerror(errno));
	n->log = w;
	n->log_failed = false;
	rumor__node_say(n, "SIGHUP: log %s reopened", n->log_path);
}

static void
close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void
on_force(uv_timer_t *t)
{
	rumor__node_say(NULL,
	                "stop: closing connections that did not "
	                "finish in %d ms",
	                STOP_FORCE_MS);
	uv_walk(t->loop, close_any, NULL);
}

/* Run until every handle has closed; a stuck one is closed by force. */
static int
drain(struct node *n)
{
	uv_timer_t force;
	int rc;

	uv_run(&n->loop, UV_RUN_DEFAULT);
	uv_timer_init(&n->loop, &force);
	uv_timer_start(&force, on_force, STOP_FORCE_MS, 0);
	uv_unref((uv_handle_t *)&force);
	uv_run(&n->loop, UV_RUN_DEFAULT);
	if (!uv_is_closing((uv_handle_t *)&force))
		uv_close((uv_handle_t *)&force, NULL);
	uv_run(&n->loop, UV_RUN_DEFAULT);
	rc = uv_loop_close(&n->loop);
	if (rc != 0)
		fprintf(stderr,
		        "rumor agent: uv_loop_close: %s (a handle "
		        "was left open)\n",
		        uv_strerror(rc));
	return rc;
}

static uint64_t
random_seed(uint64_t version)
{
	uint64_t seed = 0;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)getpid() << 32;
	return seed ^ version;
}

/* The runtime directory, the control path and the state dir. */
static int
setup_paths(struct node *n, const struct rumor_node_options *opt, char *err,
            size_t cap)
{
	char run_dir[RUMOR_NODE_PATH_MAX];
	int have_dir =
	    rumor_node_run_dir(run_dir, sizeof(run_dir), err, cap) == 0;

	if (!have_dir && (opt->control_path == NULL || opt->state_dir == NULL))
		return RUMOR_EINVAL;
	if (opt->control_path != NULL) {
		if (strlen(opt->control_path) >= sizeof(n->control_path)) {
			snprintf(err, cap, "--control %s: longer than %d bytes",
			         opt->control_path, RUMOR_NODE_PATH_MAX - 1);
			return RUMOR_EINVAL;
		}
		strcpy(n->control_path, opt->control_path);
	} else if (rumor_node_control_path(&n->bind, n->control_path,
	                                   sizeof(n->control_path)) != 0) {
		snprintf(err, cap, "control socket path in %s too long",
		         run_dir);
		return RUMOR_EINVAL;
	}
	snprintf(n->state_dir, sizeof(n->state_dir), "%s",
	         opt->state_dir ? opt->state_dir : run_dir);
	return 0;
}

static void
pick_version(struct node *n)
{
	uint64_t wall = (uint64_t)rumor_log_wall_ms();

	n->self.addr = n->bind;
	if (n->advertise.family != 0) {
		n->self.addr = n->advertise;
		if (n->self.addr.port == 0)
			n->self.addr.port = n->bind.port;
	}
	if (rumor_node_version_next(n->state_dir, &n->self.addr, wall,
	                            &n->self.version) != 0)
		rumor__node_say(NULL,
		                "version state in %s: %s (the file is "
		                "rewritten; version from the clock)",
		                n->state_dir, strerror(errno));
}

/* The keyring, and the core's MTU shrunk by the seal's overhead. */
static int
setup_keys(struct node *n, const char *key_file, char *err, size_t cap)
{
	struct stat st;

	if (key_file == NULL)
		return 0;
	if ((n->keys = rumor__keyring_new()) == NULL) {
		snprintf(err, cap, "libsodium: cannot initialise");
		return RUMOR_EINVAL;
	}
	if (rumor__keyring_load(n->keys, key_file, err, cap) != 0)
		return RUMOR_EINVAL;
	if (stat(key_file, &st) == 0 && (st.st_mode & 077) != 0)
		rumor__node_say(NULL,
		                "warning: --key-file %s can be read by other "
		                "users (mode %04o; chmod 600 it)",
		                key_file, (unsigned)(st.st_mode & 07777));
	if (n->cfg.mtu_bytes < 256 + SEAL_OVERHEAD) {
		snprintf(err, cap,
		         "--mtu %u: at least %u with --key-file (the seal "
		         "takes %u bytes of each datagram)",
		         n->cfg.mtu_bytes, 256 + SEAL_OVERHEAD, SEAL_OVERHEAD);
		return RUMOR_EINVAL;
	}
	n->cfg.mtu_bytes -= SEAL_OVERHEAD;
	/* authenticated: replayed datagrams can now be told apart */
	n->cfg.replay_window = 1;
	return 0;
}

static void
announce_keys(struct node *n)
{
	struct keyring_entry e;

	if (n->keys == NULL) {
		rumor__node_say(NULL,
		                "no --key-file: gossip and joins run in the "
		                "clear (anyone who can reach %s can read them, "
		                "join, or speak for any member)",
		                n->addr_text);
		return;
	}
	rumor__keyring_entry(n->keys, 0, &e);
	rumor__node_say(NULL,
	                "encrypted: %zu key(s), primary %s "
	                "(XChaCha20-Poly1305; %u bytes of seal per datagram, "
	                "gossip MTU %u)",
	                rumor__keyring_count(n->keys), e.id, SEAL_OVERHEAD,
	                n->cfg.mtu_bytes);
}

static int
make_core(struct node *n, const struct rumor_node_options *opt, char *err,
          size_t cap)
{
	struct rumor_callbacks cb;
	int rc;

	rumor__node_callbacks(&cb);
	rc = rumor_core_new(&n->core, &n->cfg, &cb, n, &n->self,
	                    random_seed(n->self.version), uv_now(&n->loop));
	if (rc != 0) {
		snprintf(err, cap, "rumor_core_new: %s", rumor_strerror(rc));
		return rc;
	}
	if (opt->tags == NULL)
		return 0;
	rc = rumor_core_set_tags(n->core, opt->tags, opt->tags_len);
	if (rc == RUMOR_E2BIG)
		snprintf(err, cap,
		         "--tag: the tags are %zu bytes encoded, over %zu "
		         "(--tags-max %u, and what one datagram of --mtu %u "
		         "carries)",
		         opt->tags_len, rumor_core_tags_max(n->core),
		         n->cfg.tags_max_bytes, n->cfg.mtu_bytes);
	else if (rc != 0)
		snprintf(err, cap, "--tag: %s", rumor_strerror(rc));
	return rc;
}

static int
start_signals(struct node *n)
{
	uv_signal_init(&n->loop, &n->sig_term);
	uv_signal_init(&n->loop, &n->sig_int);
	uv_signal_init(&n->loop, &n->sig_hup);
	n->has_signals = true;
	n->sig_term.data = n->sig_int.data = n->sig_hup.data = n;
	if (uv_signal_start(&n->sig_term, on_signal, SIGTERM) != 0 ||
	    uv_signal_start(&n->sig_int, on_signal, SIGINT) != 0 ||
	    uv_signal_start(&n->sig_hup, on_hup, SIGHUP) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN); /* a closed client is an EPIPE, not a death */
	return 0;
}

/* Seeds other than our own address; none left means bootstrap. */
static int
begin(struct node *n, const struct rumor_node_options *opt)
{
	struct rumor_addr *seeds = NULL;
	char err[512];
	size_t k = 0;
	int rc;

	if ((rc = rumor__resolve_start(n, opt, &seeds, &k, err, sizeof(err))) !=
	    0) {
		free(seeds);
		rumor__node_log(n, RUMOR_NODE_LOG_ERROR, "%s", err);
		return rc;
	}
	if (k == 0) {
		rumor__node_say(n,
		                "no --join: starting a new group (this agent "
		                "is its introducer)");
		rc = rumor_core_bootstrap(n->core, uv_now(&n->loop));
	} else {
		rc = rumor_core_join(n->core, uv_now(&n->loop), seeds, k);
	}
	free(seeds);
	rumor__node_after_core(n, rc,
	                       k ? "rumor_core_join" : "rumor_core_bootstrap");
	return rc;
}

static void
announce(struct node *n)
{
	char id[RUMOR_ID_STRLEN];

	rumor_member_id_format(&n->self, id, sizeof(id));
	log_line(n, RUMOR_LOG_START);
	rumor__node_say(NULL, "start %s: udp+tcp %s, control %s%s%s", id,
	                n->addr_text, n->control_path,
	                n->log_path ? ", log " : "",
	                n->log_path ? n->log_path : "");
}

static int
setup(struct node *n, const struct rumor_node_options *opt, char *err,
      size_t cap)
{
	int rc;

	if (opt->advertise != NULL)
		n->advertise = *opt->advertise;
	if (opt->advertise != NULL &&
	    rumor__addr_is_unspecified(&n->advertise)) {
		snprintf(err, cap,
		         "--advertise: give the address others reach this "
		         "member at, not a wildcard");
		return RUMOR_EINVAL;
	}
	if (opt->advertise == NULL && rumor__addr_is_unspecified(&opt->bind)) {
		snprintf(err, cap,
		         "--bind %s: give the address others reach "
		         "this member at (it is part of its id), not a "
		         "wildcard, or add --advertise HOST:PORT",
		         n->addr_text);
		return RUMOR_EINVAL;
	}
	if ((rc = rumor__node_bind(n, err, cap)) != 0 ||
	    (rc = setup_paths(n, opt, err, cap)) != 0)
		return rc;
	if ((rc = setup_keys(n, opt->key_file, err, cap)) != 0)
		return rc;
	pick_version(n);
	if (opt->log_path &&
	    rumor_log_writer_open(&n->log, opt->log_path, 0) != 0) {
		snprintf(err, cap, "--log %s: %s", opt->log_path,
		         strerror(errno));
		return RUMOR_EINVAL;
	}
	if ((rc = rumor__handlers_new(n, opt, err, cap)) != 0 ||
	    (rc = make_core(n, opt, err, cap)) != 0 ||
	    (rc = rumor__metrics_start(n, opt, err, cap)) != 0 ||
	    (rc = rumor__control_listen(n, err, cap)) != 0)
		return rc;
	if (start_signals(n) != 0 || rumor__udp_start(n) != 0 ||
	    rumor__stream_listen(n) != 0) {
		snprintf(err, cap, "%s: cannot start listening", n->addr_text);
		return RUMOR_EINVAL;
	}
	announce(n);
	announce_keys(n);
	n->started = true;
	return 0;
}

int
rumor_node_run(const struct rumor_node_options *opt)
{
	struct node *n = calloc(1, sizeof(*n));
	char err[512] = "";
	int rc, code;

	if (n == NULL || uv_loop_init(&n->loop) != 0) {
		fprintf(stderr, "rumor agent: cannot start an event loop\n");
		free(n);
		return 1;
	}
	n->cfg = opt->cfg;
	n->bind = opt->bind;
	n->log_path = opt->log_path;
	n->quiet = opt->quiet;
	n->log_level = opt->log_level;
	n->start_loop_ms = uv_now(&n->loop);
	rumor_addr_format(&n->bind, n->addr_text, sizeof(n->addr_text));
	rc = setup(n, opt, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "rumor agent: %s\n", err);
		rumor__node_stop(n, 1);
	} else if (begin(n, opt) != 0 && !n->stopping) {
		rumor__node_stop(n, 1);
	}
	code = drain(n) != 0 ? 1 : n->exit_code;
	if (n->started)
		log_line(n, RUMOR_LOG_STOP);
	rumor_core_free(n->core);
	rumor__handlers_free(n);
	rumor__metrics_free(n);
	rumor__resolve_free(n);
	rumor__keyring_free(n->keys);
	if (rumor_log_writer_close(n->log) != 0 && code == 0)
		fprintf(stderr, "rumor agent: log %s: %s\n", n->log_path,
		        strerror(errno));
	free(n);
	return code;
}
