/* SPDX-License-Identifier: MIT */
/* Nearest-rank percentiles (the smallest value with at least p% of the
 * values at or below it). */
#include <stdlib.h>

#include "analyze_internal.h"

static int
cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* Rank ceil(p/100 * n), 1-based, for p in 1..100. */
static int64_t
rank(const int64_t *v, size_t n, unsigned p)
{
	size_t r = (p * n + 99) / 100;

	return v[r ? r - 1 : 0];
}

void
rumor__summarize(int64_t *v, size_t n, struct rumor_summary *out)
{
	out->n = n;
	if (n == 0) {
		out->p50 = out->p99 = out->max = NONE;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_i64);
	out->p50 = rank(v, n, 50);
	out->p99 = rank(v, n, 99);
	out->max = v[n - 1];
}
