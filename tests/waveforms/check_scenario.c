/* Check a scenario trace against the scenario's own log of submitted jobs
 * (SCENARIO.jobs, written by waveforms/scenarios.c from the JOB_* register writes).
 * The expected switches come from that log alone: consecutive valid jobs whose
 * (wbits, abits, wsigned, asigned) differ.
 * Usage: check_scenario TRACE JOBS   -> "check NAME: N passed, M failed" */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wave_switch.h"

#define MAX_JOBS 4096

typedef struct job {
    unsigned id;
    wave_prec_t p;
    bool valid;
} job_t;

static unsigned passed, failed;

static void check(bool ok, const char *what, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char *what, ...)
{
    va_list ap;
    va_start(ap, what);
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL: ");
        vfprintf(stderr, what, ap);
        fprintf(stderr, "\n");
    }
    va_end(ap);
}

static bool same_prec(const wave_prec_t *a, const wave_prec_t *b)
{
    return a->wbits == b->wbits && a->abits == b->abits && a->wsigned == b->wsigned && a->asigned == b->asigned;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: check_scenario TRACE JOBS\n");
        return 2;
    }
    const char *trace = argv[1], *jobs_path = argv[2];
    FILE *fp = fopen(jobs_path, "r");
    if (!fp) {
        perror(jobs_path);
        return 1;
    }
    static job_t jobs[MAX_JOBS];
    size_t nj = 0;
    char name[64] = "?", line[512];
    int promise = 0;
    unsigned long long w_start = 0, w_end = 0, w_trig = 0, err_job = 0, hw_switches = 0, hw_jobs = 0;
    bool have_hw = false;
    bool have_err = false;
    unsigned lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        unsigned id, wb, ab, ws, as;
        int valid;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "scenario %63s", name) == 1 || sscanf(line, "promise_zero_idle %d", &promise) == 1 ||
            sscanf(line, "window %llu %llu %llu", &w_start, &w_end, &w_trig) == 3)
            continue;
        if (sscanf(line, "hw_switches %llu", &hw_switches) == 1 || sscanf(line, "hw_jobs %llu", &hw_jobs) == 1) {
            have_hw = true;
            continue;
        }
        if (sscanf(line, "err_job_id %llu", &err_job) == 1) {
            have_err = true;
            continue;
        }
        if (sscanf(line, "job %u %u %u %u %u %d", &id, &wb, &ab, &ws, &as, &valid) == 6) {
            if (nj == MAX_JOBS) {
                fprintf(stderr, "%s:%u: too many jobs\n", jobs_path, lineno);
                fclose(fp);
                return 1;
            }
            jobs[nj++] = (job_t){id, {wb, ab, ws != 0, as != 0}, valid != 0};
        }
    }
    fclose(fp);
    bool windowed = w_start || w_end || w_trig;

    /* Expected switches from the job log. */
    static job_t exp_old[MAX_JOBS], exp_new[MAX_JOBS];
    size_t ne = 0, nvalid = 0;
    const job_t *prev = NULL;
    for (size_t i = 0; i < nj; i++) {
        if (!jobs[i].valid)
            continue;
        nvalid++;
        if (prev && !same_prec(&prev->p, &jobs[i].p)) {
            exp_old[ne] = *prev;
            exp_new[ne] = jobs[i];
            ne++;
        }
        prev = &jobs[i];
    }
    const size_t ne_all = ne;
    check(nj > 0, "%s: the job log lists jobs", name);
    check(ne > 0, "%s: the scenario switches precision at least once", name);

    wave_switch_opts_t o = {.window = 64};
    wave_switch_result_t r;
    char err[1024];
    if (wave_switches_file(trace, &o, &r, err, sizeof err)) {
        check(false, "%s: extracting switches: %s", name, err);
        printf("check %s: %u passed, %u failed\n", name, passed, failed);
        return 1;
    }
    /* A start/end window shows a contiguous run of the switches; a trigger window all of them. */
    size_t off = 0;
    if ((w_start || w_end) && r.nsw > 0) {
        while (off < ne && exp_new[off].id != r.sw[0].new_job_id)
            off++;
        check(off < ne && off + r.nsw <= ne, "%s: the windowed trace's switches are a run of the job log's", name);
        if (off + r.nsw > ne)
            off = 0;
        check(r.nsw > 0 && r.nsw < ne, "%s: the cycle window keeps some but not all %zu switches (kept %zu)", name,
              ne, r.nsw);
        memmove(exp_old, exp_old + off, (ne - off) * sizeof exp_old[0]);
        memmove(exp_new, exp_new + off, (ne - off) * sizeof exp_new[0]);
        ne = r.nsw < ne - off ? r.nsw : ne - off;
    }
    check(r.nsw == ne, "%s: %zu switches in the trace, %zu in the job log", name, r.nsw, ne);
    /* The hardware's own counters (CNT_SWITCHES, CNT_JOBS) over the run agree with the job log. */
    if (have_hw) {
        check(hw_switches == ne_all, "%s: CNT_SWITCHES counted %llu switches, the job log implies %zu", name,
              hw_switches, ne_all);
        check(hw_jobs == nvalid, "%s: CNT_JOBS counted %llu jobs, %zu valid jobs were submitted", name, hw_jobs, nvalid);
    }
    if (!windowed)
        check(r.jobs == nvalid, "%s: %llu job starts in the trace, %zu valid jobs submitted", name,
              (unsigned long long)r.jobs, nvalid);
    bool any_stall = false;
    for (size_t i = 0; i < r.nsw && i < ne; i++) {
        const wave_switch_t *s = &r.sw[i];
        char a[24], b[24], c[24], d[24];
        wave_prec_str(&s->old_prec, a, sizeof a);
        wave_prec_str(&s->new_prec, b, sizeof b);
        wave_prec_str(&exp_old[i].p, c, sizeof c);
        wave_prec_str(&exp_new[i].p, d, sizeof d);
        check(same_prec(&s->old_prec, &exp_old[i].p) && same_prec(&s->new_prec, &exp_new[i].p),
              "%s: switch %zu is %s -> %s, the job log says %s -> %s", name, i + 1, a, b, c, d);
        check(s->old_job_id == exp_old[i].id && s->new_job_id == exp_new[i].id,
              "%s: switch %zu between jobs %llu -> %llu, the job log says %u -> %u", name, i + 1,
              (unsigned long long)s->old_job_id, (unsigned long long)s->new_job_id, exp_old[i].id, exp_new[i].id);
        if (!windowed)
            check(s->idle_cycles >= 0, "%s: switch %zu has a known idle count", name, i + 1);
        if (promise)
            check(s->idle_cycles == 0, "%s: switch %zu (%s -> %s, queued back to back) has %lld idle cycles, "
                  "the design promises 0", name, i + 1, a, b, (long long)s->idle_cycles);
        if (s->stall_cycles > 0)
            any_stall = true;
        if (have_err)
            check(s->old_job_id != err_job && s->new_job_id != err_job,
                  "%s: the rejected job %llu never starts", name, err_job);
    }
    if (!strcmp(name, "stall"))
        check(any_stall, "%s: memory stalls within +-64 cycles of a switch", name);
    wave_switch_result_free(&r);
    printf("check %s: %u passed, %u failed\n", name, passed, failed);
    return failed ? 1 : 0;
}
