/* test-driver unit binary: mocked-HAL driver logic, packing, quantization. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "drv_tests.h"
#include "test_env.h"

static uint64_t seed = 1;

uint64_t drv_test_seed(void)
{
    return seed;
}

int main(void)
{
    seed = test_env_seed("test_drv_unit", seed);
    printf("driver-unit: SEED=%llu\n", (unsigned long long)seed);
    int failed = 0;
    size_t total = drv_mock_tests_count + drv_pack_tests_count + drv_quant_tests_count +
                   drv_mmio_tests_count;
    failed += _cmocka_run_group_tests("driver-mock-hal", drv_mock_tests, drv_mock_tests_count, NULL, NULL);
    failed += _cmocka_run_group_tests("driver-packing", drv_pack_tests, drv_pack_tests_count, NULL, NULL);
    failed += _cmocka_run_group_tests("driver-quant", drv_quant_tests, drv_quant_tests_count, NULL, NULL);
    failed += _cmocka_run_group_tests("driver-mmio", drv_mmio_tests, drv_mmio_tests_count, NULL, NULL);
    printf("driver-unit: %zu passed, %d failed\n", total - (size_t)failed, failed);
    return failed ? 1 : 0;
}
