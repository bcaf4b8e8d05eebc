// fuzz_rand.c: the fuzzer's random numbers. Everything random in a campaign
// comes from its one seed, so that a finding can be run again: the same
// seed and item index give the same calls and the same mutant.
#include <stdint.h>

#include "fuzz.h"

void rng_seed(struct rng *r, uint64_t seed)
{
    r->state = seed;
}

// splitmix64 (Steele, Lea, Flood): a counter through a strong mixer. Its
// outputs pass the usual statistical tests, and any seed, even 0, is fine.
static uint64_t next64(struct rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t rng_u32(struct rng *r)
{
    return (uint32_t)(next64(r) >> 32);
}

// Multiply-shift instead of %: no bias worth speaking of, and no 64-bit
// division, which i386 does in a libgcc call.
uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((uint64_t)rng_u32(r) * n) >> 32);
}

int rng_percent(struct rng *r, uint32_t percent)
{
    return rng_below(r, 100) < percent;
}

// The seed of one item: the campaign's seed, the kind and the index mixed
// through one splitmix64 step each, so neighbouring indexes give unrelated
// streams.
uint64_t fuzz_item_seed(uint64_t seed, uint32_t kind, uint32_t index)
{
    struct rng r = { seed ^ ((uint64_t)kind << 56) };
    uint64_t a = next64(&r);
    r.state = a ^ index;
    return next64(&r);
}
