/* Shared test plumbing (see test_env.h). */
#include "test_env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t test_env_seed(const char *prog, uint64_t def)
{
    const char *s = getenv("SEED");
    if (!s || !*s)
        return def;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || *s == '-') {
        fprintf(stderr, "%s: SEED=%s: not a decimal number\n", prog, s);
        exit(2);
    }
    return v;
}

bool test_env_flag(const char *name)
{
    const char *s = getenv(name);
    return s && strcmp(s, "1") == 0;
}
