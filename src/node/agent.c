/* SPDX-License-Identifier: MIT */
/*
 * The embeddable agent (rumor/agent.h): one member on the caller's loop.
 *
 *   start: bind UDP+TCP -> keys -> version -> log -> core -> `start` line
 *          -> listen -> bootstrap or join
 *   halt (left, or a fatal error): leave_cb, on_halt, close the sockets
 *   stop: close every handle; when the last close callback has run
 *         (rumor__node_maybe_done): `stop` line, free, stop_cb
 *
 * struct rumor_agent is struct node (node_internal.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node_internal.h"
#include "rumor/tags.h"

#define AGENT(n) ((struct rumor_agent *)(n))
#define NODE(a)  ((struct node *)(a))

static void
log_line(struct node *n, enum rumor_log_ev ev)
{
	struct rumor_log_record rec = {0};

	if (n->log == NULL)
		return;
	rec.ts = rumor_log_wall_ms();
	rec.ev = ev;
	rumor_member_id_format(&n->self, rec.node, sizeof(rec.node));
	if (rumor_log_write_record(n->log, &rec) == 0)
		return;
	n->log_lost++;
	if (!n->log_failed) {
		n->log_failed = true;
		rumor__node_log(n, RUMOR_AGENT_LOG_ERROR, "log %s: %s: %s",
		                n->log_path, rumor_log_ev_name(ev),
		                strerror(errno));
	}
}

static void
on_own_closed(uv_handle_t *h)
{
	struct node *n = h->data;

	n->closing_own--;
	rumor__node_maybe_done(n);
}

static void
close_own(struct node *n, uv_handle_t *h, bool *has)
{
	if (!*has)
		return;
	*has = false;
	h->data = n;
	n->closing_own++;
	uv_close(h, on_own_closed);
}

/* Monitors get a last `stop` line, so that `rumor monitor` can tell a
 * clean stop from an agent that died (the connection just closes). */
static void
tell_monitors_stop(struct node *n)
{
	char line[256], clock[32], id[RUMOR_ID_STRLEN] = "";
	int64_t ts = rumor_log_wall_ms();
	int len;

	if (n->ctls == NULL)
		return; /* no monitor (and maybe no id yet: a failed start) */
	rumor__print_clock(clock, sizeof(clock), ts);
	if (rumor_member_id_format(&n->self, id, sizeof(id)) < 0)
		snprintf(id, sizeof(id), "%s", n->addr_text);
	len = snprintf(line, sizeof(line), "%s stop     %s (exit %d)\n", clock,
	               id, n->exit_code);
	rumor__control_broadcast(n, CTL_MONITOR_TEXT, line, (size_t)len);
	len = snprintf(line, sizeof(line),
	               "{\"ts\":%" PRId64 ",\"node\":\"%s\",\"ev\":\"stop\"}\n",
	               ts, id);
	rumor__control_broadcast(n, CTL_MONITOR_JSON, line, (size_t)len);
}

void
rumor__node_stop(struct node *n, int exit_code)
{
	if (n->stopping)
		return;
	n->stopping = true;
	n->exit_code = exit_code;
	close_own(n, (uv_handle_t *)&n->timer, &n->has_timer);
	close_own(n, (uv_handle_t *)&n->udp, &n->has_udp);
	close_own(n, (uv_handle_t *)&n->tcp, &n->has_tcp);
	if (n->has_control)
		unlink(n->control_path);
	close_own(n, (uv_handle_t *)&n->control, &n->has_control);
	rumor__stream_in_close_all(n);
	rumor__stream_out_close_all(n);
	tell_monitors_stop(n);
	rumor__control_close_all(n);
	rumor__resolve_stop(n);
}

/* The halt's callbacks, from the loop (never inside the caller's call). */
static void
on_halted(uv_timer_t *t)
{
	struct node *n = t->data;
	rumor_agent_leave_cb leave_cb = n->leave_cb;
	int status = n->halt_status;

	n->leave_cb = NULL;
	if (leave_cb != NULL)
		leave_cb(AGENT(n), status, n->leave_arg);
	if (n->cb.on_halt != NULL && !n->stop_asked)
		n->cb.on_halt(AGENT(n), status, n->cb.user);
}

void
rumor__node_halt(struct node *n, int status)
{
	if (n->stopping)
		return;
	rumor__node_stop(n, status == 0 ? 0 : 1);
	n->halted = true;
	n->halt_status = status;
	n->anchor.data = n;
	uv_timer_start(&n->anchor, on_halted, 0, 0);
}

void
rumor__node_release(struct node *n)
{
	n->prog_holds--;
	rumor__node_maybe_done(n);
}

void
rumor__node_release_cb(uv_handle_t *h)
{
	rumor__node_release(h->data);
}

static void
node_free(struct node *n)
{
	if (n->prog != NULL && n->prog->release != NULL)
		n->prog->release(n);
	if (n->started)
		log_line(n, RUMOR_LOG_STOP);
	rumor_core_free(n->core);
	rumor__resolve_free(n);
	rumor__keyring_free(n->keys);
	if (rumor_log_writer_close(n->log) != 0) {
		rumor__node_log(n, RUMOR_AGENT_LOG_ERROR, "log %s: %s",
		                n->log_path, strerror(errno));
		n->log_lost++; /* at least the buffered line */
	}
	if (n->log_lost > 0) {
		rumor__node_log(n, RUMOR_AGENT_LOG_ERROR,
		                "log %s: %" PRIu64 " lines lost (not written)",
		                n->log_path, n->log_lost);
		if (n->prog && n->prog->log_lost)
			n->prog->log_lost(n, n->log_lost);
	}
	free(n->log_path_copy);
	free(n->state_dir_copy);
	free(n);
}

void
rumor__node_maybe_done(struct node *n)
{
	rumor_agent_stop_cb cb;
	void *arg;

	if (!n->stop_asked || n->closing_own > 0 || n->has_anchor ||
	    n->prog_holds > 0 || n->in_conns != NULL || n->outs != NULL ||
	    n->ctls != NULL || rumor__resolve_busy(n))
		return;
	cb = n->stop_cb;
	arg = n->stop_arg;
	node_free(n);
	if (cb != NULL)
		cb(arg);
}

static uint64_t
random_seed(uint64_t version)
{
	uint64_t seed = 0;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)getpid() << 32;
	return seed ^ version;
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
	n->self.version = wall > 0 ? wall : 1;
	if (n->state_dir[0] == '\0')
		return;
	if (rumor_node_version_next(n->state_dir, &n->self.addr, wall,
	                            &n->self.version) != 0)
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
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
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
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
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
		                "no --key-file: gossip and joins run in the "
		                "clear (anyone who can reach %s can read them, "
		                "join, or speak for any member)",
		                n->addr_text);
		return;
	}
	rumor__keyring_entry(n->keys, 0, &e);
	rumor__node_say(n,
	                "encrypted: %zu key(s), primary %s "
	                "(XChaCha20-Poly1305; %u bytes of seal per datagram, "
	                "gossip MTU %u)",
	                rumor__keyring_count(n->keys), e.id, SEAL_OVERHEAD,
	                n->cfg.mtu_bytes);
}

static int
make_core(struct node *n, const struct rumor_agent_options *o, char *err,
          size_t cap)
{
	struct rumor_callbacks cb;
	int rc;

	rumor__node_callbacks(&cb);
	rc = rumor_core_new(&n->core, &n->cfg, &cb, n, &n->self,
	                    random_seed(n->self.version), uv_now(n->loop));
	if (rc != 0) {
		snprintf(err, cap, "rumor_core_new: %s", rumor_strerror(rc));
		return rc;
	}
	if (o->tags_len == 0)
		return 0;
	rc = o->tags == NULL
	         ? RUMOR_EINVAL /* as rumor_agent_set_tags */
	         : rumor_core_set_tags(n->core, o->tags, o->tags_len);
	if (rc == RUMOR_E2BIG)
		snprintf(err, cap,
		         "--tag: the tags are %zu bytes encoded, over %zu "
		         "(--tags-max %u, and what one datagram of --mtu %u "
		         "carries)",
		         o->tags_len, rumor_core_tags_max(n->core),
		         n->cfg.tags_max_bytes, n->cfg.mtu_bytes);
	else if (rc != 0)
		snprintf(err, cap, "--tag: %s", rumor_strerror(rc));
	return rc;
}

static int
copy_paths(struct node *n, const struct rumor_agent_options *o, char *err,
           size_t cap)
{
	if (o->state_dir != NULL) {
		if (strlen(o->state_dir) >= sizeof(n->state_dir)) {
			snprintf(err, cap, "state dir %s: longer than %d bytes",
			         o->state_dir, RUMOR_NODE_PATH_MAX - 1);
			return RUMOR_EINVAL;
		}
		strcpy(n->state_dir, o->state_dir);
	}
	if (o->log_path != NULL &&
	    (n->log_path_copy = strdup(o->log_path)) == NULL)
		return RUMOR_ENOMEM;
	n->log_path = n->log_path_copy;
	return 0;
}

static int
setup(struct node *n, const struct rumor_agent_options *o, char *err,
      size_t cap)
{
	const char *bad = NULL;
	int rc;

	if (rumor_config_validate(&o->cfg, &bad) != 0) {
		snprintf(err, cap, "configuration: %s out of range",
		         bad ? bad : "a setting");
		return RUMOR_EINVAL;
	}
	if (o->advertise.family != 0 &&
	    rumor__addr_is_unspecified(&o->advertise)) {
		snprintf(err, cap,
		         "--advertise: give the address others reach this "
		         "member at, not a wildcard");
		return RUMOR_EINVAL;
	}
	if (o->advertise.family == 0 && rumor__addr_is_unspecified(&o->bind)) {
		snprintf(err, cap,
		         "--bind %s: give the address others reach "
		         "this member at (it is part of its id), not a "
		         "wildcard, or add --advertise HOST:PORT",
		         n->addr_text);
		return RUMOR_EINVAL;
	}
	if ((rc = copy_paths(n, o, err, cap)) != 0 ||
	    (rc = rumor__node_bind(n, err, cap)) != 0 ||
	    (rc = setup_keys(n, o->key_file, err, cap)) != 0)
		return rc;
	pick_version(n);
	if (o->log_path &&
	    rumor_log_writer_open(&n->log, o->log_path, 0) != 0) {
		snprintf(err, cap, "--log %s: %s", o->log_path,
		         strerror(errno));
		return RUMOR_EINVAL;
	}
	if ((rc = make_core(n, o, err, cap)) != 0)
		return rc;
	if (rumor__udp_start(n) != 0 || rumor__stream_listen(n) != 0) {
		snprintf(err, cap, "%s: cannot start listening", n->addr_text);
		return RUMOR_EINVAL;
	}
	log_line(n, RUMOR_LOG_START);
	n->started = true;
	announce_keys(n);
	return 0;
}

int
rumor__node_start(uv_loop_t *loop, const struct rumor_agent_options *o,
                  const struct rumor_agent_callbacks *cb,
                  const struct node_program *prog, void *prog_arg,
                  struct node **out, char *err, size_t cap)
{
	struct node *n = calloc(1, sizeof(*n));
	int rc;

	*out = NULL;
	if (n == NULL) {
		snprintf(err, cap, "out of memory");
		return RUMOR_ENOMEM;
	}
	n->loop = loop;
	if (cb != NULL)
		n->cb = *cb;
	n->prog = prog;
	n->prog_arg = prog_arg;
	n->cfg = o->cfg;
	n->bind = o->bind;
	n->advertise = o->advertise;
	n->start_loop_ms = uv_now(loop);
	n->max_in =
	    o->max_stream_conns ? o->max_stream_conns : NODE_MAX_IN_CONNS;
	rumor_addr_format(&n->bind, n->addr_text, sizeof(n->addr_text));
	uv_timer_init(loop, &n->anchor);
	n->has_anchor = true;
	rc = setup(n, o, err, cap);
	if (rc != 0) {
		rumor_agent_stop(AGENT(n), NULL, NULL);
		return rc;
	}
	*out = n;
	return 0;
}

/* Seeds other than our own address; none left means bootstrap. asked:
 * how many --join the user gave (names included), for the message. */
int
rumor__node_begin(struct node *n, const struct rumor_addr *seeds_in,
                  size_t n_seeds, size_t asked)
{
	struct rumor_addr *seeds = calloc(n_seeds + 1, sizeof(*seeds));
	size_t k = 0;
	int rc;

	if (seeds == NULL)
		return RUMOR_ENOMEM;
	for (size_t i = 0; i < n_seeds; i++)
		if (!rumor_addr_equal(&seeds_in[i], &n->bind))
			seeds[k++] = seeds_in[i];
	if (k == 0) {
		rumor__node_say(n,
		                asked ? "--join names only this agent's own "
		                        "address: starting a new group (this "
		                        "agent is its introducer)"
		                      : "no --join: starting a new group (this "
		                        "agent is its introducer)");
		rc = rumor_core_bootstrap(n->core, uv_now(n->loop));
	} else {
		rc = rumor_core_join(n->core, uv_now(n->loop), seeds, k);
	}
	free(seeds);
	rumor__node_after_core(n, rc,
	                       k ? "rumor_core_join" : "rumor_core_bootstrap");
	return rc;
}

/* ---- the public API ---- */

void
rumor_agent_options_init(struct rumor_agent_options *o)
{
	memset(o, 0, sizeof(*o));
	rumor_addr_parse("127.0.0.1:0", &o->bind);
	rumor_config_init(&o->cfg);
}

int
rumor_agent_start(uv_loop_t *loop, const struct rumor_agent_options *o,
                  const struct rumor_agent_callbacks *cb,
                  struct rumor_agent **out, char *err, size_t err_cap)
{
	char scratch[8];
	struct node *n;
	int rc;

	if (err == NULL || err_cap == 0) {
		err = scratch;
		err_cap = sizeof(scratch);
	}
	err[0] = '\0';
	if (out == NULL) {
		snprintf(err, err_cap, "rumor_agent_start: NULL out");
		return RUMOR_EINVAL;
	}
	*out = NULL;
	if (loop == NULL || o == NULL || (o->n_seeds > 0 && o->seeds == NULL)) {
		snprintf(err, err_cap, "rumor_agent_start: NULL argument");
		return RUMOR_EINVAL;
	}
	rc = rumor__node_start(loop, o, cb, NULL, NULL, &n, err, err_cap);
	if (rc != 0)
		return rc;
	rc = rumor__node_begin(n, o->seeds, o->n_seeds, o->n_seeds);
	if (n->stop_asked) { /* on_member (its own join) stopped it */
		snprintf(err, err_cap, "stopped by a callback during start");
		return RUMOR_ESTATE;
	}
	if (rumor_is_fatal(rc)) {
		snprintf(err, err_cap, "%s", rumor_strerror(rc));
		rumor_agent_stop(AGENT(n), NULL, NULL);
		return rc;
	}
	*out = AGENT(n);
	return 0;
}

int
rumor_agent_leave(struct rumor_agent *a, rumor_agent_leave_cb cb, void *arg)
{
	struct node *n = NODE(a);
	int rc;

	if (n->stopping || n->leaving)
		return RUMOR_ESTATE;
	n->leave_cb = cb;
	n->leave_arg = arg;
	rc = rumor__node_request_leave(n);
	if (rc != 0)
		n->leave_cb = NULL;
	return rc;
}

void
rumor_agent_stop(struct rumor_agent *a, rumor_agent_stop_cb cb, void *arg)
{
	struct node *n = NODE(a);
	rumor_agent_leave_cb leave_cb = n->leave_cb;

	n->stop_asked = true;
	n->stop_cb = cb;
	n->stop_arg = arg;
	n->leave_cb = NULL;
	if (leave_cb != NULL)
		leave_cb(a, RUMOR_ESTATE, n->leave_arg);
	rumor__node_stop(n, n->exit_code);
	close_own(n, (uv_handle_t *)&n->anchor, &n->has_anchor);
}

static void rumor__agent_member_fill(struct rumor_agent_member *out,
                                     const struct rumor_member_id *id,
                                     enum rumor_member_status status,
                                     uint64_t heartbeat, int is_self,
                                     const uint8_t *tags, size_t tags_len);

/* What a core event makes the member's status (a removed entry was a
 * tombstone: failed or left; reported as failed). */
static const struct {
	int ev;
	enum rumor_member_status status;
	int self;
} ev_map[RUMOR_EV_MAX] = {
    [RUMOR_EV_JOINED] = {RUMOR_AGENT_EV_JOIN, RUMOR_STATUS_ALIVE, 1},
    [RUMOR_EV_JOIN] = {RUMOR_AGENT_EV_JOIN, RUMOR_STATUS_ALIVE, 0},
    [RUMOR_EV_SUSPECT] = {RUMOR_AGENT_EV_SUSPECT, RUMOR_STATUS_SUSPECT, 0},
    [RUMOR_EV_ALIVE] = {RUMOR_AGENT_EV_ALIVE, RUMOR_STATUS_ALIVE, 0},
    [RUMOR_EV_FAIL] = {RUMOR_AGENT_EV_FAIL, RUMOR_STATUS_FAILED, 0},
    [RUMOR_EV_LEAVE] = {RUMOR_AGENT_EV_LEAVE, RUMOR_STATUS_LEFT, 0},
    [RUMOR_EV_REMOVE] = {RUMOR_AGENT_EV_REMOVE, RUMOR_STATUS_FAILED, 0},
    [RUMOR_EV_LEFT] = {RUMOR_AGENT_EV_LEAVE, RUMOR_STATUS_LEFT, 1},
    [RUMOR_EV_UPDATE] = {RUMOR_AGENT_EV_UPDATE, RUMOR_STATUS_ALIVE, 0},
};

static void
log_failed(struct node *n, const char *what)
{
	n->log_lost++;
	if (n->log_failed)
		return;
	n->log_failed = true;
	rumor__node_log(n, RUMOR_AGENT_LOG_ERROR,
	                "log %s: %s: %s (further errors not shown)",
	                n->log_path, what, strerror(errno));
}

void
rumor__node_event(struct node *n, const struct rumor_event *ev)
{
	int64_t ts = rumor_log_wall_ms();
	struct rumor_agent_member m;

	n->self = ev->observer; /* follows a rejoin's new version */
	if (n->log && rumor_log_write_event(n->log, ts, ev) != 0)
		log_failed(n, rumor_event_name(ev->kind));
	if (n->cb.on_member != NULL && (unsigned)ev->kind < RUMOR_EV_MAX) {
		rumor__agent_member_fill(
		    &m, &ev->member, ev_map[ev->kind].status, ev->heartbeat,
		    ev_map[ev->kind].self ||
		        rumor_member_id_cmp(&ev->member, &ev->observer) == 0,
		    ev->tags, ev->tags_len);
		n->cb.on_member(AGENT(n),
		                (enum rumor_agent_event)ev_map[ev->kind].ev, &m,
		                n->cb.user);
	}
	if (n->prog != NULL && !n->stopping)
		n->prog->event(n, ts, ev);
}

struct member_copy {
	struct rumor_agent_member *list;
	size_t n;
	uint8_t *tags; /* after the list, in the same allocation */
	size_t tags_used;
};

static void
rumor__agent_member_fill(struct rumor_agent_member *out,
                         const struct rumor_member_id *id,
                         enum rumor_member_status status, uint64_t heartbeat,
                         int is_self, const uint8_t *tags, size_t tags_len)
{
	memset(out, 0, sizeof(*out));
	out->id = *id;
	rumor_member_id_format(id, out->id_text, sizeof(out->id_text));
	rumor_addr_format(&id->addr, out->addr_text, sizeof(out->addr_text));
	out->status = status;
	out->heartbeat = heartbeat;
	out->is_self = is_self;
	if (tags_len > 0) {
		out->tags = tags;
		out->tags_len = tags_len;
	}
}

static void
visit_copy(void *arg, const struct rumor_member_view *m)
{
	struct member_copy *c = arg;

	rumor__agent_member_fill(&c->list[c->n], &m->id, m->status,
	                         m->heartbeat, m->is_self, NULL, 0);
	if (m->tags_len > 0) { /* into the list's own tail (agent.h) */
		memcpy(c->tags + c->tags_used, m->tags, m->tags_len);
		c->list[c->n].tags = c->tags + c->tags_used;
		c->list[c->n].tags_len = m->tags_len;
		c->tags_used += m->tags_len;
	}
	c->n++;
}

static void
visit_tags_size(void *arg, const struct rumor_member_view *m)
{
	*(size_t *)arg += m->tags_len;
}

int
rumor_agent_members(const struct rumor_agent *a,
                    struct rumor_agent_member **out, size_t *n_out)
{
	const struct node *n = (const struct node *)a;
	size_t count = rumor_core_member_count(n->core), tags_size = 0;
	struct member_copy c = {0};

	*out = NULL;
	*n_out = 0;
	rumor_core_visit_members(n->core, visit_tags_size, &tags_size);
	c.list = calloc(1, (count + 1) * sizeof(*c.list) + tags_size);
	if (c.list == NULL)
		return RUMOR_ENOMEM;
	c.tags = (uint8_t *)(c.list + count + 1);
	rumor_core_visit_members(n->core, visit_copy, &c);
	*out = c.list;
	*n_out = c.n;
	return 0;
}

void
rumor_agent_members_free(struct rumor_agent_member *list)
{
	free(list);
}

struct rumor_member_id
rumor_agent_self(const struct rumor_agent *a)
{
	const struct node *n = (const struct node *)a;

	return *rumor_core_self(n->core);
}

void
rumor_agent_stats(const struct rumor_agent *a, struct rumor_stats *out)
{
	rumor_core_stats(((const struct node *)a)->core, out);
}

int
rumor_agent_set_tags(struct rumor_agent *a, const uint8_t *tags, size_t len)
{
	struct node *n = NODE(a);
	int rc;

	if (len > 0 && tags == NULL)
		return RUMOR_EINVAL;
	if (n->stopping || n->core == NULL)
		return RUMOR_ESTATE;
	if (len > 0 && rumor_tags_validate(tags, len) != 0)
		return RUMOR_EINVAL;
	rc = rumor_core_set_tags(n->core, tags, len);
	if (rc == 0)
		rumor__node_after_core(n, rc, "rumor_core_set_tags");
	return rc;
}

const char *
rumor_agent_event_name(enum rumor_agent_event ev)
{
	static const char *const names[RUMOR_AGENT_EV_MAX] = {
	    "join", "update", "suspect", "alive", "fail", "leave", "remove"};

	return (unsigned)ev < RUMOR_AGENT_EV_MAX ? names[ev] : "?";
}
