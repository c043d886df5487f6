/* Shared declarations of the driver test suites (tests/driver/). */
#ifndef DRV_TESTS_H
#define DRV_TESTS_H
#include <stddef.h>
#include <stdint.h>

struct CMUnitTest;
extern const struct CMUnitTest drv_mock_tests[];
extern const size_t drv_mock_tests_count;
extern const struct CMUnitTest drv_pack_tests[];
extern const size_t drv_pack_tests_count;
extern const struct CMUnitTest drv_quant_tests[];
extern const size_t drv_quant_tests_count;
extern const struct CMUnitTest drv_mmio_tests[];
extern const size_t drv_mmio_tests_count;

/* Seed of this run (SEED environment variable, default 1). */
uint64_t drv_test_seed(void);

/* Small deterministic generator for test data (splitmix64). */
typedef struct drv_rand {
    uint64_t s;
} drv_rand_t;
static inline uint64_t drv_rand_u64(drv_rand_t *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* Uniform in [lo, hi] (inclusive), hi - lo < 2^32. */
static inline int64_t drv_rand_range(drv_rand_t *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(drv_rand_u64(r) % (uint64_t)(hi - lo + 1));
}
/* Random value representable at bits/signedness. */
static inline int32_t drv_rand_val(drv_rand_t *r, unsigned bits, int is_signed)
{
    if (is_signed)
        return (int32_t)drv_rand_range(r, -((int64_t)1 << (bits - 1)), ((int64_t)1 << (bits - 1)) - 1);
    return (int32_t)drv_rand_range(r, 0, ((int64_t)1 << bits) - 1);
}
#endif
