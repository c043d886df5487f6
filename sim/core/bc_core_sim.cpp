// Thin Verilator glue for bc_core_top, exported as a C ABI (see bc_core_sim.h).
#include "bc_core_sim.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "Vbc_core_top.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#ifndef BC_DM
#error "BC_DM and the other geometry macros must match the -G parameters of the model"
#endif

struct bc_core_sim {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vbc_core_top> top;
    std::unique_ptr<VerilatedFstC> trace;
    uint64_t cycle = 0;
    uint64_t trace_time = 0;    // half cycles since creation (cycle restarts after reset)
    std::vector<bc_core_job_rec_t> recs;
    size_t next_offer = 0;      // first record not yet accepted
    size_t done_count = 0;      // records whose done pulse was seen
    unsigned next_slot = 0;     // ring slot of the next job's first tile
    unsigned stall_period = 0, stall_len = 0;
    bool passes_seen = false;
    uint64_t last_pass = 0, max_gap = 0;
    std::string err;
};

static constexpr unsigned kIdMask = 0xffffu;

static void tick(bc_core_sim_t *s)
{
    Vbc_core_top *t = s->top.get();
    t->clk_i = 1;
    t->eval();
    if (s->trace) s->trace->dump(++s->trace_time);
    t->clk_i = 0;
    s->cycle++;
    t->eval();
    if (s->trace) s->trace->dump(++s->trace_time);
}

static void idle_inputs(Vbc_core_top *t)
{
    t->job_valid_i = 0;
    t->abuf_we_i = 0;
    t->bbuf_we_i = 0;
}

extern "C" bc_core_sim_t *bc_core_sim_create(const char *trace_path, char *err, size_t errlen)
{
    auto *s = new bc_core_sim();
    s->ctx.reset(new VerilatedContext());
    s->top.reset(new Vbc_core_top(s->ctx.get(), "bc_core_top"));
    if (trace_path) {
        s->ctx->traceEverOn(true);
        s->trace.reset(new VerilatedFstC());
        s->top->trace(s->trace.get(), 99);
        s->trace->open(trace_path);
        if (!s->trace->isOpen()) {
            if (err && errlen) std::snprintf(err, errlen, "cannot open trace file %s", trace_path);
            delete s;
            return nullptr;
        }
    }
    Vbc_core_top *t = s->top.get();
    idle_inputs(t);
    t->res_stall_i = 0;
    t->clk_i = 0;
    t->rst_ni = 0;
    t->eval();
    if (s->trace) s->trace->dump(0);
    tick(s);
    tick(s);
    t->rst_ni = 1;
    t->eval();
    s->cycle = 0;
    return s;
}

extern "C" void bc_core_sim_destroy(bc_core_sim_t *s)
{
    if (!s) return;
    if (s->trace) s->trace->close();
    s->top->final();
    delete s;
}

extern "C" void bc_core_sim_geometry(const bc_core_sim_t *, bc_core_geom_t *g)
{
    g->dm = BC_DM;
    g->dn = BC_DN;
    g->dk = BC_DK;
    g->max_bits = BC_MAX_BITS;
    g->max_kc = BC_MAX_KC;
    g->abuf_words = BC_ABUF_WORDS;
    g->bbuf_words = BC_BBUF_WORDS;
    g->res_tiles = BC_RES_TILES;
}

extern "C" const char *bc_core_sim_last_error(const bc_core_sim_t *s) { return s->err.c_str(); }

static int fail(bc_core_sim_t *s, const std::string &msg)
{
    s->err = msg;
    return -1;
}

// One clock cycle: drive inputs, sample the handshakes and events, then the edge.
static void cycle(bc_core_sim_t *s)
{
    Vbc_core_top *t = s->top.get();
    t->res_stall_i = (s->stall_period && (s->cycle % s->stall_period) < s->stall_len) ? 1 : 0;
    bool offer = s->next_offer < s->recs.size();
    if (offer) {
        const bc_core_job_t &j = s->recs[s->next_offer].job;
        t->job_valid_i = 1;
        t->job_m_i = j.m;
        t->job_n_i = j.n;
        t->job_k_i = j.k;
        t->job_wbits_i = j.wbits;
        t->job_abits_i = j.abits;
        t->job_wsigned_i = j.wsigned;
        t->job_asigned_i = j.asigned;
        t->job_a_off_i = j.a_off;
        t->job_b_off_i = j.b_off;
        t->job_id_i = (uint32_t)(s->next_offer & kIdMask);
    } else {
        t->job_valid_i = 0;
    }
    t->eval();
    if (offer && t->job_ready_o) {
        s->recs[s->next_offer].accepted = true;
        s->recs[s->next_offer].accept_cycle = s->cycle;
        s->next_offer++;
    }
    // Ids are record indices modulo 2^16; at most one in-flight record matches.
    auto find = [s](unsigned id) -> bc_core_job_rec_t * {
        for (size_t i = s->recs.size(); i-- > 0;)
            if ((i & kIdMask) == id && s->recs[i].accepted && !s->recs[i].done) return &s->recs[i];
        return nullptr;
    };
    if (t->evt_compute_o) {
        if (s->passes_seen && s->cycle - s->last_pass - 1 > s->max_gap)
            s->max_gap = s->cycle - s->last_pass - 1;
        s->passes_seen = true;
        s->last_pass = s->cycle;
        if (bc_core_job_rec_t *r = find(t->pass_job_id_o)) {
            if (t->evt_job_start_o) {
                r->started = true;
                r->first_pass_cycle = s->cycle;
            }
            r->last_pass_cycle = s->cycle;
        }
    }
    if (t->job_done_o) {
        if (bc_core_job_rec_t *r = find(t->job_done_id_o)) {
            r->done = true;
            s->done_count++;
            r->overflow = t->job_done_ovf_o;
            r->done_cycle = s->cycle;
        }
    }
    tick(s);
}

static int write_word(bc_core_sim_t *s, bool is_a, unsigned bank, unsigned addr, uint64_t word)
{
    Vbc_core_top *t = s->top.get();
    if (is_a ? (bank >= BC_DM || addr >= BC_ABUF_WORDS) : (bank >= BC_DN || addr >= BC_BBUF_WORDS))
        return fail(s, std::string(is_a ? "A" : "B") + " buffer write: bank " + std::to_string(bank) +
                           " addr " + std::to_string(addr) + " out of range");
    if (is_a) {
        t->abuf_we_i = 1;
        t->abuf_bank_i = bank;
        t->abuf_addr_i = addr;
        t->abuf_wdata_i = word;
    } else {
        t->bbuf_we_i = 1;
        t->bbuf_bank_i = bank;
        t->bbuf_addr_i = addr;
        t->bbuf_wdata_i = word;
    }
    cycle(s);
    t->abuf_we_i = 0;
    t->bbuf_we_i = 0;
    return 0;
}

extern "C" int bc_core_sim_write_a(bc_core_sim_t *s, unsigned bank, unsigned addr, uint64_t word)
{
    return write_word(s, true, bank, addr, word);
}

extern "C" int bc_core_sim_write_b(bc_core_sim_t *s, unsigned bank, unsigned addr, uint64_t word)
{
    return write_word(s, false, bank, addr, word);
}

extern "C" int bc_core_sim_push_job(bc_core_sim_t *s, const bc_core_job_t *j)
{
    const unsigned max_k = BC_MAX_KC * BC_DK;
    if (j->m < 1 || j->m > 4096) return fail(s, "job.m = " + std::to_string(j->m) + " not in 1..4096");
    if (j->n < 1 || j->n > 4096) return fail(s, "job.n = " + std::to_string(j->n) + " not in 1..4096");
    if (j->k < 1 || j->k > max_k)
        return fail(s, "job.k = " + std::to_string(j->k) + " not in 1.." + std::to_string(max_k));
    if (j->wbits < 1 || j->wbits > BC_MAX_BITS) return fail(s, "job.wbits = " + std::to_string(j->wbits) + " not in 1..16");
    if (j->abits < 1 || j->abits > BC_MAX_BITS) return fail(s, "job.abits = " + std::to_string(j->abits) + " not in 1..16");
    unsigned kc = (j->k + BC_DK - 1) / BC_DK;
    unsigned mt = (j->m + BC_DM - 1) / BC_DM, nt = (j->n + BC_DN - 1) / BC_DN;
    if ((uint64_t)j->a_off + (uint64_t)mt * kc * j->wbits > BC_ABUF_WORDS)
        return fail(s, "job.a_off/m/k/wbits: A operand does not fit in the A buffer");
    if ((uint64_t)j->b_off + (uint64_t)nt * kc * j->abits > BC_BBUF_WORDS)
        return fail(s, "job.b_off/n/k/abits: B operand does not fit in the B buffer");
    if ((uint64_t)mt * nt > BC_RES_TILES)
        return fail(s, "job.m/n: " + std::to_string(mt * nt) + " result tiles exceed the result buffer (" +
                           std::to_string(BC_RES_TILES) + ")");
    bc_core_job_rec_t r;
    std::memset(&r, 0, sizeof r);
    r.job = *j;
    r.tiles = mt * nt;
    r.first_slot = s->next_slot;
    s->next_slot = (s->next_slot + r.tiles) % BC_RES_TILES;
    s->recs.push_back(r);
    return (int)(s->recs.size() - 1);
}

static bool all_done(const bc_core_sim_t *s) { return s->done_count == s->recs.size(); }

extern "C" int bc_core_sim_run(bc_core_sim_t *s, uint64_t max_cycles)
{
    uint64_t end = s->cycle + max_cycles;
    while (s->cycle < end) {
        if (all_done(s) && s->top->idle_o) return 0;
        cycle(s);
    }
    s->err = "timeout after " + std::to_string(max_cycles) + " cycles";
    return 1;
}

extern "C" void bc_core_sim_step(bc_core_sim_t *s, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) cycle(s);
}

extern "C" int bc_core_sim_job(const bc_core_sim_t *s, unsigned idx, bc_core_job_rec_t *out)
{
    if (idx >= s->recs.size()) return -1;
    *out = s->recs[idx];
    return 0;
}

extern "C" int32_t bc_core_sim_result(bc_core_sim_t *s, unsigned idx, unsigned row, unsigned col)
{
    if (idx >= s->recs.size() || row >= s->recs[idx].job.m || col >= s->recs[idx].job.n) {
        s->err = "result: job " + std::to_string(idx) + " element (" + std::to_string(row) + ", " +
                 std::to_string(col) + ") does not exist";
        return 0;
    }
    const bc_core_job_rec_t &r = s->recs[idx];
    unsigned nt = (r.job.n + BC_DN - 1) / BC_DN;
    unsigned tile = (row / BC_DM) * nt + col / BC_DN;
    Vbc_core_top *t = s->top.get();
    t->res_rd_slot_i = (r.first_slot + tile) % BC_RES_TILES;
    t->res_rd_elem_i = (row % BC_DM) * BC_DN + col % BC_DN;
    t->eval();
    return (int32_t)t->res_rd_data_o;
}

extern "C" void bc_core_sim_counters(bc_core_sim_t *s, bc_core_counters_t *c)
{
    Vbc_core_top *t = s->top.get();
    t->eval();
    c->busy = t->cnt_busy_o;
    c->compute = t->cnt_compute_o;
    c->stall = t->cnt_stall_o;
    c->passes = t->cnt_passes_o;
    c->dpu_active = t->cnt_dpu_active_o;
    c->abuf_rd = t->cnt_abuf_rd_o;
    c->bbuf_rd = t->cnt_bbuf_rd_o;
    c->abuf_wr = t->cnt_abuf_wr_o;
    c->bbuf_wr = t->cnt_bbuf_wr_o;
    c->tiles = t->cnt_tiles_o;
    c->jobs = t->cnt_jobs_o;
    c->switches = t->cnt_switches_o;
}

extern "C" uint64_t bc_core_sim_cycles(const bc_core_sim_t *s) { return s->cycle; }

extern "C" void bc_core_sim_set_stall(bc_core_sim_t *s, unsigned period, unsigned len)
{
    s->stall_period = period;
    s->stall_len = len;
}

extern "C" uint64_t bc_core_sim_max_pass_gap(const bc_core_sim_t *s) { return s->max_gap; }
