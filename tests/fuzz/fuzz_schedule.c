/* libFuzzer: schedule spec parser (bc_sched_parse) and the schedule itself. */
#include "bc_schedule.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    char spec[257];
    memcpy(spec, data, size);
    spec[size] = '\0';
    bc_sched_t s;
    char err[256] = "";
    if (bc_sched_parse(spec, &s, err, sizeof err) != 0) {
        fuzz_check_msg(err, sizeof err);
        return 0;
    }
    if (s.lo < BC_SCHED_MIN_BITS || s.hi > BC_SCHED_MAX_BITS || s.lo > s.hi || s.family >= BC_SCHED_FAMILY_COUNT)
        abort();
    /* the canonical form parses back to the same schedule */
    char canon[64];
    bc_sched_format(&s, canon, sizeof canon);
    bc_sched_t s2;
    if (bc_sched_parse(canon, &s2, err, sizeof err) != 0 || s2.family != s.family || s2.lo != s.lo || s2.hi != s.hi)
        abort();
    /* every precision of a run lies within the bounds */
    uint64_t total = 1 + (size * 977u) % 5000u;
    unsigned cycles = (unsigned)(size % 40u);
    for (uint64_t t = 0; t < total; t += 1 + total / 64) {
        unsigned b = bc_sched_bits(&s, t, total, cycles);
        if (b < s.lo || b > s.hi)
            abort();
    }
    return 0;
}
