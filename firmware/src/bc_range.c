/* Precision range test decision rule (see bc_range.h). */
#include "bc_range.h"

int bc_range_pick(const double *acc, unsigned first_bits, unsigned n, double threshold, bc_range_result_t *out)
{
    if (!acc || !out || n == 0)
        return -1;
    for (unsigned i = 0; i < n; i++)
        if (!(acc[i] == acc[i]))
            return -1; /* NaN */
    out->bmax = first_bits + n - 1u;
    out->bmin = first_bits;
    out->decided_at = 0;
    for (unsigned i = 1; i < n; i++)
        if (acc[i] - acc[i - 1] >= threshold) {
            out->bmin = first_bits + i;
            out->decided_at = first_bits + i;
            break;
        }
    return 0;
}
