/* Helpers of the libFuzzer targets: parsers that only take a path are fuzzed
 * through a private temporary file. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write data to a fresh temporary file named ...SUFFIX; path receives its
 * name (caller unlinks). Aborts on I/O failure: that is not a finding. */
static inline void fuzz_tmpfile(const uint8_t *data, size_t size, const char *suffix, char *path, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/bcfuzz-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0) {
        perror("fuzz_tmpfile");
        abort();
    }
    size_t off = 0;
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);
        if (n <= 0) {
            perror("fuzz_tmpfile: write");
            abort();
        }
        off += (size_t)n;
    }
    close(fd);
}

/* An error message must be a terminated, non-empty string. */
static inline void fuzz_check_msg(const char *err, size_t errlen)
{
    if (memchr(err, '\0', errlen) == NULL || err[0] == '\0') {
        fprintf(stderr, "fuzz: failure without a terminated error message\n");
        abort();
    }
}
#endif
