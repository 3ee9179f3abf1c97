/* SPDX-License-Identifier: MIT */
/*
 * rumor's pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018)
 * seeded through splitmix64 (Steele, Lea and Flood, 2014), so that any
 * 64-bit seed, 0 included, gives a good state. The core draws all of its
 * randomness from one (seeded by its driver); the simulator uses separate
 * ones for its network model. Not for cryptography.
 */
#ifndef RUMOR_RNG_H
#define RUMOR_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rumor_rng {
	uint64_t s[4];
};

/** splitmix64 of x: a seed mixer (distinct inputs, unrelated outputs). */
uint64_t rumor_mix64(uint64_t x);
/** Seed the state from any 64-bit seed. */
void rumor_rng_seed(struct rumor_rng *rng, uint64_t seed);
/** The next 64 random bits. */
uint64_t rumor_rng_next(struct rumor_rng *rng);
/** Uniform in [0, bound) without modulo bias; bound 0 returns 0. */
uint64_t rumor_rng_below(struct rumor_rng *rng, uint64_t bound);
/** Uniform double in [0, 1). */
double rumor_rng_unit(struct rumor_rng *rng);

#ifdef __cplusplus
}
#endif
#endif
