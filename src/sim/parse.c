/* SPDX-License-Identifier: MIT */
/*
 * Parsers for `rumor sim` arguments: times with units, probabilities,
 * delay ranges and scheduled actions. Exact decimal arithmetic (no
 * floating point for times), so "1.1s" is exactly 1100 ms.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static int
unit_ms(const char *unit, int bare_is_ms, uint64_t *mult)
{
	if (!*unit && bare_is_ms)
		*mult = 1;
	else if (!strcmp(unit, "ms"))
		*mult = 1;
	else if (!strcmp(unit, "s"))
		*mult = 1000;
	else if (!strcmp(unit, "m") || !strcmp(unit, "min"))
		*mult = 60000;
	else if (!strcmp(unit, "h"))
		*mult = 3600000;
	else
		return RUMOR_EINVAL;
	return 0;
}

/* "<int>[.<frac>]<unit>" exactly, as a whole number of ms. */
static int
parse_time_unit(const char *text, int bare_is_ms, uint64_t *ms)
{
	uint64_t whole, frac = 0, scale = 1, mult;
	const char *p;

	if (!text || !(p = parse_digits(text, RUMOR_SIM_MAX_TIME_MS, &whole)))
		return RUMOR_EINVAL;
	if (*p == '.') {
		const char *f = ++p;

		while (*p >= '0' && *p <= '9' && p - f < 9) {
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
			p++;
		}
		if (p == f)
			return RUMOR_EINVAL;
	}
	if (unit_ms(p, bare_is_ms, &mult))
		return RUMOR_EINVAL;
	if (whole > RUMOR_SIM_MAX_TIME_MS / mult || (frac * mult) % scale)
		return RUMOR_EINVAL;
	uint64_t v = whole * mult + frac * mult / scale;

	if (v > RUMOR_SIM_MAX_TIME_MS)
		return RUMOR_EINVAL;
	*ms = v;
	return 0;
}

int
rumor_sim_parse_time(const char *text, uint64_t *ms)
{
	return parse_time_unit(text, 0, ms);
}

int
rumor_sim_parse_ms(const char *text, uint64_t *ms)
{
	return parse_time_unit(text, 1, ms);
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
	char *end;
	unsigned long long v;

	int hex = text && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	const char *digits = hex ? text + 2 : text;

	if (!text || !*digits)
		return RUMOR_EINVAL;
	for (const char *p = digits; *p; p++) /* no sign, space or 2nd 0x */
		if (hex ? !isxdigit((unsigned char)*p) : (*p < '0' || *p > '9'))
			return RUMOR_EINVAL;
	errno = 0;
	/* base 10 unless 0x: base 0 would read "010" as octal 8 */
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno || *end || v > max)
		return RUMOR_EINVAL;
	*out = v;
	return 0;
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
