/* xoshiro256** seeded through splitmix64 (https://prng.di.unimi.it/). */
#include "rng.h"

uint64_t
rumor__sim_splitmix64(uint64_t x)
{
	uint64_t z = x + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rumor__sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		seed += 0x9e3779b97f4a7c15ULL;
		r->s[i] = rumor__sim_splitmix64(seed);
	}
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rumor__sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
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

double
rumor__sim_rng_double(struct sim_rng *r)
{
	return (double)(rumor__sim_rng_next(r) >> 11) * 0x1.0p-53;
}

uint32_t
rumor__sim_rng_range(struct sim_rng *r, uint32_t lo, uint32_t hi)
{
	uint64_t span = (uint64_t)hi - lo + 1;
	unsigned __int128 m = (unsigned __int128)rumor__sim_rng_next(r) * span;

	return lo + (uint32_t)(m >> 64);
}
