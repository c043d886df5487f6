// The firmware ELF on the SystemC platform (bc_vp_elf.h).
//
// The ISS runs inside the platform's CPU thread as a loosely-timed TLM-2.0
// initiator: it executes from the DRAM storage directly (a DMI-style pointer,
// so the accelerator's DMA and the CPU share one RAM), keeps its local time
// in a tlm_quantumkeeper and synchronises at the end of each quantum and
// before every access to the accelerator's registers, which go through the
// platform's TLM register socket. After each synchronisation the accelerator's
// interrupt line is sampled into the CPU's external interrupt (mip.MEIP); wfi
// waits on the line in SystemC time.
#include "bc_vp_elf.h"

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "bc_vp.h"
#include "rv_plat.h"

using namespace sc_core;

namespace {

constexpr double kCpuHz = 100e6;          // CPU clock: one instruction per cycle
constexpr uint64_t kQuantumCycles = 1000; // 10 us of CPU time between synchronisations

double wall_now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct ElfRun {
    const rv_run_opts_t *o = nullptr;
    bc_vp_t *vp = nullptr;
    rv_plat_t plat{};
    tlm_utils::tlm_quantumkeeper qk;
    sc_time period{1e9 / kCpuHz, SC_NS};
    uint64_t accounted = 0;  // CPU cycles already added to the quantum keeper
    bool loaded = false, accel_stopped = false;
    FILE *itrace = nullptr;
    double iss_seconds = 0, t_start = 0;
    uint64_t accel_cycles = 0;
    std::string load_err;

    rv_cpu_t &cpu() { return plat.cpu; }

    void account()
    {
        qk.inc(period * (double)(cpu().cycle - accounted));
        accounted = cpu().cycle;
    }
    void sync()
    {
        account();
        qk.sync();
    }
    // SystemC time that passed while the CPU waited (register access, wfi)
    // becomes stall cycles: mcycle advances, minstret does not.
    void catch_up(const sc_time &t0)
    {
        uint64_t stall = (uint64_t)((sc_time_stamp() - t0) / period);
        cpu().cycle += stall;
        accounted = cpu().cycle;
        qk.reset();
    }
    void sample_irq()
    {
        int w = bc_vp_wait_irq(vp, 0);
        if (w < 0)
            stopped();
        rv_set_ext_irq(&cpu(), w == 0);
    }
    void stopped()
    {
        accel_stopped = true;
        rv_stop(&cpu(), "accelerator stopped");
    }
    int reg_access(bool write, uint32_t off, uint32_t *val)
    {
        double t = wall_now();
        sync();
        sc_time t0 = sc_time_stamp();
        int rc = write ? bc_vp_reg_write(vp, off, *val) : bc_vp_reg_read(vp, off, val);
        catch_up(t0);
        if (rc == -2)
            stopped();
        else
            sample_irq();
        iss_seconds -= wall_now() - t;  // time in SystemC, not in the ISS
        return rc == -1 ? -1 : 0;       // SLVERR: access fault
    }
    void wait_irq();
    void loop();
};

int accel_read(void *ctx, uint32_t off, uint32_t *val)
{
    return static_cast<ElfRun *>(ctx)->reg_access(false, off, val);
}

int accel_write(void *ctx, uint32_t off, uint32_t val)
{
    return static_cast<ElfRun *>(ctx)->reg_access(true, off, &val);
}

// wfi with the external interrupt enabled: let SystemC time pass until the
// line rises, the CPU's timer is due or the run's budget is spent.
void ElfRun::wait_irq()
{
    rv_cpu_t &c = cpu();
    sync();
    uint64_t left = c.cycle < o->timeout_cycles ? o->timeout_cycles - c.cycle : 0;
    if ((c.mie & (1u << RV_IRQ_MTI)) && c.mtimecmp <= UINT64_MAX / c.time_div) {
        uint64_t due = c.mtimecmp * c.time_div;
        left = due > c.cycle ? std::min(left, due - c.cycle) : 0;
    }
    sc_time t0 = sc_time_stamp();
    int w = bc_vp_wait_irq(vp, (uint64_t)(left * (1e9 / kCpuHz)));
    catch_up(t0);
    if (w < 0) {
        stopped();
        return;
    }
    if (sc_time_stamp() == t0)
        c.cycle++;  // always make progress
    accounted = c.cycle;
    rv_set_ext_irq(&c, w == 0);
}

void ElfRun::loop()
{
    rv_cpu_t &c = cpu();
    while (c.stop == RV_STOP_NONE && c.cycle < o->timeout_cycles) {
        uint64_t budget = std::min(kQuantumCycles, o->timeout_cycles - c.cycle);
        double t = wall_now();
        rv_run(&c, budget);
        iss_seconds += wall_now() - t;
        if (c.stop != RV_STOP_NONE)
            break;
        if (c.in_wfi) {
            wait_irq();
            continue;
        }
        sync();
        sample_irq();
    }
    sync();
}

int elf_entry(bc_vp_t *vp, void *arg)
{
    ElfRun *r = static_cast<ElfRun *>(arg);
    r->vp = vp;
    size_t len = 0;
    uint8_t *mem = bc_vp_mem_ptr(vp, &len);
    rv_accel_port_t port = {r, accel_read, accel_write};
    rv_plat_init_ram(&r->plat, mem, (uint32_t)len, stdout, &port);
    char err[512];
    if (rv_plat_load(&r->plat, r->o->elf, err, sizeof err)) {
        r->load_err = err;
        return 0;
    }
    if (r->o->data_image && rv_plat_place_data(&r->plat, r->o->data_image, r->o->data_len)) {
        snprintf(err, sizeof err, "--data: %zu bytes do not fit in RAM above 0x%08x (--ram-mib)", r->o->data_len,
                 RV_DATA_BASE);
        r->load_err = err;
        return 0;
    }
    r->loaded = true;
    r->cpu().ext_irq_source = true;
    r->cpu().trace = r->itrace;
    r->qk.reset();
    r->t_start = wall_now();
    r->loop();
    r->accel_cycles = bc_vp_cycles(vp);
    return 0;
}

}  // namespace

extern "C" int bc_vp_elf_run(const rv_run_opts_t *o)
{
    bc_vp_config_t cfg;
    bc_vp_config_default(&cfg);
    cfg.sim.mem_bytes = o->ram_bytes;
    cfg.sim.trace_path = o->fst;
    tlm::tlm_global_quantum::instance().set(sc_time((double)kQuantumCycles * 1e9 / kCpuHz, SC_NS));
    ElfRun *r = new ElfRun;  // lives as long as the SystemC kernel may touch it
    r->o = o;
    if (o->itrace && !(r->itrace = std::fopen(o->itrace, "w"))) {
        std::fprintf(stderr, "bitcycle %s: --itrace: cannot write '%s': %s\n", o->prog, o->itrace,
                     std::strerror(errno));
        return RV_EXIT_USAGE;
    }
    char err[512] = "";
    int rc = bc_vp_run(&cfg, elf_entry, r, err, sizeof err);
    double wall = r->t_start ? wall_now() - r->t_start : 0;
    if (r->itrace && std::fclose(r->itrace))
        std::fprintf(stderr, "bitcycle %s: --itrace: write error on '%s'\n", o->prog, o->itrace);
    if (!r->loaded) {
        std::fprintf(stderr, "bitcycle %s: %s\n", o->prog, r->load_err.empty() ? err : r->load_err.c_str());
        return RV_EXIT_USAGE;
    }
    const char *accel_err = (rc < 0 || r->accel_stopped) ? (err[0] ? err : "accelerator stopped") : nullptr;
    int code = rv_finish(o, &r->plat, wall, accel_err);
    if (o->stats)
        std::fprintf(stderr,
                     "bitcycle %s: %" PRIu64 " accelerator cycles, %.3f s simulated; wall %.3f s: ISS %.1f %%, "
                     "SystemC + RTL %.1f %%\n",
                     o->prog, r->accel_cycles, sc_time_stamp().to_seconds(), wall,
                     wall > 0 ? 100.0 * r->iss_seconds / wall : 0.0,
                     wall > 0 ? 100.0 * (1.0 - r->iss_seconds / wall) : 0.0);
    return code;
}
