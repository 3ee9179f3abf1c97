/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz time arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rumor/args.h"
#include "rumor/errors.h"
#include "timearg.h"

int
viz_time_arg(const char *flag, const char *s, int64_t *ms, char *err,
             size_t len)
{
	const struct rumor_arg_spec spec = {.flag = flag,
	                                    .max = 1000000000000000ULL,
	                                    .range = "0..10^15 ms or end",
	                                    .bare = RUMOR_ARG_BARE_S};
	uint64_t v;

	if (s && strcmp(s, "end") == 0) {
		*ms = VIZ_TIME_END;
		return 0;
	}
	if (rumor_arg_duration(&spec, s, &v, err, len) != 0)
		return RUMOR_EINVAL;
	*ms = (int64_t)v;
	return 0;
}

int
viz_time_parse(const char *s, int64_t *ms)
{
	return viz_time_arg("time", s, ms, NULL, 0);
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
