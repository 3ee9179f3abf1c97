/* SPDX-License-Identifier: MIT */
/*
 * The sick-member faults' pure parts: names, sets, and the arguments of
 * `rumor sim` (rumor_sim_parse_fault):
 * SET[>SET | /SET][:MS[~J]]@T+D[/P*C]. The text is cut at '@' first, so
 * a cut's '/' (before it) and a pause's '/' (after it) never meet.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rumor/sim.h"

static const char *const fault_names[RUMOR_SIM_FAULT_MAX] = {
    [RUMOR_SIM_DEAF] = "deaf",     [RUMOR_SIM_MUTE] = "mute",
    [RUMOR_SIM_ONEWAY] = "oneway", [RUMOR_SIM_CUT] = "cut",
    [RUMOR_SIM_SLOW] = "slow",     [RUMOR_SIM_DELAY] = "delay",
    [RUMOR_SIM_PAUSE] = "pause",
};

const char *
rumor_sim_fault_name(enum rumor_sim_fault_kind kind)
{
	return (unsigned)kind < RUMOR_SIM_FAULT_MAX ? fault_names[kind] : "?";
}

uint64_t
rumor_sim_fault_end(const struct rumor_sim_fault *f)
{
	uint32_t bursts =
	    f->kind == RUMOR_SIM_PAUSE && f->count > 1 ? f->count : 1;

	return f->at_ms + (uint64_t)(bursts - 1) * f->period_ms + f->for_ms;
}

void
rumor_sim_fault_clear(struct rumor_sim_fault *f)
{
	free(f->a.members);
	free(f->b.members);
	f->a.members = f->b.members = NULL;
	f->a.n = f->b.n = 0;
}

int
rumor_sim_set_resolve(const struct rumor_sim_set *s,
                      const struct rumor_sim_set *a, uint32_t n, uint8_t *out)
{
	size_t picked = 0;

	memset(out, 0, n);
	if (s->rest) {
		if (!a || a->rest || rumor_sim_set_resolve(a, NULL, n, out))
			return RUMOR_EINVAL;
		for (uint32_t i = 0; i < n; i++)
			picked += out[i] = !out[i];
	} else if (s->share > 0) {
		double want = nearbyint(s->share * n);
		uint32_t m = want < 1 ? 1 : (uint32_t)want;
		if (s->share > 1 || m > n)
			return RUMOR_EINVAL;
		for (uint32_t k = 0; k < m; k++)
			out[(uint64_t)(2 * k + 1) * n / (2 * (uint64_t)m)] = 1;
		picked = m;
	} else {
		for (size_t k = 0; k < s->n; k++) {
			if (s->members[k] >= n)
				return RUMOR_EINVAL;
			out[s->members[k]] = 1;
		}
		picked = s->n;
	}
	return picked ? 0 : RUMOR_EINVAL;
}


/* A copy of text[0..len), or NULL. */
static char *
cut_copy(const char *text, size_t len)
{
	char *s = malloc(len + 1);

	if (s) {
		memcpy(s, text, len);
		s[len] = '\0';
	}
	return s;
}

/* "I" or "I-J" (nul-terminated) appended to s. */
static int
add_range(struct rumor_sim_set *s, char *item)
{
	char *dash = strchr(item, '-');
	uint64_t a, b;
	uint32_t *p;

	if (dash)
		*dash = '\0';
	if (rumor_sim_parse_uint(item, RUMOR_SIM_MAX_MEMBERS - 1, &a))
		return RUMOR_EINVAL;
	b = a;
	if (dash &&
	    rumor_sim_parse_uint(dash + 1, RUMOR_SIM_MAX_MEMBERS - 1, &b))
		return RUMOR_EINVAL;
	if (b < a || s->n + (b - a + 1) > RUMOR_SIM_MAX_MEMBERS)
		return RUMOR_EINVAL;
	p = realloc(s->members, (s->n + (b - a + 1)) * sizeof(*p));
	if (!p)
		return RUMOR_EINVAL;
	s->members = p;
	for (uint64_t i = a; i <= b; i++)
		s->members[s->n++] = (uint32_t)i;
	return 0;
}

/* One SET in text[0..len): "*" (if allowed), "P%", or I[-J][,...]. */
static int
parse_set(const char *text, size_t len, int rest_ok, struct rumor_sim_set *s)
{
	char *copy = cut_copy(text, len), *item, *save = NULL;
	int rc = 0;

	if (!copy || !len) {
		free(copy);
		return RUMOR_EINVAL;
	}
	if (strcmp(copy, "*") == 0) {
		s->rest = 1;
		rc = rest_ok ? 0 : RUMOR_EINVAL;
	} else if (copy[len - 1] == '%') {
		rc = rumor_sim_parse_prob(copy, &s->share) || !(s->share > 0)
		         ? RUMOR_EINVAL
		         : 0;
	} else {
		if (copy[0] == ',' || copy[len - 1] == ',' ||
		    strstr(copy, ",,"))
			rc = RUMOR_EINVAL;
		for (item = strtok_r(copy, ",", &save); item && !rc;
		     item = strtok_r(NULL, ",", &save))
			rc = add_range(s, item);
		if (!s->n)
			rc = RUMOR_EINVAL;
	}
	free(copy);
	return rc;
}

/* ":MS" or ":MS~J" into f->ms, f->jitter_ms (J only for delay). */
static int
parse_param(const char *text, size_t len, struct rumor_sim_fault *f)
{
	char *copy = cut_copy(text, len), *tilde;
	uint64_t ms = 0, j = 0;
	int rc = RUMOR_EINVAL;

	if (!copy)
		return RUMOR_EINVAL;
	tilde = strchr(copy, '~');
	if (tilde)
		*tilde = '\0';
	if (!rumor_sim_parse_ms(copy, &ms) && ms <= 600000 &&
	    (!tilde || (f->kind == RUMOR_SIM_DELAY &&
	                !rumor_sim_parse_ms(tilde + 1, &j) && j <= 600000)) &&
	    (ms > 0 || j > 0)) {
		f->ms = (uint32_t)ms;
		f->jitter_ms = (uint32_t)j;
		rc = 0;
	}
	free(copy);
	return rc;
}

/* "T+D" or, for pause, "T+D/P*C" (nul-terminated). */
static int
parse_when(char *text, struct rumor_sim_fault *f)
{
	char *plus = strchr(text, '+'), *slash, *star;
	uint64_t c;

	if (!plus)
		return RUMOR_EINVAL;
	*plus = '\0';
	slash = strchr(plus + 1, '/');
	f->count = 1;
	if (slash) {
		if (f->kind != RUMOR_SIM_PAUSE || !(star = strchr(slash, '*')))
			return RUMOR_EINVAL;
		*slash = *star = '\0';
		if (rumor_sim_parse_time(slash + 1, &f->period_ms) ||
		    rumor_sim_parse_uint(star + 1, 1000000, &c) || c < 1)
			return RUMOR_EINVAL;
		f->count = (uint32_t)c;
	}
	if (rumor_sim_parse_time(text, &f->at_ms) ||
	    rumor_sim_parse_time(plus + 1, &f->for_ms) || f->for_ms == 0)
		return RUMOR_EINVAL;
	if (f->count > 1 && f->period_ms <= f->for_ms)
		return RUMOR_EINVAL;
	return 0;
}

static const char *
expected(enum rumor_sim_fault_kind kind)
{
	switch (kind) {
	case RUMOR_SIM_ONEWAY:
		return "expected SET>SET@T+D, e.g. 3>5@10s+5s or 0-9>*@10s+5s";
	case RUMOR_SIM_CUT:
		return "expected SET/SET@T+D, e.g. 3/5@10s+5s";
	case RUMOR_SIM_SLOW:
		return "expected SET:MS@T+D, e.g. 3:200ms@10s+5s";
	case RUMOR_SIM_DELAY:
		return "expected SET:MS~J@T+D, e.g. 3:50ms~20ms@10s+5s";
	case RUMOR_SIM_PAUSE:
		return "expected SET@T+D[/P*C], e.g. 3@10s+300ms/1s*10 "
		       "(P > D)";
	default:
		return "expected SET@T+D, e.g. 3@10s+5s, 3,7@10s+5s or "
		       "10%@10s+5s";
	}
}

/* The sets and parameter in text[0..len) (before '@'). */
static int
parse_who(const char *text, size_t len, struct rumor_sim_fault *f)
{
	const char *colon = memchr(text, ':', len);
	size_t who = colon ? (size_t)(colon - text) : len;
	int param = f->kind == RUMOR_SIM_SLOW || f->kind == RUMOR_SIM_DELAY;
	char sep = f->kind == RUMOR_SIM_ONEWAY ? '>'
	           : f->kind == RUMOR_SIM_CUT  ? '/'
	                                       : '\0';
	const char *mid = sep ? memchr(text, sep, who) : NULL;

	if (!!colon != param || !!sep != !!mid)
		return RUMOR_EINVAL;
	if (parse_set(text, mid ? (size_t)(mid - text) : who, 0, &f->a))
		return RUMOR_EINVAL;
	if (mid && parse_set(mid + 1, who - (size_t)(mid + 1 - text), 1, &f->b))
		return RUMOR_EINVAL;
	return colon ? parse_param(colon + 1, len - who - 1, f) : 0;
}

int
rumor_sim_parse_fault(enum rumor_sim_fault_kind kind, const char *text,
                      struct rumor_sim_fault *f, const char **why)
{
	const char *at;
	char *when;
	int rc;

	memset(f, 0, sizeof(*f));
	f->kind = kind;
	*why = expected(kind);
	if (!text || (unsigned)kind >= RUMOR_SIM_FAULT_MAX ||
	    !(at = strchr(text, '@')))
		return RUMOR_EINVAL;
	if (parse_who(text, (size_t)(at - text), f))
		return RUMOR_EINVAL;
	if (!(when = cut_copy(at + 1, strlen(at + 1))))
		return RUMOR_EINVAL;
	rc = parse_when(when, f);
	free(when);
	return rc;
}
