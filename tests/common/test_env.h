/* Shared plumbing of the C test programs: the environment knobs every suite
 * reads (SEED, FAST, TRACE), parsed one way everywhere. */
#ifndef TEST_ENV_H
#define TEST_ENV_H
#include <stdbool.h>
#include <stdint.h>

/* SEED from the environment (default `def` when unset or empty). A value
 * that is not a decimal number is an error: the message names `prog` and
 * the program exits with status 2, so a mistyped seed never runs silently
 * with another one. */
uint64_t test_env_seed(const char *prog, uint64_t def);
/* True when the variable is set to "1" (FAST=1, TRACE=1, ...). */
bool test_env_flag(const char *name);
#endif
