// AXI4 memory model and protocol checker; see bc_axi_mem.h.
#include "bc_axi_mem.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace bcsim {

static const uint8_t RESP_OKAY = 0, RESP_SLVERR = 2, RESP_DECERR = 3;

uint8_t FlatMemory::read_beat(uint64_t addr, uint8_t *data, unsigned bytes)
{
    std::memset(data, 0, bytes);
    if (!in_range(addr, bytes))
        return RESP_DECERR;
    if ((err_kind & 1) && addr + bytes - 1 >= err_lo && addr <= err_hi)
        return RESP_SLVERR;
    std::memcpy(data, &mem_[addr], bytes);
    return RESP_OKAY;
}

uint8_t FlatMemory::write_beat(uint64_t addr, const uint8_t *data, uint64_t strb, unsigned bytes)
{
    if (!in_range(addr, bytes))
        return RESP_DECERR;
    if ((err_kind & 2) && addr + bytes - 1 >= err_lo && addr <= err_hi)
        return RESP_SLVERR;
    for (unsigned b = 0; b < bytes; b++)
        if ((strb >> b) & 1u)
            mem_[addr + b] = data[b];
    return RESP_OKAY;
}

AxiMemPort::AxiMemPort(MemBackend *backend, const MemTiming &t) : be_(backend), t_(t)
{
    rng_ = t.seed * 0x9E3779B97F4A7C15ull + 0x1234567ull;
    if (!rng_)
        rng_ = 1;
    if (t_.bus_bytes < 8 || t_.bus_bytes > AXI_MAX_BYTES)
        t_.bus_bytes = 8;
    if (t_.bytes_per_cycle == 0 || t_.bytes_per_cycle > t_.bus_bytes)
        t_.bytes_per_cycle = t_.bus_bytes;
    tokens_ = t_.bus_bytes;
    out_.arready = true;
    out_.awready = true;
}

bool AxiMemPort::stall()
{
    if (t_.stall_prob <= 0.0)
        return false;
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    return (double)(rng_ >> 11) * (1.0 / 9007199254740992.0) < t_.stall_prob;
}

void AxiMemPort::tick(const AxiMasterPins &m, uint64_t cycle)
{
    const bool ar_fire = m.arvalid && out_.arready;
    const bool r_fire = out_.rvalid && m.rready;
    const bool aw_fire = m.awvalid && out_.awready;
    const bool w_fire = m.wvalid && out_.wready;
    const bool b_fire = out_.bvalid && m.bready;
    const uint64_t next = cycle + 1;
    const unsigned bb = t_.bus_bytes;

    // bandwidth bucket (shared by read and write beats)
    tokens_ += t_.bytes_per_cycle;
    if (tokens_ > 2 * bb)
        tokens_ = 2 * bb;
    if (w_fire)
        tokens_ = tokens_ >= bb ? tokens_ - bb : 0;  // WREADY promised a beat's worth

    if (ar_fire) {
        unsigned beats = (unsigned)m.arlen + 1;
        uint64_t extra = be_->burst_delay(false, m.araddr, beats * bb);
        rq_.push_back(RBurst{m.araddr, beats, 0, cycle + t_.rd_latency + extra});
    }
    if (r_fire) {
        rd_beats++;
        RBurst &rb = rq_.front();
        rb.sent++;
        if (rb.sent == rb.beats || (t_.fault == 1 && out_.rlast))
            rq_.pop_front();
    }
    if (aw_fire)
        wq_.push_back(WBurst{m.awaddr, (unsigned)m.awlen + 1, 0, RESP_OKAY});
    if (w_fire) {
        wr_beats++;
        WBurst &wb = wq_.front();
        uint8_t resp = be_->write_beat((uint64_t)wb.addr + (uint64_t)wb.got * bb, m.wdata, m.wstrb, bb);
        if (resp > wb.resp)
            wb.resp = resp;
        wb.got++;
        if (t_.fault == 2 && wb.got == 1) {
            bq_.push_back(BResp{wb.resp, next});
            t_.fault = 0;
        }
        if (wb.got == wb.beats || m.wlast) {
            uint64_t extra = be_->burst_delay(true, wb.addr, wb.beats * bb);
            bq_.push_back(BResp{wb.resp, cycle + t_.wr_latency + extra});
            wq_.pop_front();
        }
    }
    if (b_fire)
        bq_.pop_front();

    // ---- outputs for the next cycle ----
    out_.arready = rq_.size() < 8 && !stall();
    out_.awready = wq_.size() < 4 && !stall();

    // Reads and writes share the bandwidth bucket. When both want the last beat's
    // worth of tokens, they take turns (a DRAM controller would not starve writes).
    const bool w_wants = !wq_.empty() && m.wvalid;
    bool w_gets = false;
    if (out_.rvalid && !r_fire) {
        // VALID stays up with the same beat until taken
        w_gets = w_wants && tokens_ >= bb;
    } else {
        out_.rvalid = false;
        out_.rlast = false;
        bool r_can = !rq_.empty() && rq_.front().ready_at <= next && tokens_ >= bb && !stall();
        if (r_can && w_wants && tokens_ < 2 * bb) {
            if (w_turn_)
                r_can = false;
            w_turn_ = !w_turn_;
        }
        if (r_can) {
            RBurst &rb = rq_.front();
            uint8_t resp = be_->read_beat((uint64_t)rb.addr + (uint64_t)rb.sent * bb, out_.rdata, bb);
            out_.rvalid = true;
            out_.rresp = resp;
            out_.rlast = (rb.sent + 1 == rb.beats);
            if (t_.fault == 1 && rb.beats >= 2 && rb.sent + 2 == rb.beats)
                out_.rlast = true;
            tokens_ -= bb;
        }
        w_gets = tokens_ >= bb;
    }
    out_.wready = !wq_.empty() && w_gets && !stall();

    if (out_.bvalid && !b_fire) {
        // hold
    } else {
        out_.bvalid = false;
        if (!bq_.empty() && bq_.front().ready_at <= next && !stall()) {
            out_.bvalid = true;
            out_.bresp = bq_.front().resp;
        }
    }
}

// ------------------------------------------------------------------ checker

void AxiChecker::fail(uint64_t cycle, const std::string &msg)
{
    if (!error_.empty())
        return;
    char buf[64];
    std::snprintf(buf, sizeof buf, "AXI protocol violation at cycle %" PRIu64 ": ", cycle);
    error_ = buf + msg;
}

void AxiChecker::hold(Prev &p, bool valid, bool ready, uint64_t p0, uint64_t p1, const char *vname,
                      const char *rname, const char *pname, uint64_t cycle)
{
    if (p.valid && !p.ready) {
        if (!valid)
            fail(cycle, std::string(vname) + " dropped before " + rname);
        else if (p0 != p.p0 || p1 != p.p1)
            fail(cycle, std::string(pname) + " changed while " + vname + " waited for " + rname);
    }
    p.valid = valid;
    p.ready = ready;
    p.p0 = p0;
    p.p1 = p1;
}

// FNV-1a of a beat's bytes: the checker's "payload unchanged" test on wide data.
static uint64_t beat_hash(const uint8_t *d, unsigned n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ d[i]) * 0x100000001b3ull;
    return h;
}

static bool burst_ok(uint32_t addr, uint8_t len, uint8_t size, uint8_t burst, unsigned bus_bytes,
                     std::string *why)
{
    char buf[160];
    unsigned lg = 0;
    while ((1u << lg) < bus_bytes)
        lg++;
    if (burst != 1) {
        std::snprintf(buf, sizeof buf, "burst type %u is not INCR", burst);
        *why = buf;
        return false;
    }
    if (size != lg) {
        std::snprintf(buf, sizeof buf, "size %u is not the %u-bit bus width (%u)", size, bus_bytes * 8, lg);
        *why = buf;
        return false;
    }
    if (addr & (bus_bytes - 1)) {
        std::snprintf(buf, sizeof buf, "address 0x%08x is not aligned to %u bytes", addr, bus_bytes);
        *why = buf;
        return false;
    }
    if ((addr & 0xFFFu) + ((uint32_t)len + 1) * bus_bytes > 0x1000u) {
        std::snprintf(buf, sizeof buf, "burst at 0x%08x of %u beats crosses a 4 KiB boundary", addr,
                      (unsigned)len + 1);
        *why = buf;
        return false;
    }
    return true;
}

void AxiChecker::check(const AxiMasterPins &m, const AxiSlavePins &s, const AxiLitePins &l,
                       uint64_t cycle)
{
    if (failed())
        return;
    hold(ar_, m.arvalid, s.arready, m.araddr | ((uint64_t)m.arlen << 32) | ((uint64_t)m.arsize << 40),
         m.arburst, "ARVALID", "ARREADY", "ARADDR/ARLEN/ARSIZE/ARBURST", cycle);
    hold(r_, s.rvalid, m.rready, beat_hash(s.rdata, bus_bytes_), s.rresp | (s.rlast << 2), "RVALID", "RREADY",
         "RDATA/RRESP/RLAST", cycle);
    hold(aw_, m.awvalid, s.awready, m.awaddr | ((uint64_t)m.awlen << 32) | ((uint64_t)m.awsize << 40),
         m.awburst, "AWVALID", "AWREADY", "AWADDR/AWLEN/AWSIZE/AWBURST", cycle);
    hold(w_, m.wvalid, s.wready, beat_hash(m.wdata, bus_bytes_) ^ (m.wlast ? 0x9E3779B97F4A7C15ull : 0), m.wstrb, "WVALID", "WREADY",
         "WDATA/WSTRB/WLAST", cycle);
    hold(b_, s.bvalid, m.bready, s.bresp, 0, "BVALID", "BREADY", "BRESP", cycle);
    hold(law_, l.awvalid, l.awready, l.awaddr, 0, "S_AXIL_AWVALID", "S_AXIL_AWREADY", "S_AXIL_AWADDR",
         cycle);
    hold(lw_, l.wvalid, l.wready, l.wdata, l.wstrb, "S_AXIL_WVALID", "S_AXIL_WREADY",
         "S_AXIL_WDATA/WSTRB", cycle);
    hold(lb_, l.bvalid, l.bready, l.bresp, 0, "S_AXIL_BVALID", "S_AXIL_BREADY", "S_AXIL_BRESP", cycle);
    hold(lar_, l.arvalid, l.arready, l.araddr, 0, "S_AXIL_ARVALID", "S_AXIL_ARREADY",
         "S_AXIL_ARADDR", cycle);
    hold(lr_, l.rvalid, l.rready, l.rdata, l.rresp, "S_AXIL_RVALID", "S_AXIL_RREADY",
         "S_AXIL_RDATA/RRESP", cycle);
    if (failed())
        return;

    std::string why;
    char buf[160];
    if (m.arvalid && s.arready) {
        if (!burst_ok(m.araddr, m.arlen, m.arsize, m.arburst, bus_bytes_, &why))
            return fail(cycle, "read burst: " + why);
        r_expect_.push_back((unsigned)m.arlen + 1);
    }
    if (s.rvalid && m.rready) {
        if (r_expect_.empty())
            return fail(cycle, "RVALID beat with no outstanding read burst");
        r_beat_++;
        bool last = r_beat_ == r_expect_.front();
        if (s.rlast != last) {
            std::snprintf(buf, sizeof buf, "RLAST=%d on beat %u of a %u-beat read burst", s.rlast ? 1 : 0,
                          r_beat_, r_expect_.front());
            return fail(cycle, buf);
        }
        if (last) {
            r_expect_.pop_front();
            r_beat_ = 0;
        }
    }
    if (m.awvalid && s.awready) {
        if (!burst_ok(m.awaddr, m.awlen, m.awsize, m.awburst, bus_bytes_, &why))
            return fail(cycle, "write burst: " + why);
        unsigned beats = (unsigned)m.awlen + 1;
        if (!w_early_.empty()) {
            if (w_early_.front() != beats) {
                std::snprintf(buf, sizeof buf, "write burst of %u beats (AWLEN) got %u W beats", beats,
                              w_early_.front());
                return fail(cycle, buf);
            }
            w_early_.pop_front();
            w_done_++;
        } else {
            w_expect_.push_back(beats);
        }
    }
    if (m.wvalid && s.wready) {
        w_beat_++;
        if (!w_expect_.empty()) {
            bool last = w_beat_ == w_expect_.front();
            if (m.wlast != last) {
                std::snprintf(buf, sizeof buf, "WLAST=%d on beat %u of a %u-beat write burst",
                              m.wlast ? 1 : 0, w_beat_, w_expect_.front());
                return fail(cycle, buf);
            }
            if (last) {
                w_expect_.pop_front();
                w_beat_ = 0;
                w_done_++;
            }
        } else if (m.wlast) {
            w_early_.push_back(w_beat_);
            w_beat_ = 0;
        }
    }
    if (s.bvalid && m.bready) {
        if (w_done_ == 0)
            return fail(cycle, "BVALID response before the last W beat of its burst");
        w_done_--;
    }
}

}  // namespace bcsim
