/* ELF loading for the ISS through libelf: checks the header (32-bit,
 * little-endian, RISC-V, executable, entry inside a loaded segment), copies
 * the PT_LOAD segments into RAM and finds the tohost/fromhost symbols. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "rv_internal.h"

static int fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    if (err && errlen) {
        int n = snprintf(err, errlen, "%s: ", path);
        va_list ap;
        va_start(ap, fmt);
        if (n >= 0 && (size_t)n < errlen)
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int check_header(Elf *e, const char *path, GElf_Ehdr *eh, char *err, size_t errlen)
{
    if (elf_kind(e) != ELF_K_ELF)
        return fail(err, errlen, path, "not an ELF file");
    if (gelf_getclass(e) != ELFCLASS32)
        return fail(err, errlen, path, "ELF class is %s, need ELFCLASS32 (build with -march=rv32imac -mabi=ilp32)",
                    gelf_getclass(e) == ELFCLASS64 ? "ELFCLASS64" : "invalid");
    if (!gelf_getehdr(e, eh))
        return fail(err, errlen, path, "unreadable ELF header: %s", elf_errmsg(-1));
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return fail(err, errlen, path, "e_ident[EI_DATA]: not little-endian");
    if (eh->e_machine != EM_RISCV)
        return fail(err, errlen, path, "e_machine is %u, need %u (EM_RISCV)", (unsigned)eh->e_machine, EM_RISCV);
    if (eh->e_type != ET_EXEC)
        return fail(err, errlen, path, "e_type is %u, need ET_EXEC (a statically linked executable)",
                    (unsigned)eh->e_type);
    if (eh->e_entry == 0)
        return fail(err, errlen, path, "e_entry is 0: no entry point");
    return 0;
}

static int load_segments(Elf *e, const char *path, uint8_t *ram, uint32_t ram_base, uint32_t ram_size,
                         rv_elf_info_t *info, char *err, size_t errlen)
{
    size_t nph = 0, fsize = 0;
    const char *file = elf_rawfile(e, &fsize);
    if (elf_getphdrnum(e, &nph) || !file)
        return fail(err, errlen, path, "unreadable program headers: %s", elf_errmsg(-1));
    bool entry_ok = false;
    unsigned nload = 0;
    info->lo = UINT32_MAX;
    info->hi = 0;
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph))
            return fail(err, errlen, path, "program header %zu unreadable: %s", i, elf_errmsg(-1));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        uint64_t a = ph.p_paddr;
        if (ph.p_filesz > ph.p_memsz)
            return fail(err, errlen, path, "segment %zu: p_filesz %" PRIu64 " > p_memsz %" PRIu64, i,
                        (uint64_t)ph.p_filesz, (uint64_t)ph.p_memsz);
        if (a < ram_base || a - ram_base > ram_size || ph.p_memsz > ram_size - (a - ram_base))
            return fail(err, errlen, path,
                        "segment %zu at 0x%08" PRIx64 "..0x%08" PRIx64 " is outside RAM 0x%08" PRIx32
                        "..0x%08" PRIx64,
                        i, a, a + ph.p_memsz, ram_base, (uint64_t)ram_base + ram_size);
        if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)
            return fail(err, errlen, path, "segment %zu: file bytes beyond the end of the file", i);
        memcpy(ram + (a - ram_base), file + ph.p_offset, ph.p_filesz);
        memset(ram + (a - ram_base) + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
        if (info->entry >= ph.p_vaddr && info->entry - ph.p_vaddr < ph.p_memsz && (ph.p_flags & PF_X))
            entry_ok = true;
        if (a < info->lo)
            info->lo = (uint32_t)a;
        if (a + ph.p_memsz > info->hi)
            info->hi = (uint32_t)(a + ph.p_memsz);
        nload++;
    }
    if (nload == 0)
        return fail(err, errlen, path, "no PT_LOAD segment");
    if (!entry_ok)
        return fail(err, errlen, path, "e_entry 0x%08" PRIx32 " is not inside an executable PT_LOAD segment",
                    info->entry);
    return 0;
}

/* Value of a symbol in .symtab, 0 when absent. */
static uint32_t find_symbol(Elf *e, const char *name)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t n = d ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(d, (int)i, &s))
                break;
            const char *sn = elf_strptr(e, sh.sh_link, s.st_name);
            if (sn && !strcmp(sn, name))
                return (uint32_t)s.st_value;
        }
    }
    return 0;
}

typedef struct {
    int fd;
    Elf *e;
} elf_handle_t;

static int elf_open(const char *path, elf_handle_t *h, char *err, size_t errlen)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(err, errlen, path, "libelf initialisation failed");
    h->fd = open(path, O_RDONLY);
    if (h->fd < 0)
        return fail(err, errlen, path, "cannot open: %s", strerror(errno));
    h->e = elf_begin(h->fd, ELF_C_READ, NULL);
    if (!h->e) {
        close(h->fd);
        return fail(err, errlen, path, "not an ELF file (%s)", elf_errmsg(-1));
    }
    return 0;
}

static void elf_close(elf_handle_t *h)
{
    elf_end(h->e);
    close(h->fd);
}

int rv_elf_load(const char *path, uint8_t *ram, uint32_t ram_base, uint32_t ram_size, rv_elf_info_t *info,
                char *err, size_t errlen)
{
    elf_handle_t h;
    memset(info, 0, sizeof *info);
    if (elf_open(path, &h, err, errlen))
        return -1;
    GElf_Ehdr eh;
    int rc = check_header(h.e, path, &eh, err, errlen);
    if (!rc) {
        info->entry = (uint32_t)eh.e_entry;
        rc = load_segments(h.e, path, ram, ram_base, ram_size, info, err, errlen);
    }
    if (!rc) {
        info->tohost = find_symbol(h.e, "tohost");
        info->fromhost = find_symbol(h.e, "fromhost");
        if (info->tohost && (info->tohost - ram_base >= ram_size || (info->tohost & 3)))
            rc = fail(err, errlen, path, "symbol tohost at 0x%08" PRIx32 " is not an aligned RAM word",
                      info->tohost);
    }
    elf_close(&h);
    return rc;
}

uint32_t rv_elf_symbol(const char *path, const char *name)
{
    elf_handle_t h;
    if (elf_open(path, &h, NULL, 0))
        return 0;
    uint32_t v = find_symbol(h.e, name);
    elf_close(&h);
    return v;
}
