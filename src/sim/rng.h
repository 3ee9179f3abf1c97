/*
 * The simulator's own randomness (the network model's stream and the
 * per-member core seeds). Separate from the core's generator on purpose:
 * the core is seeded by the simulator and never shares state with it.
 */
#ifndef RUMOR_SIM_RNG_H
#define RUMOR_SIM_RNG_H

#include <stdint.h>

/** xoshiro256** state (Blackman and Vigna, 2018). */
struct sim_rng {
	uint64_t s[4];
};

/** One splitmix64 step as a pure function of x (a seed mixer). */
uint64_t rumor__sim_splitmix64(uint64_t x);
/** Seed the four words from seed through splitmix64. */
void rumor__sim_rng_seed(struct sim_rng *r, uint64_t seed);
/** Next 64 random bits. */
uint64_t rumor__sim_rng_next(struct sim_rng *r);
/** Uniform double in [0, 1). */
double rumor__sim_rng_double(struct sim_rng *r);
/** Uniform integer in [lo, hi] (lo <= hi), by multiply-shift. */
uint32_t rumor__sim_rng_range(struct sim_rng *r, uint32_t lo, uint32_t hi);

#endif
