// AXI4 slave memory model (64- to 512-bit data, INCR bursts, single ID, in order)
// and the AXI protocol checker. Pin-level, cycle-based, shared by the C-ABI harness and the
// SystemC virtual platform; the storage behind it is a pluggable backend.
#ifndef BC_AXI_MEM_H
#define BC_AXI_MEM_H
#include <cstdint>
#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace bcsim {

// Widest data bus the model supports, in bytes (512 bits).
constexpr unsigned AXI_MAX_BYTES = 64;

// What the master (bitcycle_top) drives this cycle.
struct AxiMasterPins {
    bool arvalid = false; uint32_t araddr = 0; uint8_t arlen = 0, arsize = 0, arburst = 0;
    bool rready = false;
    bool awvalid = false; uint32_t awaddr = 0; uint8_t awlen = 0, awsize = 0, awburst = 0;
    bool wvalid = false; uint8_t wdata[AXI_MAX_BYTES] = {}; uint64_t wstrb = 0; bool wlast = false;
    bool bready = false;
};

// What the memory drives this cycle.
struct AxiSlavePins {
    bool arready = false;
    bool rvalid = false; uint8_t rdata[AXI_MAX_BYTES] = {}; uint8_t rresp = 0; bool rlast = false;
    bool awready = false;
    bool wready = false;
    bool bvalid = false; uint8_t bresp = 0;
};

// Storage and timing behind the port. A beat is `bytes` bytes at a beat-aligned
// address (strb bit b enables byte b); the result is the AXI response (0 OKAY,
// 2 SLVERR, 3 DECERR).
class MemBackend {
public:
    virtual ~MemBackend() = default;
    virtual uint8_t read_beat(uint64_t addr, uint8_t *data, unsigned bytes) = 0;
    virtual uint8_t write_beat(uint64_t addr, const uint8_t *data, uint64_t strb, unsigned bytes) = 0;
    // Extra cycles a burst of `bytes` costs beyond the port's own latency (VP: TLM delay).
    virtual uint64_t burst_delay(bool write, uint64_t addr, unsigned bytes) {
        (void)write; (void)addr; (void)bytes;
        return 0;
    }
};

// Flat byte array with bus-error injection.
class FlatMemory : public MemBackend {
public:
    FlatMemory(size_t bytes) : mem_(bytes, 0) {}
    uint8_t read_beat(uint64_t addr, uint8_t *data, unsigned bytes) override;
    uint8_t write_beat(uint64_t addr, const uint8_t *data, uint64_t strb, unsigned bytes) override;
    bool in_range(uint64_t addr, size_t len) const { return addr <= mem_.size() && len <= mem_.size() - addr; }
    uint8_t *bytes() { return mem_.data(); }
    size_t size() const { return mem_.size(); }
    uint32_t err_lo = 0, err_hi = 0;
    int err_kind = 0;  // 0 off, 1 reads, 2 writes, 3 both
private:
    std::vector<uint8_t> mem_;
};

struct MemTiming {
    unsigned rd_latency = 10, wr_latency = 10;
    unsigned bus_bytes = 8;        // data bus width in bytes (8..AXI_MAX_BYTES)
    unsigned bytes_per_cycle = 0;  // bandwidth cap; 0 = one beat per cycle
    double stall_prob = 0.0;
    uint64_t seed = 1;
    int fault = 0;  // test hooks: 1 early RLAST, 2 early BVALID
};

class AxiMemPort {
public:
    AxiMemPort(MemBackend *backend, const MemTiming &t);
    // Outputs for the current cycle (stable until tick()).
    const AxiSlavePins &pins() const { return out_; }
    // Clock edge: handshakes are valid&&ready of the pins both sides drove this cycle.
    void tick(const AxiMasterPins &m, uint64_t cycle);
    bool idle() const { return rq_.empty() && wq_.empty() && bq_.empty(); }
    void set_fault(int kind) { t_.fault = kind; }
    uint64_t rd_beats = 0, wr_beats = 0;

private:
    struct RBurst { uint32_t addr; unsigned beats, sent; uint64_t ready_at; };
    struct WBurst { uint32_t addr; unsigned beats, got; uint8_t resp; };
    struct BResp { uint8_t resp; uint64_t ready_at; };
    bool stall();
    MemBackend *be_;
    MemTiming t_;
    AxiSlavePins out_;
    std::deque<RBurst> rq_;
    std::deque<WBurst> wq_;
    std::deque<BResp> bq_;
    uint64_t rng_;
    unsigned tokens_ = 0;  // bandwidth bucket in bytes
    bool w_turn_ = false;  // read/write alternation when bandwidth is short
};

// Checks the AXI4 master/slave rules on every cycle: VALID held until READY,
// payload stable while waiting, INCR bursts of the bus size without 4 KiB
// crossings, WLAST/RLAST on the right beat, no response without a request.
// Also checks the AXI4-Lite register port. The first violation is kept.
struct AxiLitePins {
    bool awvalid, awready; uint32_t awaddr;
    bool wvalid, wready; uint32_t wdata; uint8_t wstrb;
    bool bvalid, bready; uint8_t bresp;
    bool arvalid, arready; uint32_t araddr;
    bool rvalid, rready; uint32_t rdata; uint8_t rresp;
};

class AxiChecker {
public:
    explicit AxiChecker(unsigned bus_bytes = 8) : bus_bytes_(bus_bytes) {}
    // Call once per cycle with the values both sides drive before the clock edge.
    void check(const AxiMasterPins &m, const AxiSlavePins &s, const AxiLitePins &l, uint64_t cycle);
    bool failed() const { return !error_.empty(); }
    const std::string &error() const { return error_; }

private:
    void fail(uint64_t cycle, const std::string &msg);
    struct Prev { bool valid = false, ready = false; uint64_t p0 = 0, p1 = 0; };
    void hold(Prev &p, bool valid, bool ready, uint64_t p0, uint64_t p1, const char *vname,
              const char *rname, const char *pname, uint64_t cycle);
    Prev ar_, r_, aw_, w_, b_, lar_, lr_, law_, lw_, lb_;
    std::deque<unsigned> r_expect_;       // beats of accepted AR bursts
    unsigned r_beat_ = 0;
    std::deque<unsigned> w_expect_;       // beats of accepted AW bursts not yet written
    unsigned w_beat_ = 0;
    std::deque<unsigned> w_early_;        // W bursts completed before their AW
    unsigned w_done_ = 0;                 // bursts with all W beats, waiting for B
    std::string error_;
    unsigned bus_bytes_;
};

}  // namespace bcsim
#endif
