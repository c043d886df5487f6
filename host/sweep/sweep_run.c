/* Running sweep points: each point is one `bitcycle estimate` child process
 * (fork + execv of an argv array, never a shell) whose JSON is wrapped into
 * the point's result file, written atomically (mkstemp + rename). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <dirent.h>

#include "cli.h"
#include "sweep.h"

long sweep_spawn(char *const argv[], const char *out_path, const char *err_path, char *err, size_t errlen)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        const char *paths[2] = {out_path, err_path};
        for (int i = 0; i < 2; i++) {
            if (!paths[i])
                continue;
            int fd = open(paths[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, i + 1) < 0)
                _exit(126);
            close(fd);
        }
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, 0);
            close(devnull);
        }
        if (strchr(argv[0], '/'))
            execv(argv[0], argv);
        else
            execvp(argv[0], argv); /* a tool on PATH (sbatch, gnuplot): no shell involved */
        _exit(127);
    }
    return (long)pid;
}

int sweep_wait(long pid)
{
    int st;
    while (waitpid((pid_t)pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static bool mkdirs(const char *path, char *err, size_t errlen)
{
    char buf[1100];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            *p = '\0';
            if (mkdir(buf, 0755) && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create: %s", buf, strerror(errno));
                return false;
            }
            if (end)
                break;
            *p = '/';
        }
    }
    return true;
}

/* Writes text to path through a mkstemp file in the same directory. */
static bool write_atomic(const char *path, const char *text, char *err, size_t errlen)
{
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create a temporary file: %s", path, strerror(errno));
        return false;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n <= 0) {
            snprintf(err, errlen, "%s: write failed: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return false;
        }
        off += (size_t)n;
    }
    if (fchmod(fd, 0644) || close(fd) || rename(tmp, path)) { /* whole or absent; a lost file is rerun */
        snprintf(err, errlen, "%s: cannot write into place: %s", path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}

static char *slurp(const char *path, size_t max)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = calloc(1, max + 1);
    if (buf) {
        size_t n = fread(buf, 1, max, fp);
        buf[n] = '\0';
    }
    fclose(fp);
    return buf;
}

void sweep_result_path(const sweep_t *s, size_t p, char *buf, size_t len)
{
    snprintf(buf, len, "%s/points/p%06zu.json", s->outdir, p);
}

int sweep_result_state(const sweep_t *s, size_t p, char *err, size_t errlen)
{
    char path[1200], key[2048];
    sweep_result_path(s, p, path, sizeof path);
    char *text = slurp(path, 1 << 24);
    if (!text)
        return 0;
    cJSON *r = cJSON_Parse(text);
    free(text);
    if (!r)
        return 0; /* torn writes cannot happen (rename); a damaged file is rerun */
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(r, "sweep_hash"),
                *ch = cJSON_GetObjectItemCaseSensitive(r, "code_hash"),
                *k = cJSON_GetObjectItemCaseSensitive(r, "key"), *st = cJSON_GetObjectItemCaseSensitive(r, "status");
    sweep_point_key(s, p, key, sizeof key);
    int rc = 0;
    if (!cJSON_IsString(sh) || strcmp(sh->valuestring, s->sweep_hash) || !cJSON_IsString(k) ||
        strcmp(k->valuestring, key)) {
        snprintf(err, errlen, "%s holds a result of another sweep file (hash %s, this one %s); use another --output "
                 "or --force to discard it", path, cJSON_IsString(sh) ? sh->valuestring : "?", s->sweep_hash);
        rc = -1;
    } else if (!cJSON_IsString(ch) || strcmp(ch->valuestring, s->code_hash)) {
        snprintf(err, errlen, "%s was made by another bitcycle build (code %s, this one %s); use another --output or "
                 "--force to discard it", path, cJSON_IsString(ch) ? ch->valuestring : "?", s->code_hash);
        rc = -1;
    } else if (cJSON_IsString(st) && !strcmp(st->valuestring, "ok")) {
        rc = 1;
    }
    cJSON_Delete(r);
    return rc;
}

static cJSON *inputs_json(const sweep_t *s, size_t p)
{
    cJSON *in = cJSON_CreateObject();
    for (size_t a = 0; in && a < s->n_axes; a++) {
        const sweep_axis_def_t *d = s->axes[a].def;
        const char *v = sweep_value(s, p, a);
        if (d->type == SWEEP_STR)
            cJSON_AddStringToObject(in, d->name, v);
        else if (d->type == SWEEP_BOOL)
            cJSON_AddBoolToObject(in, d->name, !strcmp(v, "true"));
        else
            cJSON_AddNumberToObject(in, d->name, strtod(v, NULL));
    }
    return in;
}

/* Log of a task: the Slurm log when running as an array task. */
static void task_log(const sweep_t *s, size_t p, const char *own, char *buf, size_t len)
{
    const char *job = getenv("SLURM_ARRAY_JOB_ID"), *task = getenv("SLURM_ARRAY_TASK_ID");
    if (job && task)
        snprintf(buf, len, "%s/slurm/point-%s_%s.out", s->outdir, job, task);
    else
        snprintf(buf, len, "%s", own);
    (void)p;
}

static bool finish_point(const sweep_t *s, size_t p, int status, double seconds, const char *est_path,
                         const char *log_path, char *err, size_t errlen)
{
    char key[2048], path[1200], log[1200];
    sweep_point_key(s, p, key, sizeof key);
    sweep_result_path(s, p, path, sizeof path);
    task_log(s, p, log_path, log, sizeof log);
    cJSON *r = cJSON_CreateObject();
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    cJSON_AddStringToObject(r, "sweep_file", s->path);
    cJSON_AddStringToObject(r, "sweep_hash", s->sweep_hash);
    cJSON_AddStringToObject(r, "code_hash", s->code_hash);
    cJSON_AddNumberToObject(r, "point", (double)p);
    cJSON_AddStringToObject(r, "key", key);
    cJSON_AddItemToObject(r, "inputs", inputs_json(s, p));
    cJSON *est = NULL;
    if (status == 0) {
        char *text = slurp(est_path, 1 << 26);
        est = text ? cJSON_Parse(text) : NULL;
        free(text);
        if (!est)
            status = -2; /* estimate exited 0 without a JSON document */
    }
    cJSON_AddStringToObject(r, "status", status == 0 ? "ok" : "failed");
    cJSON_AddNumberToObject(r, "exit_code", status);
    cJSON_AddNumberToObject(r, "seconds", seconds);
    cJSON_AddStringToObject(r, "log", log);
    if (est) {
        cJSON_AddItemToObject(r, "estimate", est);
    } else {
        char *text = slurp(log_path, 4096);
        cJSON_AddStringToObject(r, "error", text ? text : "");
        free(text);
    }
    char *out = cJSON_Print(r);
    cJSON_Delete(r);
    bool ok = out && write_atomic(path, out, err, errlen);
    free(out);
    unlink(est_path);
    if (status == 0)
        unlink(log_path);
    return ok && status == 0;
}

typedef struct running {
    long pid;
    size_t point;
    double t0;
    char est[1200], log[1200];
} running_t;

static bool start_point(const sweep_t *s, size_t p, running_t *r, char *err, size_t errlen)
{
    snprintf(r->est, sizeof r->est, "%s/points/.p%06zu.est.XXXXXX", s->outdir, p);
    int fd = mkstemp(r->est);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", r->est, strerror(errno));
        return false;
    }
    close(fd);
    snprintf(r->log, sizeof r->log, "%s/logs/p%06zu.log", s->outdir, p);
    char *argv[SWEEP_MAX_ARGS];
    sweep_point_argv(s, p, r->est, argv, SWEEP_MAX_ARGS);
    r->point = p;
    r->t0 = bc_now_seconds();
    r->pid = sweep_spawn(argv, "/dev/null", r->log, err, errlen);
    return r->pid > 0;
}

static bool prepare_dirs(const sweep_t *s, char *err, size_t errlen)
{
    char d[1200];
    snprintf(d, sizeof d, "%s/points", s->outdir);
    if (!mkdirs(d, err, errlen))
        return false;
    snprintf(d, sizeof d, "%s/logs", s->outdir);
    return mkdirs(d, err, errlen) && mkdirs(s->calib_dir, err, errlen);
}

bool sweep_run_point(const sweep_t *s, size_t p, char *err, size_t errlen)
{
    running_t r;
    if (!prepare_dirs(s, err, errlen) || !start_point(s, p, &r, err, errlen))
        return false;
    int st = sweep_wait(r.pid);
    if (st != 0) { /* a task's own log (Slurm's) shows why the estimate failed */
        char *text = slurp(r.log, 4096);
        if (text)
            fprintf(stderr, "%s", text);
        free(text);
    }
    bool ok = finish_point(s, p, st, bc_now_seconds() - r.t0, r.est, r.log, err, errlen);
    if (!ok && !err[0])
        snprintf(err, errlen, "point %zu failed (exit %d); see %s", p, st, r.log);
    return ok;
}

bool sweep_run_config(const sweep_t *s, size_t c, char *err, size_t errlen)
{
    char *argv[SWEEP_MAX_ARGS], log[1200];
    if (!prepare_dirs(s, err, errlen))
        return false;
    sweep_config_argv(s, c, argv, SWEEP_MAX_ARGS);
    snprintf(log, sizeof log, "%s/logs/calib-%zu.log", s->outdir, c);
    long pid = sweep_spawn(argv, log, log, err, errlen);
    int st = pid > 0 ? sweep_wait(pid) : -1;
    if (st != 0) {
        if (pid > 0)
            snprintf(err, errlen, "calibration of %s failed (exit %d); see %s", s->configs[c].key, st, log);
        return false;
    }
    return true;
}

bool sweep_write_plan(const sweep_t *s, char *err, size_t errlen)
{
    if (!prepare_dirs(s, err, errlen))
        return false;
    cJSON *r = cJSON_CreateObject(), *axes = cJSON_CreateArray(), *pts = cJSON_CreateArray(),
          *plots = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "sweep_file", s->path);
    cJSON_AddStringToObject(r, "sweep_hash", s->sweep_hash);
    cJSON_AddStringToObject(r, "code_hash", s->code_hash);
    for (size_t a = 0; a < s->n_axes; a++) {
        cJSON *ax = cJSON_CreateObject(), *vals = cJSON_CreateArray();
        cJSON_AddStringToObject(ax, "name", s->axes[a].def->name);
        cJSON_AddBoolToObject(ax, "fixed", s->axes[a].fixed);
        cJSON_AddBoolToObject(ax, "numeric", s->axes[a].def->type == SWEEP_INT || s->axes[a].def->type == SWEEP_REAL);
        for (size_t i = 0; i < s->axes[a].n; i++)
            cJSON_AddItemToArray(vals, cJSON_CreateString(s->axes[a].values[i]));
        cJSON_AddItemToObject(ax, "values", vals);
        cJSON_AddItemToArray(axes, ax);
    }
    cJSON_AddItemToObject(r, "axes", axes);
    for (size_t p = 0; p < s->n_points; p++) {
        char key[2048];
        sweep_point_key(s, p, key, sizeof key);
        cJSON_AddItemToArray(pts, cJSON_CreateString(key));
    }
    cJSON_AddItemToObject(r, "points", pts);
    cJSON_AddStringToObject(plots, "heatmap_x", s->heat_x);
    cJSON_AddStringToObject(plots, "heatmap_y", s->heat_y);
    cJSON_AddStringToObject(plots, "series", s->series);
    cJSON_AddItemToObject(r, "plots", plots);
    char *text = cJSON_Print(r), path[1200];
    cJSON_Delete(r);
    snprintf(path, sizeof path, "%s/plan.json", s->outdir);
    bool ok = text && write_atomic(path, text, err, errlen);
    free(text);
    return ok;
}

/* ------------------------------------------------------------ local */

/* Estimate outputs of an interrupted run (.pNNNNNN.est.XXXXXX) are removed. */
static void remove_partial(const sweep_t *s)
{
    char d[1200], f[1500];
    snprintf(d, sizeof d, "%s/points", s->outdir);
    DIR *dp = opendir(d);
    for (struct dirent *e; dp && (e = readdir(dp)) != NULL;)
        if (e->d_name[0] == '.' && e->d_name[1] == 'p' && strstr(e->d_name, ".est.")) {
            snprintf(f, sizeof f, "%s/%s", d, e->d_name);
            unlink(f);
        }
    if (dp)
        closedir(dp);
}

int sweep_exec_local(sweep_t *s, const sweep_exec_opts_t *o, char *err, size_t errlen)
{
    if (!sweep_write_plan(s, err, errlen))
        return -1;
    remove_partial(s);
    for (size_t c = 0; c < s->n_configs; c++)
        if (!s->configs[c].cached) {
            fprintf(stderr, "bitcycle sweep: calibrating %s into %s\n", s->configs[c].key, s->configs[c].calib);
            if (!sweep_run_config(s, c, err, errlen))
                return -1;
        }
    size_t *todo = malloc(s->n_points * sizeof *todo), n_todo = 0, failed = 0;
    running_t *slots = calloc(o->jobs, sizeof *slots);
    if (!todo || !slots) {
        free(todo);
        free(slots);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t p = 0; p < s->n_points; p++)
        if (sweep_result_state(s, p, err, errlen) != 1)
            todo[n_todo++] = p;
    err[0] = '\0';
    bc_progress_t prog;
    bc_progress_start(&prog, "sweep", n_todo);
    prog.enabled &= o->progress;
    size_t next = 0, done = 0, active = 0;
    bool ok = true;
    while (ok && (next < n_todo || active)) {
        while (ok && next < n_todo && active < o->jobs) {
            size_t slot = 0;
            while (slots[slot].pid)
                slot++;
            ok = start_point(s, todo[next++], &slots[slot], err, errlen);
            active += ok;
        }
        if (!active)
            break;
        int st;
        pid_t pid = wait(&st);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "wait: %s", strerror(errno));
            ok = false;
            break;
        }
        for (size_t i = 0; i < o->jobs; i++)
            if (slots[i].pid == (long)pid) {
                int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
                char e2[512] = "";
                if (!finish_point(s, slots[i].point, code, bc_now_seconds() - slots[i].t0, slots[i].est, slots[i].log,
                                  e2, sizeof e2)) {
                    failed++;
                    if (e2[0]) {
                        snprintf(err, errlen, "%s", e2);
                        ok = false;
                    }
                }
                slots[i].pid = 0;
                active--;
                bc_progress_step(&prog, ++done);
            }
    }
    while (active) { /* an error stopped the loop: collect the children still running */
        for (size_t i = 0; i < o->jobs; i++)
            if (slots[i].pid) {
                sweep_wait(slots[i].pid);
                unlink(slots[i].est);
                slots[i].pid = 0;
                active--;
            }
    }
    bc_progress_end(&prog);
    free(todo);
    free(slots);
    if (!ok)
        return -1;
    return (int)(failed > 0x7fff ? 0x7fff : failed);
}

/* ------------------------------------------------------------ Slurm */

/* The batch script: fixed text, no input ever in it; the command arrives as
 * arguments and the array index is appended. */
static const char task_script[] = "#!/bin/sh\n"
                                  "# bitcycle sweep array task: runs its arguments plus the array index\n"
                                  "exec \"$@\" \"$SLURM_ARRAY_TASK_ID\"\n";
static const char job_script[] = "#!/bin/sh\n"
                                 "# bitcycle sweep job: runs its arguments\n"
                                 "exec \"$@\"\n";

/* "0-3,7,9-10" of the indices, at most len characters */
static bool array_spec(const size_t *idx, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && idx[j + 1] == idx[j] + 1)
            j++;
        int w = j > i ? snprintf(buf + used, len - used, "%s%zu-%zu", used ? "," : "", idx[i], idx[j])
                      : snprintf(buf + used, len - used, "%s%zu", used ? "," : "", idx[i]);
        if (w < 0 || (size_t)w >= len - used)
            return false;
        used += (size_t)w;
        i = j + 1;
    }
    return true;
}

/* sbatch ARGS; the job id is the first field of its --parsable output. */
static bool sbatch(char **argv, char *jobid, size_t len, char *err, size_t errlen)
{
    char out[] = "/tmp/bitcycle-sbatch-XXXXXX";
    int fd = mkstemp(out);
    if (fd < 0) {
        snprintf(err, errlen, "mkstemp: %s", strerror(errno));
        return false;
    }
    close(fd);
    char errf[64];
    snprintf(errf, sizeof errf, "%s.err", out);
    long pid = sweep_spawn(argv, out, errf, err, errlen);
    int st = pid > 0 ? sweep_wait(pid) : -1;
    char *text = slurp(out, 4096), *etext = slurp(errf, 4096);
    unlink(out);
    unlink(errf);
    bool ok = false;
    if (st == 0 && text) {
        size_t n = strcspn(text, ";\n");
        text[n] = '\0';
        snprintf(jobid, len, "%s", text);
        ok = n > 0 && strspn(text, "0123456789") == n;
    }
    if (!ok && pid > 0)
        snprintf(err, errlen, "sbatch failed (exit %d%s): %s", st, st == 127 ? ", is Slurm installed?" : "",
                 etext && etext[0] ? etext : (text ? text : ""));
    free(text);
    free(etext);
    return ok;
}

static size_t common_args(const sweep_exec_opts_t *o, char **argv, size_t n, char *part, char *tim, char *mem)
{
    if (o->partition) {
        snprintf(part, 300, "--partition=%s", o->partition);
        argv[n++] = part;
    }
    if (o->time) {
        snprintf(tim, 300, "--time=%s", o->time);
        argv[n++] = tim;
    }
    if (o->mem) {
        snprintf(mem, 300, "--mem=%s", o->mem);
        argv[n++] = mem;
    }
    for (size_t i = 0; i < o->n_extra; i++)
        argv[n++] = (char *)o->sbatch_extra[i];
    return n;
}

static bool write_script(const char *path, const char *text, char *err, size_t errlen)
{
    if (!write_atomic(path, text, err, errlen))
        return false;
    if (chmod(path, 0755)) {
        snprintf(err, errlen, "%s: chmod: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* One array job: SCRIPT SELF sweep FILE -o DIR --calib-dir D FLAG <index>. */
static bool submit_array(const sweep_t *s, const sweep_exec_opts_t *o, const char *name, const char *flag,
                         const size_t *idx, size_t n, const char *dep, char *jobid, char *err, size_t errlen)
{
    char *argv[64], spec[65536], arr[65600], outp[1200], jn[64], depo[128], script[1200], part[300], tim[300], mem[300];
    if (!array_spec(idx, n, spec, sizeof spec)) {
        snprintf(err, errlen, "the array index list is too long for one sbatch");
        return false;
    }
    size_t k = 0;
    argv[k++] = "sbatch";
    argv[k++] = "--parsable";
    snprintf(arr, sizeof arr, "--array=%s", spec);
    argv[k++] = arr;
    snprintf(jn, sizeof jn, "--job-name=bitcycle-%s", name);
    argv[k++] = jn;
    snprintf(outp, sizeof outp, "--output=%s/slurm/%s-%%A_%%a.out", s->outdir, name);
    argv[k++] = outp;
    if (dep) {
        snprintf(depo, sizeof depo, "--dependency=afterok:%s", dep);
        argv[k++] = depo;
    }
    k = common_args(o, argv, k, part, tim, mem);
    snprintf(script, sizeof script, "%s/slurm/task.sh", s->outdir);
    argv[k++] = script;
    argv[k++] = (char *)s->self;
    argv[k++] = "sweep";
    argv[k++] = (char *)s->path;
    argv[k++] = "-o";
    argv[k++] = (char *)s->outdir;
    argv[k++] = "--calib-dir";
    argv[k++] = (char *)s->calib_dir;
    argv[k++] = (char *)flag;
    argv[k] = NULL;
    return sbatch(argv, jobid, 32, err, errlen);
}

int sweep_exec_slurm(sweep_t *s, const sweep_exec_opts_t *o, char *err, size_t errlen)
{
    char d[1200], calib_job[32] = "", point_job[32] = "", merge_job[32] = "";
    snprintf(d, sizeof d, "%s/slurm", s->outdir);
    if (!sweep_write_plan(s, err, errlen) || !mkdirs(d, err, errlen))
        return -1;
    char script[1300], jscript[1300];
    snprintf(script, sizeof script, "%s/task.sh", d);
    snprintf(jscript, sizeof jscript, "%s/job.sh", d);
    if (!write_script(script, task_script, err, errlen) || !write_script(jscript, job_script, err, errlen))
        return -1;
    size_t *idx = malloc((s->n_points + s->n_configs + 1) * sizeof *idx), n = 0;
    if (!idx) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t c = 0; c < s->n_configs; c++)
        if (!s->configs[c].cached)
            idx[n++] = c;
    bool ok = true;
    if (n) {
        ok = submit_array(s, o, "calib", "--calib-task", idx, n, NULL, calib_job, err, errlen);
        if (ok)
            printf("slurm: calibration array job %s (%zu configurations)\n", calib_job, n);
    }
    n = 0;
    for (size_t p = 0; ok && p < s->n_points; p++)
        if (sweep_result_state(s, p, err, errlen) != 1)
            idx[n++] = p;
    err[0] = '\0';
    if (ok && n) {
        ok = submit_array(s, o, "point", "--task", idx, n, calib_job[0] ? calib_job : NULL, point_job, err, errlen);
        if (ok)
            printf("slurm: point array job %s (%zu points%s%s)\n", point_job, n, calib_job[0] ? ", after " : "",
                   calib_job);
    }
    free(idx);
    if (ok) { /* the merge runs after the points, whatever their outcome */
        char *argv[48], depo[64], outp[1200], part[300], tim[300], mem[300];
        size_t k = 0;
        argv[k++] = "sbatch";
        argv[k++] = "--parsable";
        argv[k++] = "--job-name=bitcycle-merge";
        snprintf(outp, sizeof outp, "--output=%s/slurm/merge-%%j.out", s->outdir);
        argv[k++] = outp;
        if (point_job[0]) {
            snprintf(depo, sizeof depo, "--dependency=afterany:%s", point_job);
            argv[k++] = depo;
        }
        if (o->wait)
            argv[k++] = "--wait";
        k = common_args(o, argv, k, part, tim, mem);
        argv[k++] = jscript;
        argv[k++] = (char *)s->self;
        argv[k++] = "sweep";
        argv[k++] = "merge";
        argv[k++] = (char *)s->outdir;
        argv[k] = NULL;
        ok = sbatch(argv, merge_job, sizeof merge_job, err, errlen);
        if (ok)
            printf("slurm: merge job %s%s; logs in %s/slurm/\n", merge_job, o->wait ? " finished" : "", s->outdir);
    }
    return ok ? 0 : -1;
}
