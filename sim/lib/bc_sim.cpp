// C-ABI harness around the Verilated bitcycle_top: clock/reset, AXI4-Lite master
// for register access, AXI4 memory model, protocol checker, FST/VCD tracing.
#include "bc_sim.h"

#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Vbitcycle_top.h"
#include "Vbitcycle_top___024root.h"
#include "bc_axi_mem.h"
#include "bc_sim_internal.h"
#include "verilated.h"
#include "verilated_fst_c.h"

using bcsim::AxiChecker;
using bcsim::AxiLitePins;
using bcsim::AxiMasterPins;
using bcsim::AxiMemPort;
using bcsim::AxiSlavePins;
using bcsim::FlatMemory;
using bcsim::MemBackend;
using bcsim::MemTiming;

// The AXI data width the model was Verilated with (-GAXI_W=...); one library per width.
#ifndef BC_SIM_AXI_W
#define BC_SIM_AXI_W 64
#endif
static_assert(BC_SIM_AXI_W == 64 || BC_SIM_AXI_W == 128 || BC_SIM_AXI_W == 256 || BC_SIM_AXI_W == 512,
              "BC_SIM_AXI_W must be 64, 128, 256 or 512");
static const unsigned BUS_BYTES = BC_SIM_AXI_W / 8;

// Bus data to and from the model's ports: QData up to 64 bits, VlWide above.
[[maybe_unused]] static void bus_to_bytes(uint64_t v, uint8_t *dst) { std::memcpy(dst, &v, 8); }
template <std::size_t N> static void bus_to_bytes(const VlWide<N> &v, uint8_t *dst)
{
    static_assert(N * 4 == BUS_BYTES, "model data width differs from BC_SIM_AXI_W");
    std::memcpy(dst, v.data(), N * 4);
}
[[maybe_unused]] static void bus_from_bytes(uint64_t &v, const uint8_t *src) { std::memcpy(&v, src, 8); }
template <std::size_t N> static void bus_from_bytes(VlWide<N> &v, const uint8_t *src)
{
    std::memcpy(v.data(), src, N * 4);
}

struct bc_sim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vbitcycle_top> top;
    std::unique_ptr<FlatMemory> flat;
    MemBackend *backend = nullptr;
    std::unique_ptr<AxiMemPort> mem;
    AxiChecker checker{BUS_BYTES};
    std::unique_ptr<VerilatedFstC> fst;
    bc_sim_config_t cfg{};
    std::string trace_path;
    std::string vcd_path;  // non-empty: convert trace_path (FST) into this VCD on destroy
    uint64_t cycle = 0;
    bool stopped = false;
    std::string error;
    // AXI4-Lite master state
    bool awvalid = false, wvalid = false, bready = false, arvalid = false, rready = false;
    uint32_t awaddr = 0, wdata = 0, araddr = 0;
    bool lite_busy = false, lite_write = false;
    int lite_result = 0;       // 1 pending, 0 OKAY, -1 SLVERR
    uint32_t lite_rdata = 0;
    // observation
    bool seen_compute = false;
    uint64_t last_compute = 0, gaps = 0, job_gaps = 0, switches = 0;
    bool have_prec = false;
    unsigned prec = 0;
    bool trig_on = false;
    bool first_tile_seen = false;         // tile_valid && tile_first last cycle (edge detection)
    uint64_t job_starts = 0, first_tiles = 0;
    bool debug_gaps = false;
    uint64_t trig_off_at = 0;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

extern "C" void bc_sim_config_default(bc_sim_config_t *cfg)
{
    std::memset(cfg, 0, sizeof *cfg);
    cfg->mem_bytes = 64u << 20;
    cfg->rd_latency = 20;
    cfg->wr_latency = 20;
    cfg->bytes_per_cycle = 0;
    cfg->stall_prob = 0.0;
    cfg->seed = 1;
    cfg->trace_switch_window = 200;
}

static bool ends_with(const std::string &s, const char *suf)
{
    size_t n = std::strlen(suf);
    return s.size() >= n && s.compare(s.size() - n, n, suf) == 0;
}

static void drive_inputs(bc_sim *s)
{
    Vbitcycle_top *t = s->top.get();
    const AxiSlavePins &p = s->mem->pins();
    t->m_axi_arready_i = p.arready;
    t->m_axi_rvalid_i = p.rvalid;
    bus_from_bytes(t->m_axi_rdata_i, p.rdata);
    t->m_axi_rresp_i = p.rresp;
    t->m_axi_rlast_i = p.rlast;
    t->m_axi_awready_i = p.awready;
    t->m_axi_wready_i = p.wready;
    t->m_axi_bvalid_i = p.bvalid;
    t->m_axi_bresp_i = p.bresp;
    t->s_axil_awvalid_i = s->awvalid;
    t->s_axil_awaddr_i = s->awaddr & 0xFFFu;
    t->s_axil_wvalid_i = s->wvalid;
    t->s_axil_wdata_i = s->wdata;
    t->s_axil_wstrb_i = 0xF;
    t->s_axil_bready_i = s->bready;
    t->s_axil_arvalid_i = s->arvalid;
    t->s_axil_araddr_i = s->araddr & 0xFFFu;
    t->s_axil_rready_i = s->rready;
}

static bool tracing_now(bc_sim *s)
{
    if (!s->fst)
        return false;
    if ((s->cfg.trace_start || s->cfg.trace_end) &&
        (s->cycle < s->cfg.trace_start || s->cycle > s->cfg.trace_end))
        return false;
    if (s->cfg.trace_on_switch)
        return s->trig_on;
    return true;
}

static void observe(bc_sim *s)
{
    Vbitcycle_top___024root *r = s->top->rootp;
    bool compute = r->bitcycle_top__DOT__exec_compute;
    if (compute) {
        if (s->seen_compute && r->bitcycle_top__DOT__exec_job_start)
            s->job_gaps += s->cycle - s->last_compute - 1;
        if (s->seen_compute && s->cycle > s->last_compute + 1) {
            s->gaps += s->cycle - s->last_compute - 1;
            if (s->debug_gaps)
                std::fprintf(stderr, "bc_sim: %" PRIu64 " idle array cycles before cycle %" PRIu64 "\n",
                             s->cycle - s->last_compute - 1, s->cycle);
        }
        s->seen_compute = true;
        s->last_compute = s->cycle;
        unsigned p = (unsigned)r->bitcycle_top__DOT__exec_wbits |
                     ((unsigned)r->bitcycle_top__DOT__exec_abits << 8) |
                     ((unsigned)r->bitcycle_top__DOT__exec_wsigned << 16) |
                     ((unsigned)r->bitcycle_top__DOT__exec_asigned << 17);
        bool start = r->bitcycle_top__DOT__exec_job_start;
        if (start) {
            s->job_starts++;
            bool sw = s->have_prec && p != s->prec;
            if (sw)
                s->switches++;
            if (sw && s->cfg.trace_on_switch) { // the window follows every switch, armed or not
                s->trig_on = true;
                s->trig_off_at = s->cycle + s->cfg.trace_switch_window;
            } else if (s->trig_on) {
                s->trig_off_at = s->cycle;
            }
            s->have_prec = true;
            s->prec = p;
        }
    }
    if (s->cfg.trace_on_switch) {
        // Pre-trigger: the next job's first tile waits while the array computes.
        // Only the first tile of a job that has not started yet arms it: the
        // sequencer may present a job's first tile after that job's start.
        bool first = r->bitcycle_top__DOT__tile_valid && r->bitcycle_top__DOT__tile_first;
        bool arm = first && !s->first_tile_seen && ++s->first_tiles > s->job_starts;
        s->first_tile_seen = first;
        if (!s->trig_on && arm) {
            s->trig_on = true;
            s->trig_off_at = UINT64_MAX;
        } else if (s->trig_on && s->cycle > s->trig_off_at) {
            s->trig_on = false;
        }
    }
}

static void step(bc_sim *s)
{
    Vbitcycle_top *t = s->top.get();
    drive_inputs(s);
    t->clk_i = 0;
    t->eval();
    observe(s);
    bool tr = tracing_now(s);
    if (tr)
        s->fst->dump(2 * s->cycle);

    AxiMasterPins m;
    m.arvalid = t->m_axi_arvalid_o;
    m.araddr = t->m_axi_araddr_o;
    m.arlen = t->m_axi_arlen_o;
    m.arsize = t->m_axi_arsize_o;
    m.arburst = t->m_axi_arburst_o;
    m.rready = t->m_axi_rready_o;
    m.awvalid = t->m_axi_awvalid_o;
    m.awaddr = t->m_axi_awaddr_o;
    m.awlen = t->m_axi_awlen_o;
    m.awsize = t->m_axi_awsize_o;
    m.awburst = t->m_axi_awburst_o;
    m.wvalid = t->m_axi_wvalid_o;
    bus_to_bytes(t->m_axi_wdata_o, m.wdata);
    m.wstrb = t->m_axi_wstrb_o;
    m.wlast = t->m_axi_wlast_o;
    m.bready = t->m_axi_bready_o;
    AxiLitePins l;
    l.awvalid = s->awvalid;
    l.awready = t->s_axil_awready_o;
    l.awaddr = s->awaddr;
    l.wvalid = s->wvalid;
    l.wready = t->s_axil_wready_o;
    l.wdata = s->wdata;
    l.wstrb = 0xF;
    l.bvalid = t->s_axil_bvalid_o;
    l.bready = s->bready;
    l.bresp = t->s_axil_bresp_o;
    l.arvalid = s->arvalid;
    l.arready = t->s_axil_arready_o;
    l.araddr = s->araddr;
    l.rvalid = t->s_axil_rvalid_o;
    l.rready = s->rready;
    l.rdata = t->s_axil_rdata_o;
    l.rresp = t->s_axil_rresp_o;
    s->checker.check(m, s->mem->pins(), l, s->cycle);
    if (s->checker.failed() && !s->stopped) {
        s->stopped = true;
        s->error = s->checker.error();
    }
    s->mem->tick(m, s->cycle);
    const bool aw_fire = s->awvalid && l.awready, w_fire = s->wvalid && l.wready;
    const bool b_fire = s->bready && l.bvalid, ar_fire = s->arvalid && l.arready;
    const bool r_fire = s->rready && l.rvalid;

    t->clk_i = 1;
    t->eval();
    if (tr)
        s->fst->dump(2 * s->cycle + 1);
    s->cycle++;

    if (aw_fire)
        s->awvalid = false;
    if (w_fire)
        s->wvalid = false;
    if (ar_fire)
        s->arvalid = false;
    if (s->lite_busy && s->lite_write && b_fire) {
        s->bready = false;
        s->lite_busy = false;
        s->lite_result = l.bresp == 0 ? 0 : -1;
    }
    if (s->lite_busy && !s->lite_write && r_fire) {
        s->rready = false;
        s->lite_busy = false;
        s->lite_rdata = l.rdata;
        s->lite_result = l.rresp == 0 ? 0 : -1;
    }
}

void bc_sim_lite_start(bc_sim_t *s, bool write, uint32_t addr, uint32_t data)
{
    s->lite_busy = true;
    s->lite_write = write;
    s->lite_result = 1;
    if (write) {
        s->awvalid = true;
        s->awaddr = addr;
        s->wvalid = true;
        s->wdata = data;
        s->bready = true;
    } else {
        s->arvalid = true;
        s->araddr = addr;
        s->rready = true;
    }
}

int bc_sim_lite_result(const bc_sim_t *s, uint32_t *rdata)
{
    if (rdata)
        *rdata = s->lite_rdata;
    return s->lite_result;
}

bool bc_sim_irq_internal(const bc_sim_t *s)
{
    return s->top->irq_o;
}

const char *bc_sim_stop_reason(const bc_sim_t *s)
{
    return s->stopped ? s->error.c_str() : nullptr;
}

// Single-cycle hooks shared with the VP (sim/vp) through bc_sim_internal.h.
bool bc_sim_step_internal(bc_sim_t *s)
{
    if (s->stopped)
        return false;
    step(s);
    return !s->stopped;
}

extern "C" bc_sim_t *bc_sim_create(const bc_sim_config_t *cfg, char *err, size_t errlen)
{
    return bc_sim_create_with_backend(cfg, nullptr, err, errlen);
}

bc_sim_t *bc_sim_create_with_backend(const bc_sim_config_t *cfg, MemBackend *backend, char *err,
                                     size_t errlen)
{
    if (!cfg) {
        set_err(err, errlen, "bc_sim_create: config is NULL");
        return nullptr;
    }
    if (cfg->mem_bytes == 0 || cfg->mem_bytes % BUS_BYTES || cfg->mem_bytes > (4ull << 30)) {
        set_err(err, errlen, "bc_sim_create: mem_bytes=%zu must be a multiple of %u (the bus width) up to 4 GiB",
                cfg->mem_bytes, BUS_BYTES);
        return nullptr;
    }
    if (cfg->rd_latency < 1 || cfg->rd_latency > 100000) {
        set_err(err, errlen, "bc_sim_create: rd_latency=%u must be 1..100000 cycles", cfg->rd_latency);
        return nullptr;
    }
    if (cfg->wr_latency < 1 || cfg->wr_latency > 100000) {
        set_err(err, errlen, "bc_sim_create: wr_latency=%u must be 1..100000 cycles", cfg->wr_latency);
        return nullptr;
    }
    if (cfg->bytes_per_cycle > BUS_BYTES) {
        set_err(err, errlen, "bc_sim_create: bytes_per_cycle=%u must be 1..%u (the %u-bit bus), or 0 for one beat per cycle",
                cfg->bytes_per_cycle, BUS_BYTES, BC_SIM_AXI_W);
        return nullptr;
    }
    if (!(cfg->stall_prob >= 0.0 && cfg->stall_prob <= 0.95)) {
        set_err(err, errlen, "bc_sim_create: stall_prob=%g must be in 0..0.95", cfg->stall_prob);
        return nullptr;
    }
    if (cfg->err_kind < 0 || cfg->err_kind > 3) {
        set_err(err, errlen, "bc_sim_create: err_kind=%d must be 0 (off), 1 (rd), 2 (wr) or 3 (both)",
                cfg->err_kind);
        return nullptr;
    }
    if (cfg->err_kind && cfg->err_lo > cfg->err_hi) {
        set_err(err, errlen, "bc_sim_create: err_lo=0x%x is above err_hi=0x%x", cfg->err_lo, cfg->err_hi);
        return nullptr;
    }
    if (cfg->trace_end < cfg->trace_start) {
        set_err(err, errlen, "bc_sim_create: trace_end=%" PRIu64 " is before trace_start=%" PRIu64,
                cfg->trace_end, cfg->trace_start);
        return nullptr;
    }
    std::string tpath = cfg->trace_path ? cfg->trace_path : "";
    std::string vcd_path;
    if (!tpath.empty() && !ends_with(tpath, ".fst")) {
        if (!ends_with(tpath, ".vcd")) {
            set_err(err, errlen, "bc_sim_create: trace_path '%s' must end in .fst or .vcd", tpath.c_str());
            return nullptr;
        }
        // The model traces FST; a .vcd is converted with fst2vcd when the device is destroyed.
        vcd_path = tpath;
        tpath += ".tmp.fst";
    }

    std::unique_ptr<bc_sim> s(new bc_sim());
    s->cfg = *cfg;
    s->trace_path = tpath;
    s->vcd_path = vcd_path;
    s->cfg.trace_path = nullptr;
    s->debug_gaps = std::getenv("BC_SIM_DEBUG_GAPS") != nullptr;
    s->ctx.reset(new VerilatedContext());
    s->ctx->traceEverOn(!tpath.empty());
    s->top.reset(new Vbitcycle_top(s->ctx.get(), "bitcycle"));
    if (backend) {
        s->backend = backend;
    } else {
        s->flat.reset(new FlatMemory(cfg->mem_bytes));
        s->flat->err_lo = cfg->err_lo;
        s->flat->err_hi = cfg->err_hi;
        s->flat->err_kind = cfg->err_kind;
        s->backend = s->flat.get();
    }
    MemTiming t;
    t.rd_latency = cfg->rd_latency;
    t.wr_latency = cfg->wr_latency;
    t.bus_bytes = BUS_BYTES;
    t.bytes_per_cycle = cfg->bytes_per_cycle;
    t.stall_prob = cfg->stall_prob;
    t.seed = cfg->seed;
    s->mem.reset(new AxiMemPort(s->backend, t));
    if (!tpath.empty()) {
        s->fst.reset(new VerilatedFstC());
        s->top->trace(s->fst.get(), 99);
        s->fst->open(tpath.c_str());
        if (!s->fst->isOpen()) {
            set_err(err, errlen, "bc_sim_create: cannot open trace file '%s'", tpath.c_str());
            return nullptr;
        }
    }
    // reset: 4 cycles low
    s->top->rst_ni = 0;
    s->top->clk_i = 0;
    s->top->eval();
    for (int i = 0; i < 4; i++)
        step(s.get());
    s->top->rst_ni = 1;
    step(s.get());
    return s.release();
}

// fst2vcd with an argument vector: no shell, so no path text becomes a command.
static int run_fst2vcd(const std::string &fst, const std::string &vcd)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {const_cast<char *>("fst2vcd"), const_cast<char *>("-f"), const_cast<char *>(fst.c_str()),
                    const_cast<char *>("-o"), const_cast<char *>(vcd.c_str()), nullptr};
    pid_t pid;
    int rc = posix_spawnp(&pid, "fst2vcd", &fa, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

extern "C" void bc_sim_destroy(bc_sim_t *s)
{
    if (!s)
        return;
    if (s->fst)
        s->fst->close();
    s->top->final();
    if (s->fst && !s->vcd_path.empty()) {
        if (run_fst2vcd(s->trace_path, s->vcd_path) != 0)
            std::fprintf(stderr, "bc_sim: could not convert %s to %s (is fst2vcd from gtkwave installed?)\n",
                         s->trace_path.c_str(), s->vcd_path.c_str());
        else
            std::remove(s->trace_path.c_str());
    }
    delete s;
}

static int lite_access(bc_sim *s, bool write, uint32_t addr, uint32_t data, uint32_t *val)
{
    if (!s || s->stopped)
        return -2;
    bc_sim_lite_start(s, write, addr, data);
    for (unsigned i = 0; i < 1000 && s->lite_result == 1; i++) {
        step(s);
        if (s->stopped)
            return -2;
    }
    if (s->lite_result == 1) {
        s->stopped = true;
        s->error = "register access timed out after 1000 cycles (no AXI4-Lite response)";
        return -2;
    }
    if (val)
        *val = s->lite_rdata;
    return s->lite_result;
}

extern "C" int bc_sim_reg_write(bc_sim_t *s, uint32_t addr, uint32_t val)
{
    return lite_access(s, true, addr, val, nullptr);
}

extern "C" int bc_sim_reg_read(bc_sim_t *s, uint32_t addr, uint32_t *val)
{
    uint32_t v = 0;
    int rc = lite_access(s, false, addr, 0, &v);
    if (val)
        *val = v;
    return rc;
}

extern "C" int bc_sim_mem_read(bc_sim_t *s, uint64_t addr, void *dst, size_t len)
{
    if (!s || !s->flat || !s->flat->in_range(addr, len))
        return -1;
    std::memcpy(dst, s->flat->bytes() + addr, len);
    return 0;
}

extern "C" int bc_sim_mem_write(bc_sim_t *s, uint64_t addr, const void *src, size_t len)
{
    if (!s || !s->flat || !s->flat->in_range(addr, len))
        return -1;
    std::memcpy(s->flat->bytes() + addr, src, len);
    return 0;
}

extern "C" int bc_sim_run(bc_sim_t *s, uint64_t cycles)
{
    if (!s || s->stopped)
        return -1;
    for (uint64_t i = 0; i < cycles; i++) {
        step(s);
        if (s->stopped)
            return -1;
    }
    return 0;
}

extern "C" int bc_sim_run_until_irq(bc_sim_t *s, uint64_t timeout_cycles)
{
    if (!s || s->stopped)
        return -1;
    for (uint64_t i = 0; i < timeout_cycles; i++) {
        if (s->top->irq_o)
            return 0;
        step(s);
        if (s->stopped)
            return -1;
    }
    return s->top->irq_o ? 0 : 1;
}

extern "C" unsigned bc_sim_axi_bits(void)
{
    return BC_SIM_AXI_W;
}

extern "C" uint64_t bc_sim_cycles(const bc_sim_t *s)
{
    return s ? s->cycle : 0;
}

extern "C" const char *bc_sim_last_error(const bc_sim_t *s)
{
    if (!s)
        return "no simulator";
    return s->error.c_str();
}

extern "C" bool bc_sim_irq(const bc_sim_t *s)
{
    return s && s->top->irq_o;
}

extern "C" void bc_sim_inject_protocol_fault(bc_sim_t *s, int kind)
{
    if (s)
        s->mem->set_fault(kind);
}

extern "C" uint64_t bc_sim_compute_gaps(const bc_sim_t *s)
{
    return s ? s->gaps : 0;
}

extern "C" uint64_t bc_sim_job_gaps(const bc_sim_t *s)
{
    return s ? s->job_gaps : 0;
}

extern "C" uint64_t bc_sim_precision_switches(const bc_sim_t *s)
{
    return s ? s->switches : 0;
}
