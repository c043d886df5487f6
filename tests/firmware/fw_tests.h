/* Firmware regression suites (CMocka); each returns the number of failures
 * and adds its test count to *ntests. */
#ifndef FW_TESTS_H
#define FW_TESTS_H
#include <stdint.h>

extern const char *fw_sched_vectors_path;
extern uint64_t fw_seed;

int fw_run_schedule_tests(unsigned *ntests);
int fw_run_quant_tests(unsigned *ntests);
int fw_run_data_tests(unsigned *ntests);
int fw_run_range_tests(unsigned *ntests);
int fw_run_trainer_tests(unsigned *ntests);
int fw_run_lower_tests(unsigned *ntests);
int fw_run_cnn_tests(unsigned *ntests);

#define FW_RUN_GROUP(name, tests, ntests)                                  \
    (*(ntests) += (unsigned)(sizeof(tests) / sizeof((tests)[0])),          \
     cmocka_run_group_tests_name(name, tests, NULL, NULL))

#endif
