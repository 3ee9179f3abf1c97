/* SPDX-License-Identifier: MIT */
/*
 * The one parser for command-line numbers and durations (rumor/args.h).
 * Exact decimal arithmetic, no strtod: "1.1s" is 1100 ms exactly.
 */
#include <stdio.h>
#include <string.h>

#include "rumor/args.h"
#include "rumor/errors.h"

#define MAX_DURATION_MS 1000000000000000ULL /* 10^15 ms, 31 710 years */

/* Digits of base 10 or 16 into *v without overflow past max; returns the
 * end, or NULL when there is no digit or the value exceeds max (then
 * *over is set). */
static const char *
digits(const char *p, unsigned base, uint64_t max, uint64_t *v, int *over)
{
	const char *start = p;
	uint64_t x = 0;

	for (;; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (x > (max - d) / base)
			*over = 1;
		else
			x = x * base + d;
	}
	*v = x;
	return p == start ? NULL : p;
}

static void
range_text(const struct rumor_arg_spec *s, int duration, char *buf, size_t len)
{
	char a[32], b[32];

	if (s->range)
		snprintf(buf, len, "%s", s->range);
	else if (duration)
		snprintf(buf, len, "%s..%s", rumor_arg_format_ms(s->min, a, 32),
		         rumor_arg_format_ms(s->max, b, 32));
	else
		snprintf(buf, len, "%llu..%llu", (unsigned long long)s->min,
		         (unsigned long long)s->max);
}

static int
fail(const struct rumor_arg_spec *s, const char *text, int duration,
     const char *why, char *err, size_t errlen)
{
	char range[96];

	if (err && errlen) {
		range_text(s, duration, range, sizeof(range));
		snprintf(err, errlen, "%s: '%s' %s (allowed: %s)", s->flag,
		         text ? text : "", why, range);
	}
	return RUMOR_EINVAL;
}

int
rumor_arg_uint(const struct rumor_arg_spec *s, const char *text, uint64_t *out,
               char *err, size_t errlen)
{
	int hex = text && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
	int over = 0;
	const char *end;
	uint64_t v;

	if (!text)
		return fail(s, text, 0, "is not a whole number", err, errlen);
	end =
	    digits(text + (hex ? 2 : 0), hex ? 16 : 10, UINT64_MAX, &v, &over);
	if (!end || *end)
		return fail(s, text, 0, "is not a whole number", err, errlen);
	if (over || v < s->min || v > s->max)
		return fail(s, text, 0, "is out of range", err, errlen);
	*out = v;
	return 0;
}

/* The unit's ms, or 0 when unknown. */
static uint64_t
unit_ms(const char *unit, enum rumor_arg_bare bare)
{
	if (!*unit)
		return bare == RUMOR_ARG_BARE_MS  ? 1
		       : bare == RUMOR_ARG_BARE_S ? 1000
		                                  : 0;
	if (!strcmp(unit, "ms"))
		return 1;
	if (!strcmp(unit, "s"))
		return 1000;
	if (!strcmp(unit, "m") || !strcmp(unit, "min"))
		return 60000;
	if (!strcmp(unit, "h"))
		return 3600000;
	return 0;
}

int
rumor_arg_duration(const struct rumor_arg_spec *s, const char *text,
                   uint64_t *ms, char *err, size_t errlen)
{
	static const char *const syntax =
	    "is not a duration such as 90s, 1.5s or 500ms";
	uint64_t whole, frac = 0, scale = 1, mult;
	int over = 0;
	const char *p =
	    text ? digits(text, 10, UINT64_MAX, &whole, &over) : NULL;

	if (!p)
		return fail(s, text, 1, syntax, err, errlen);
	if (*p == '.') {
		const char *f = ++p;

		while (*p >= '0' && *p <= '9') {
			if (p - f >= 9)
				return fail(s, text, 1,
				            "has more than 9 decimals", err,
				            errlen);
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
			p++;
		}
		if (p == f)
			return fail(s, text, 1, syntax, err, errlen);
	}
	if (!*p && s->bare == RUMOR_ARG_BARE_NONE)
		return fail(s, text, 1, "has no unit (ms, s, min or h)", err,
		            errlen);
	if (!(mult = unit_ms(p, s->bare)))
		return fail(s, text, 1, syntax, err, errlen);
	if ((frac * mult) % scale)
		return fail(s, text, 1, "is not a whole number of ms", err,
		            errlen);
	if (over || whole > MAX_DURATION_MS / mult)
		return fail(s, text, 1, "is out of range", err, errlen);
	uint64_t v = whole * mult + frac * mult / scale;

	if (v < s->min || v > s->max)
		return fail(s, text, 1, "is out of range", err, errlen);
	*ms = v;
	return 0;
}

char *
rumor_arg_format_ms(uint64_t ms, char *buf, size_t len)
{
	static const struct {
		uint64_t ms;
		const char *unit;
	} units[] = {{3600000, "h"}, {1000, "s"}};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (ms >= units[i].ms && ms % units[i].ms == 0) {
			snprintf(buf, len, "%llu%s",
			         (unsigned long long)(ms / units[i].ms),
			         units[i].unit);
			return buf;
		}
	snprintf(buf, len, "%llums", (unsigned long long)ms);
	return buf;
}
