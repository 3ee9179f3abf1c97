/*
 * The core's only randomness: xoshiro256** (Blackman and Vigna, 2018),
 * seeded through splitmix64 (Steele, Lea and Flood, 2014) so that any
 * 64-bit seed, 0 included, gives a good state.
 */
#ifndef RUMOR_CORE_RNG_H
#define RUMOR_CORE_RNG_H

#include <stdint.h>

struct rumor_rng {
	uint64_t s[4];
};

/** splitmix64 step: advances *state and returns the next output. */
uint64_t rumor__splitmix64(uint64_t *state);
void rumor__rng_seed(struct rumor_rng *rng, uint64_t seed);
uint64_t rumor__rng_next(struct rumor_rng *rng);
/** Uniform in [0, bound) without modulo bias; bound 0 returns 0. */
uint64_t rumor__rng_below(struct rumor_rng *rng, uint64_t bound);
/** Uniform double in [0, 1). */
double rumor__rng_unit(struct rumor_rng *rng);

#endif
