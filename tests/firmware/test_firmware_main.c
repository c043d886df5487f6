/* Runner for the firmware suites: prints one summary line at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fw_tests.h"
#include "test_env.h"

const char *fw_sched_vectors_path = "tests/firmware/sched_vectors.txt";
uint64_t fw_seed = 1;

int main(int argc, char **argv)
{
    if (argc > 1)
        fw_sched_vectors_path = argv[1];
    fw_seed = test_env_seed("test_firmware", fw_seed);
    printf("test-firmware: SEED=%llu\n", (unsigned long long)fw_seed);
    unsigned n = 0;
    int failed = 0;
    failed += fw_run_schedule_tests(&n);
    failed += fw_run_quant_tests(&n);
    failed += fw_run_data_tests(&n);
    failed += fw_run_range_tests(&n);
    failed += fw_run_trainer_tests(&n);
    failed += fw_run_lower_tests(&n);
    failed += fw_run_cnn_tests(&n);
    printf("test-firmware: %u passed, %d failed\n", n - (unsigned)failed, failed);
    return failed ? 1 : 0;
}
