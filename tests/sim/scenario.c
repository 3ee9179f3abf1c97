/* SPDX-License-Identifier: MIT */
/* The scenario-test harness (scenario.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scenario.h"

const uint64_t scn_seeds[] = {1, 2, 3};
const size_t scn_n_seeds = sizeof(scn_seeds) / sizeof(scn_seeds[0]);

int
scn_id_eq(const struct rumor_member_id *a, const struct rumor_member_id *b)
{
	return rumor_member_id_cmp(a, b) == 0;
}

const char *
scn_fmt(const struct rumor_member_id *id)
{
	static char buf[2][RUMOR_ID_STRLEN];
	static int slot;

	slot ^= 1;
	rumor_member_id_format(id, buf[slot], sizeof(buf[slot]));
	return buf[slot];
}

static void
on_event(void *arg, uint32_t member, const struct rumor_event *ev)
{
	struct scn *s = arg;
	struct scn_event *e;

	if (s->n_ev == s->cap_ev) {
		s->cap_ev = s->cap_ev ? s->cap_ev * 2 : 4096;
		s->ev = realloc(s->ev, s->cap_ev * sizeof(*s->ev));
		assert_non_null(s->ev);
	}
	e = &s->ev[s->n_ev++];
	e->at_ms = rumor_sim_now(s->sim);
	e->observer = member;
	e->kind = ev->kind;
	e->via = ev->via;
	e->observer_id = ev->observer;
	e->member = ev->member;
	if (ev->kind == RUMOR_EV_FAIL) {
		s->n_fail_events++;
		if (s->has_watch && scn_id_eq(&ev->member, &s->watch) &&
		    !s->watch_failed[member]) {
			s->watch_failed[member] = 1;
			s->n_watch_failed++;
		}
	}
}

static void
on_send(void *arg, uint32_t from, const struct rumor_addr *to,
        const uint8_t *data, size_t len)
{
	struct scn *s = arg;
	struct scn_dgram *d;

	if (!s->capture || s->n_cap == s->max_cap || len > sizeof(d->data))
		return;
	d = &s->cap[s->n_cap++];
	d->from = from;
	d->to = to->port - RUMOR_SIM_BASE_PORT;
	d->len = (uint32_t)len;
	memcpy(d->data, data, len);
}

void
scn_open(struct scn *s, const char *fmt, ...)
{
	va_list ap;
	char *tok, *save = NULL;
	const char *extra = getenv("RUMOR_SIM_TEST_ARGS");
	struct rumor_sim_hooks hooks = {
	    .on_event = on_event, .on_send = on_send, .arg = s};

	memset(s, 0, sizeof(*s));
	va_start(ap, fmt);
	vsnprintf(s->args, sizeof(s->args), fmt, ap);
	va_end(ap);
	if (extra && *extra)
		snprintf(s->args + strlen(s->args),
		         sizeof(s->args) - strlen(s->args), " %s", extra);
	strcpy(s->argbuf, s->args);
	s->argv[s->argc++] = "sim";
	for (tok = strtok_r(s->argbuf, " ", &save); tok && s->argc < 63;
	     tok = strtok_r(NULL, " ", &save))
		s->argv[s->argc++] = tok;
	s->argv[s->argc] = NULL;
	if (rumor_sim_options_parse(&s->o, s->argc, s->argv, stdout, stderr))
		fail_msg("bad scenario: rumor sim %s", s->args);
	assert_int_equal(rumor_sim_new(&s->sim, &s->o.cfg), 0);
	assert_int_equal(rumor_sim_options_schedule(s->sim, &s->o), 0);
	rumor_sim_set_hooks(s->sim, &hooks);
	s->n = rumor_sim_size(s->sim);
	s->watch_failed = calloc(s->n, 1);
	assert_non_null(s->watch_failed);
}

void
scn_close(struct scn *s)
{
	rumor_sim_free(s->sim);
	rumor_sim_options_free(&s->o);
	free(s->ev);
	free(s->watch_failed);
	free(s->cap);
	memset(s, 0, sizeof(*s));
}

void
scn_fail(struct scn *s, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("seed %llu, at %llu ms virtual: %s\n"
	            "reproduce: rumor sim %s --log x.jsonl\n",
	            (unsigned long long)s->o.cfg.seed,
	            (unsigned long long)rumor_sim_now(s->sim), msg, s->args);
	fail();
}

void
scn_run_for(struct scn *s, uint64_t ms)
{
	int rc = rumor_sim_run_for(s->sim, ms);

	if (rc)
		scn_fail(s, "fatal core error %s", rumor_err_name(rc));
}

struct rumor_member_id
scn_id(struct scn *s, uint32_t i)
{
	struct rumor_member_id id;

	if (rumor_sim_member_id(s->sim, i, &id))
		scn_fail(s, "member %u never started", i);
	return id;
}

void
scn_watch(struct scn *s, const struct rumor_member_id *id)
{
	s->watch = *id;
	s->has_watch = 1;
	memset(s->watch_failed, 0, s->n);
	s->n_watch_failed = 0;
	for (size_t k = 0; k < s->n_ev; k++) {
		const struct scn_event *e = &s->ev[k];

		if (e->kind == RUMOR_EV_FAIL && scn_id_eq(&e->member, id) &&
		    !s->watch_failed[e->observer]) {
			s->watch_failed[e->observer] = 1;
			s->n_watch_failed++;
		}
	}
}

uint32_t
scn_running(struct scn *s, int except)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->n; i++)
		n += (int)i != except && rumor_sim_core(s->sim, i) != NULL;
	return n;
}

size_t
scn_count(const struct scn *s, enum rumor_event_kind kind,
          const struct rumor_member_id *id, int observer, uint64_t from_ms,
          uint64_t to_ms)
{
	size_t n = 0;

	for (size_t k = 0; k < s->n_ev; k++) {
		const struct scn_event *e = &s->ev[k];

		n += e->kind == kind && (!id || scn_id_eq(&e->member, id)) &&
		     (observer < 0 || e->observer == (uint32_t)observer) &&
		     e->at_ms >= from_ms && e->at_ms <= to_ms;
	}
	return n;
}

struct lists_arg {
	const struct rumor_member_id *id;
	int found;
	enum rumor_member_status status;
};

static void
lists_visit(void *arg, const struct rumor_member_view *m)
{
	struct lists_arg *a = arg;

	if (scn_id_eq(&m->id, a->id)) {
		a->found = 1;
		a->status = m->status;
	}
}

int
scn_lists(struct scn *s, uint32_t i, const struct rumor_member_id *id,
          enum rumor_member_status *status)
{
	const struct rumor_core *core = rumor_sim_core(s->sim, i);
	struct lists_arg a = {.id = id};

	if (!core)
		return 0;
	rumor_core_visit_members(core, lists_visit, &a);
	if (a.found && status)
		*status = a.status;
	return a.found;
}
