/* libFuzzer: the ISS's ELF loader (rv_elf_load, rv_elf_symbol) on arbitrary
 * bytes. A load that succeeds must place its segments inside the RAM. */
#include "fuzz_util.h"
#include "rv_iss.h"

#define RAM_BASE 0x80000000u
#define RAM_SIZE (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t ram[RAM_SIZE];
    char path[256], err[512] = "";
    fuzz_tmpfile(data, size, ".elf", path, sizeof path);
    rv_elf_info_t info;
    memset(&info, 0, sizeof info);
    if (rv_elf_load(path, ram, RAM_BASE, RAM_SIZE, &info, err, sizeof err) == 0) {
        if (info.lo > info.hi || info.lo < RAM_BASE || info.hi - RAM_BASE > RAM_SIZE) {
            fprintf(stderr, "fuzz_elf: loaded range [%#x, %#x) outside the RAM\n", info.lo, info.hi);
            abort();
        }
        (void)rv_elf_symbol(path, "tohost");
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    unlink(path);
    return 0;
}
