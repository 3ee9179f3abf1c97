/* SPDX-License-Identifier: MIT */
/* xoshiro256** seeded by splitmix64; see include/rumor/rng.h. */
#include "rumor/rng.h"

uint64_t
rumor_mix64(uint64_t x)
{
	uint64_t z = x + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rumor_rng_seed(struct rumor_rng *rng, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		rng->s[i] = rumor_mix64(seed);
		seed += 0x9e3779b97f4a7c15ULL;
	}
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rumor_rng_next(struct rumor_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t
rumor_rng_below(struct rumor_rng *rng, uint64_t bound)
{
	uint64_t threshold, r;

	if (bound == 0)
		return 0;
	/* Lemire's rejection: discard the top partial range. */
	threshold = -bound % bound;
	do
		r = rumor_rng_next(rng);
	while (r < threshold);
	return r % bound;
}

double
rumor_rng_unit(struct rumor_rng *rng)
{
	return (double)(rumor_rng_next(rng) >> 11) * 0x1.0p-53;
}
