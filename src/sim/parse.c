/* SPDX-License-Identifier: MIT */
/*
 * Parsers for `rumor sim` arguments: times with units, probabilities,
 * delay ranges and scheduled actions. Numbers and times are the shared
 * parser's (rumor/args.h): exact decimal arithmetic, "1.1s" is 1100 ms.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rumor/args.h"
#include "rumor/sim.h"

static const char *const action_names[RUMOR_SIM_ACTION_MAX] = {
    [RUMOR_SIM_CRASH] = "crash",     [RUMOR_SIM_LEAVE] = "leave",
    [RUMOR_SIM_RESTART] = "restart", [RUMOR_SIM_PARTITION] = "partition",
    [RUMOR_SIM_HEAL] = "heal",
};

const char *
rumor_sim_action_name(enum rumor_sim_action_kind kind)
{
	if ((unsigned)kind >= RUMOR_SIM_ACTION_MAX)
		return "?";
	return action_names[kind];
}

/* Digits into *out without overflow past max; returns the end or NULL. */
static const char *
parse_digits(const char *p, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = p;

	while (*p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');

		if (v > (max - d) / 10)
			return NULL;
		v = v * 10 + d;
		p++;
	}
	if (p == start)
		return NULL;
	*out = v;
	return p;
}

/* Times: the shared duration parser (rumor/args.h), without a message. */
static int
parse_time_unit(const char *text, enum rumor_arg_bare bare, uint64_t *ms)
{
	const struct rumor_arg_spec spec = {
	    .flag = "", .max = RUMOR_SIM_MAX_TIME_MS, .bare = bare};

	return rumor_arg_duration(&spec, text, ms, NULL, 0);
}

int
rumor_sim_parse_time(const char *text, uint64_t *ms)
{
	return parse_time_unit(text, RUMOR_ARG_BARE_NONE, ms);
}

int
rumor_sim_parse_ms(const char *text, uint64_t *ms)
{
	return parse_time_unit(text, RUMOR_ARG_BARE_MS, ms);
}

int
rumor_sim_parse_prob(const char *text, double *p)
{
	char *end;
	double v;

	if (!text || !*text || (*text != '.' && (*text < '0' || *text > '9')))
		return RUMOR_EINVAL;
	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text)
		return RUMOR_EINVAL;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !isfinite(v) || v < 0 || v > 1)
		return RUMOR_EINVAL;
	*p = v;
	return 0;
}

int
rumor_sim_parse_delay(const char *text, uint32_t *min_ms, uint32_t *max_ms)
{
	const char *dots;
	uint64_t lo, hi;
	char buf[64];

	if (!text || strlen(text) >= sizeof(buf))
		return RUMOR_EINVAL;
	dots = strstr(text, "..");
	if (!dots) {
		if (rumor_sim_parse_ms(text, &lo))
			return RUMOR_EINVAL;
		hi = lo;
	} else {
		memcpy(buf, text, (size_t)(dots - text));
		buf[dots - text] = '\0';
		if (rumor_sim_parse_ms(buf, &lo) ||
		    rumor_sim_parse_ms(dots + 2, &hi))
			return RUMOR_EINVAL;
	}
	if (lo > hi || hi > 60000)
		return RUMOR_EINVAL;
	*min_ms = (uint32_t)lo;
	*max_ms = (uint32_t)hi;
	return 0;
}

int
rumor_sim_parse_uint(const char *text, uint64_t max, uint64_t *out)
{
	const struct rumor_arg_spec spec = {.flag = "", .max = max};

	return rumor_arg_uint(&spec, text, out, NULL, 0);
}

/* "I" or "I-J" in text[0..len). */
static int
parse_members(const char *text, size_t len, uint32_t *first, uint32_t *last)
{
	uint64_t a, b;
	const char *p = parse_digits(text, RUMOR_SIM_MAX_MEMBERS, &a);

	if (!p)
		return RUMOR_EINVAL;
	b = a;
	if (p < text + len && *p == '-') {
		p = parse_digits(p + 1, RUMOR_SIM_MAX_MEMBERS, &b);
		if (!p)
			return RUMOR_EINVAL;
	}
	if (p != text + len || a > b)
		return RUMOR_EINVAL;
	*first = (uint32_t)a;
	*last = (uint32_t)b;
	return 0;
}

int
rumor_sim_parse_action(enum rumor_sim_action_kind kind, const char *text,
                       struct rumor_sim_action *a)
{
	struct rumor_sim_action r = {.kind = kind};
	const char *at;

	if (!text || (unsigned)kind >= RUMOR_SIM_ACTION_MAX)
		return RUMOR_EINVAL;
	if (kind == RUMOR_SIM_HEAL) {
		if (rumor_sim_parse_time(text + (*text == '@'), &r.at_ms))
			return RUMOR_EINVAL;
		*a = r;
		return 0;
	}
	at = strchr(text, '@');
	if (!at ||
	    parse_members(text, (size_t)(at - text), &r.first, &r.last) ||
	    rumor_sim_parse_time(at + 1, &r.at_ms))
		return RUMOR_EINVAL;
	*a = r;
	return 0;
}
