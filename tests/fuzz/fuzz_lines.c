/* libFuzzer: the bounded line reader (bc_lines_*). The first input byte
 * chooses the line and total bounds; the rest is the file. Every accepted
 * line must be at most the bound, hold no NUL, and the lines (with their
 * newlines, a '\r' before one dropped) must be exactly the file's bytes. */
#include "fuzz_util.h"
#include "safeio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max_line = 1 + (data[0] & 0x3f);
    uint64_t max_bytes = (data[0] & 0x40) ? 64 + (uint64_t)(data[0] >> 7) * 512 : 1u << 16;
    data++, size--;
    char path[256], err[512] = "";
    fuzz_tmpfile(data, size, ".txt", path, sizeof path);
    bc_lines_t in;
    if (!bc_lines_open(&in, path, max_line, max_bytes, err, sizeof err)) {
        fuzz_check_msg(err, sizeof err);
        if (size <= max_bytes) {
            fprintf(stderr, "fuzz_lines: a regular file of %zu bytes refused: %s\n", size, err);
            abort();
        }
        unlink(path);
        return 0;
    }
    size_t off = 0;
    const char *line;
    int got;
    while ((got = bc_lines_next(&in, &line, err, sizeof err)) > 0) {
        size_t len = strlen(line);
        if (len > max_line || off + len > size || memcmp(data + off, line, len) != 0) {
            fprintf(stderr, "fuzz_lines: line %lu does not match the file at offset %zu\n", in.lineno, off);
            abort();
        }
        off += len;
        if (off < size && data[off] == '\r')
            off++;
        if (off < size) {
            if (data[off] != '\n') {
                fprintf(stderr, "fuzz_lines: line %lu split at offset %zu\n", in.lineno, off);
                abort();
            }
            off++;
        }
    }
    if (got == 0 && off != size) {
        fprintf(stderr, "fuzz_lines: end of file at %zu of %zu bytes\n", off, size);
        abort();
    }
    if (got < 0)
        fuzz_check_msg(err, sizeof err);
    bc_lines_close(&in);
    unlink(path);
    return 0;
}
