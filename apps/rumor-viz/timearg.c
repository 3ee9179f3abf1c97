/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz time arguments.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rumor/errors.h"
#include "timearg.h"

int
viz_time_parse(const char *s, int64_t *ms)
{
	char *end;
	if (!s || !*s)
		return RUMOR_EINVAL;
	if (strcmp(s, "end") == 0) {
		*ms = VIZ_TIME_END;
		return 0;
	}
	if (!(*s >= '0' && *s <= '9') && *s != '.')
		return RUMOR_EINVAL;
	double v = strtod(s, &end);
	double scale;
	if (end == s || !isfinite(v) || v < 0)
		return RUMOR_EINVAL;
	if (*end == 0 || strcmp(end, "s") == 0)
		scale = 1000;
	else if (strcmp(end, "ms") == 0)
		scale = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		scale = 60000;
	else
		return RUMOR_EINVAL;
	if (v * scale > 1e15)
		return RUMOR_EINVAL;
	*ms = (int64_t)llround(v * scale);
	return 0;
}

char *
viz_time_format(int64_t ms, char *buf, unsigned len)
{
	const char *sign = ms < 0 ? "-" : "";
	int64_t a = ms < 0 ? -ms : ms;
	snprintf(buf, len, "%s%lld.%03lld s", sign, (long long)(a / 1000),
	         (long long)(a % 1000));
	return buf;
}
