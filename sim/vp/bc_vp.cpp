// SystemC TLM-2.0 virtual platform: CPU thread, accelerator (Verilated
// bitcycle_top via sim/lib), DRAM-like memory. See bc_vp.h.
#include "bc_vp.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "bc_axi_mem.h"
#include "bc_sim_internal.h"

using namespace sc_core;

namespace {

// DRAM-like target: functional storage, latency per access and bandwidth
// occupancy (a transfer starts when the previous one has left the bus).
struct Dram : sc_module {
    tlm_utils::simple_target_socket<Dram> socket;
    std::vector<uint8_t> mem;
    double latency_ns, bytes_per_ns;
    uint32_t err_lo = 0, err_hi = 0;
    int err_kind = 0;
    sc_time busy_until = SC_ZERO_TIME;

    Dram(sc_module_name n, size_t bytes, double lat, double bpns)
        : sc_module(n), socket("socket"), mem(bytes, 0), latency_ns(lat), bytes_per_ns(bpns)
    {
        socket.register_b_transport(this, &Dram::b_transport);
        socket.register_transport_dbg(this, &Dram::transport_dbg);
    }

    bool in_err(uint64_t a, unsigned len, bool write) const
    {
        int need = write ? 2 : 1;
        return (err_kind & need) && a + len - 1 >= err_lo && a <= err_hi;
    }

    void b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
    {
        uint64_t a = t.get_address();
        unsigned len = t.get_data_length();
        if (a > mem.size() || len > mem.size() - a) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        // timing: latency, then the bytes occupy the bus after earlier transfers
        sc_time start = sc_time_stamp() + delay + sc_time(latency_ns, SC_NS);
        if (start < busy_until)
            start = busy_until;
        sc_time xfer(len / bytes_per_ns, SC_NS);
        busy_until = start + xfer;
        delay = busy_until - sc_time_stamp();
        if (t.get_command() == tlm::TLM_IGNORE_COMMAND) {
            t.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
        if (in_err(a, len, t.is_write())) {
            t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        copy(t);
    }

    void copy(tlm::tlm_generic_payload &t)
    {
        uint64_t a = t.get_address();
        unsigned len = t.get_data_length();
        unsigned char *be = t.get_byte_enable_ptr();
        unsigned be_len = t.get_byte_enable_length();
        if (t.is_read()) {
            std::memcpy(t.get_data_ptr(), &mem[a], len);
        } else {
            for (unsigned i = 0; i < len; i++)
                if (!be || be[i % be_len] == TLM_BYTE_ENABLED)
                    mem[a + i] = t.get_data_ptr()[i];
        }
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    unsigned transport_dbg(tlm::tlm_generic_payload &t)
    {
        uint64_t a = t.get_address();
        unsigned len = t.get_data_length();
        if (a > mem.size() || len > mem.size() - a)
            return 0;
        copy(t);
        return len;
    }
};

// The accelerator's memory port as a TLM initiator: functional beats through
// b_transport (their delay is dropped), burst timing from one IGNORE transaction.
struct TlmBackend : bcsim::MemBackend {
    tlm_utils::simple_initiator_socket<struct Accel> *sock = nullptr;
    double cycle_ns = 5.0;

    uint8_t access(tlm::tlm_command cmd, uint64_t addr, uint8_t *data, unsigned len, uint64_t strb,
                   sc_time *delay)
    {
        tlm::tlm_generic_payload t;
        unsigned char be[bcsim::AXI_MAX_BYTES];
        const unsigned be_len = len < bcsim::AXI_MAX_BYTES ? len : bcsim::AXI_MAX_BYTES;
        for (unsigned i = 0; i < be_len; i++)
            be[i] = (strb >> i) & 1 ? TLM_BYTE_ENABLED : TLM_BYTE_DISABLED;
        t.set_command(cmd);
        t.set_address(addr);
        t.set_data_ptr(data);
        t.set_data_length(len);
        t.set_streaming_width(len);
        if (cmd == tlm::TLM_WRITE_COMMAND) {
            t.set_byte_enable_ptr(be);
            t.set_byte_enable_length(be_len);
        }
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        (*sock)->b_transport(t, *delay);
        switch (t.get_response_status()) {
        case tlm::TLM_OK_RESPONSE: return 0;
        case tlm::TLM_ADDRESS_ERROR_RESPONSE: return 3;  // DECERR
        default: return 2;                                // SLVERR
        }
    }
    uint8_t read_beat(uint64_t addr, uint8_t *data, unsigned bytes) override
    {
        sc_time d = SC_ZERO_TIME;
        std::memset(data, 0, bytes);
        return access(tlm::TLM_READ_COMMAND, addr, data, bytes, ~0ull, &d);
    }
    uint8_t write_beat(uint64_t addr, const uint8_t *data, uint64_t strb, unsigned bytes) override
    {
        sc_time d = SC_ZERO_TIME;
        uint8_t buf[bcsim::AXI_MAX_BYTES];
        std::memcpy(buf, data, bytes);
        return access(tlm::TLM_WRITE_COMMAND, addr, buf, bytes, strb, &d);
    }
    uint64_t burst_delay(bool write, uint64_t addr, unsigned bytes) override
    {
        (void)write;
        sc_time d = SC_ZERO_TIME;
        std::vector<uint8_t> dummy(bytes);
        access(tlm::TLM_IGNORE_COMMAND, addr, dummy.data(), bytes, 0xFF, &d);
        return (uint64_t)std::ceil(d.to_seconds() * 1e9 / cycle_ns);
    }
};

// Accelerator: registers behind a TLM target socket, a clock thread stepping
// the Verilated model, an interrupt line.
struct Accel : sc_module {
    tlm_utils::simple_target_socket<Accel> reg_socket;
    tlm_utils::simple_initiator_socket<Accel> mem_socket;
    sc_signal<bool> irq;
    sc_event lite_done, irq_rise, stopped_ev;
    bc_sim_t *sim = nullptr;
    TlmBackend backend;
    sc_time period;
    unsigned reg_access_ns;
    bool lite_pending = false;
    bool stopped = false;
    std::string stop_msg;

    SC_HAS_PROCESS(Accel);
    Accel(sc_module_name n, double clock_hz, unsigned reg_ns)
        : sc_module(n), reg_socket("reg_socket"), mem_socket("mem_socket"), irq("irq"),
          period(1e9 / clock_hz, SC_NS), reg_access_ns(reg_ns)
    {
        reg_socket.register_b_transport(this, &Accel::b_transport);
        backend.sock = &mem_socket;
        backend.cycle_ns = 1e9 / clock_hz;
        SC_THREAD(clock_thread);
    }

    void clock_thread()
    {
        for (;;) {
            if (!bc_sim_step_internal(sim)) {
                if (!stopped) {
                    stopped = true;
                    const char *m = bc_sim_stop_reason(sim);
                    stop_msg = m ? m : "simulation stopped";
                    stopped_ev.notify(SC_ZERO_TIME);
                    lite_done.notify(SC_ZERO_TIME);
                }
                return;
            }
            bool level = bc_sim_irq_internal(sim);
            if (level && !irq.read())
                irq_rise.notify(SC_ZERO_TIME);
            irq.write(level);
            if (lite_pending && bc_sim_lite_result(sim, nullptr) != 1) {
                lite_pending = false;
                lite_done.notify(SC_ZERO_TIME);
            }
            wait(period);
        }
    }

    void b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
    {
        wait(delay);  // synchronise the initiator's local time before touching the bus
        delay = SC_ZERO_TIME;
        if (t.get_data_length() != 4 || t.get_address() > 0xFFF || stopped) {
            t.set_response_status(stopped ? tlm::TLM_GENERIC_ERROR_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        uint32_t val = 0;
        bool write = t.is_write();
        if (write)
            std::memcpy(&val, t.get_data_ptr(), 4);
        bc_sim_lite_start(sim, write, (uint32_t)t.get_address(), val);
        lite_pending = true;
        wait(lite_done);
        if (stopped) {
            t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        uint32_t rd = 0;
        int rc = bc_sim_lite_result(sim, &rd);
        if (!write)
            std::memcpy(t.get_data_ptr(), &rd, 4);
        // SLVERR from the register block: TLM generic error
        t.set_response_status(rc == 0 ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);
        delay += sc_time(reg_access_ns, SC_NS);
    }
};

}  // namespace

struct bc_vp : sc_module {
    tlm_utils::simple_initiator_socket<bc_vp> reg_socket;
    tlm_utils::simple_initiator_socket<bc_vp> mem_socket;
    int (*entry)(bc_vp_t *, void *) = nullptr;
    void *arg = nullptr;
    int result = -1;
    bool done = false;
    Accel *accel = nullptr;
    Dram *dram = nullptr;  // a CPU model that runs from DRAM gets its storage (bc_vp_mem_ptr)

    SC_HAS_PROCESS(bc_vp);
    bc_vp(sc_module_name n) : sc_module(n), reg_socket("reg_socket"), mem_socket("mem_socket")
    {
        SC_THREAD(cpu_thread);
    }
    void cpu_thread()
    {
        result = entry(this, arg);
        done = true;
        sc_stop();
    }
    int reg(bool write, uint32_t addr, uint32_t *val)
    {
        if (accel->stopped)
            return -2;
        tlm::tlm_generic_payload t;
        uint32_t data = write ? *val : 0;
        t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        t.set_address(addr);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&data));
        t.set_data_length(4);
        t.set_streaming_width(4);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = SC_ZERO_TIME;
        reg_socket->b_transport(t, delay);
        wait(delay);  // the CPU spends the annotated time
        if (accel->stopped)
            return -2;
        if (!write)
            *val = data;
        return t.get_response_status() == tlm::TLM_OK_RESPONSE ? 0 : -1;
    }
    int dbg(bool write, uint64_t addr, void *p, size_t len)
    {
        tlm::tlm_generic_payload t;
        t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        t.set_address(addr);
        t.set_data_ptr(static_cast<unsigned char *>(p));
        t.set_data_length((unsigned)len);
        t.set_streaming_width((unsigned)len);
        return mem_socket->transport_dbg(t) == len ? 0 : -1;
    }
};

// libsystemc expects the application to provide sc_main; this library drives
// the kernel through bc_vp_run instead, so a weak stand-in satisfies the link.
__attribute__((weak)) int sc_main(int, char **)
{
    std::fprintf(stderr, "bc_vp: sc_main is not used; call bc_vp_run\n");
    return 1;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

extern "C" void bc_vp_config_default(bc_vp_config_t *cfg)
{
    std::memset(cfg, 0, sizeof *cfg);
    bc_sim_config_default(&cfg->sim);
    cfg->clock_hz = 200e6;
    cfg->reg_access_ns = 40;
    cfg->dram_latency_ns = 60;
    cfg->dram_bytes_per_ns = 1.6;  // 8 bytes per 5 ns cycle
}

static bool g_vp_used = false;

extern "C" int bc_vp_run(const bc_vp_config_t *cfg, int (*entry)(bc_vp_t *, void *), void *arg, char *err,
                         size_t errlen)
{
    if (!cfg || !entry) {
        set_err(err, errlen, "bc_vp_run: config and entry must not be NULL");
        return -1;
    }
    if (g_vp_used) {
        set_err(err, errlen, "bc_vp_run: SystemC can elaborate only once per process; run the VP in its own process");
        return -1;
    }
    if (!(cfg->clock_hz >= 1e3 && cfg->clock_hz <= 10e9)) {
        set_err(err, errlen, "bc_vp_run: clock_hz=%g must be 1e3..1e10", cfg->clock_hz);
        return -1;
    }
    if (!(cfg->dram_bytes_per_ns > 0.0 && cfg->dram_bytes_per_ns <= 1000.0)) {
        set_err(err, errlen, "bc_vp_run: dram_bytes_per_ns=%g must be in (0, 1000]", cfg->dram_bytes_per_ns);
        return -1;
    }
    if (cfg->dram_latency_ns > 1000000 || cfg->reg_access_ns > 1000000) {
        set_err(err, errlen, "bc_vp_run: dram_latency_ns=%u / reg_access_ns=%u above 1 ms", cfg->dram_latency_ns,
                cfg->reg_access_ns);
        return -1;
    }
    g_vp_used = true;
    setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);  // "stopped by user"

    Dram *dram = new Dram("dram", cfg->sim.mem_bytes, cfg->dram_latency_ns, cfg->dram_bytes_per_ns);
    dram->err_lo = cfg->sim.err_lo;
    dram->err_hi = cfg->sim.err_hi;
    dram->err_kind = cfg->sim.err_kind;
    Accel *accel = new Accel("bitcycle", cfg->clock_hz, cfg->reg_access_ns);
    bc_vp *cpu = new bc_vp("cpu");
    cpu->entry = entry;
    cpu->arg = arg;
    cpu->accel = accel;
    cpu->dram = dram;
    // DRAM timing comes from the TLM target; the AXI port adds one cycle.
    bc_sim_config_t sc = cfg->sim;
    sc.rd_latency = 1;
    sc.wr_latency = 1;
    sc.bytes_per_cycle = 0;  // one beat per cycle at the model's bus width
    accel->sim = bc_sim_create_with_backend(&sc, &accel->backend, err, errlen);
    if (!accel->sim)
        return -1;
    // two initiators reach the DRAM: the accelerator and the CPU (debug only);
    // the CPU's socket goes through a tiny router to the same memory.
    accel->mem_socket.bind(dram->socket);
    struct DbgRouter : sc_module {
        tlm_utils::simple_target_socket<DbgRouter> in;
        Dram *d;
        DbgRouter(sc_module_name n, Dram *dr) : sc_module(n), in("in"), d(dr)
        {
            in.register_transport_dbg(this, &DbgRouter::dbg);
            in.register_b_transport(this, &DbgRouter::bt);
        }
        unsigned dbg(tlm::tlm_generic_payload &t) { return d->transport_dbg(t); }
        void bt(tlm::tlm_generic_payload &t, sc_time &delay) { d->b_transport(t, delay); }
    };
    DbgRouter *router = new DbgRouter("cpu_mem", dram);
    cpu->mem_socket.bind(router->in);
    cpu->reg_socket.bind(accel->reg_socket);

    sc_start();
    int rc = cpu->result;
    if (accel->stopped && !accel->stop_msg.empty()) {
        set_err(err, errlen, "bc_vp_run: %s", accel->stop_msg.c_str());
        rc = -1;
    } else if (!cpu->done) {
        set_err(err, errlen, "bc_vp_run: simulation ended before the entry point returned");
        rc = -1;
    }
    bc_sim_destroy(accel->sim);
    accel->sim = nullptr;
    return rc;
}

extern "C" int bc_vp_reg_read(bc_vp_t *vp, uint32_t addr, uint32_t *val)
{
    uint32_t v = 0;
    int rc = vp->reg(false, addr, &v);
    if (val)
        *val = v;
    return rc;
}

extern "C" int bc_vp_reg_write(bc_vp_t *vp, uint32_t addr, uint32_t val)
{
    return vp->reg(true, addr, &val);
}

extern "C" int bc_vp_mem_read(bc_vp_t *vp, uint64_t addr, void *dst, size_t len)
{
    return vp->dbg(false, addr, dst, len);
}

extern "C" int bc_vp_mem_write(bc_vp_t *vp, uint64_t addr, const void *src, size_t len)
{
    return vp->dbg(true, addr, const_cast<void *>(src), len);
}

extern "C" int bc_vp_wait_irq(bc_vp_t *vp, uint64_t timeout_ns)
{
    Accel *a = vp->accel;
    if (a->stopped)
        return -1;
    if (a->irq.read())
        return 0;
    sc_time until = sc_time_stamp() + sc_time((double)timeout_ns, SC_NS);
    while (!a->irq.read() && !a->stopped) {
        sc_time now = sc_time_stamp();
        if (now >= until)
            return 1;
        wait(until - now, a->irq_rise | a->stopped_ev);
    }
    if (a->stopped)
        return -1;
    return 0;
}

extern "C" uint64_t bc_vp_now_ns(bc_vp_t *)
{
    return (uint64_t)(sc_time_stamp().to_seconds() * 1e9 + 0.5);
}

extern "C" uint64_t bc_vp_cycles(bc_vp_t *vp)
{
    return bc_sim_cycles(vp->accel->sim);
}

extern "C" uint8_t *bc_vp_mem_ptr(bc_vp_t *vp, size_t *len)
{
    if (len)
        *len = vp->dram->mem.size();
    return vp->dram->mem.data();
}
