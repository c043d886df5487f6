#!/usr/bin/env bash
# The counter path: a counter defined only in the register description reaches
# the driver's counter table, fsim's counter registers, the timing model's
# events and the estimator's event sums. A copy of bitcycle.regs with one more
# counter is generated into a temporary header; the driver, fsim, the timing
# model and the estimator are compiled against it and a probe checks each.
#   counter_path_test.sh GEN REGS TMPDIR
set -u
gen=$1 desc=$2 tmp=$3/counter-path
rm -rf "$tmp" && mkdir -p "$tmp/gen" "$tmp/obj"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# The new counter goes right after the last one (the counters are one block).
last=$(grep -E '^counter ' "$desc" | tail -1 | awk '{print $3}')
off=$(printf '0x%03X' $((last + 8)))
{ cat "$desc"; echo "counter CNT_PROBE_WIDGETS $off widgets \"widgets seen by the counter-path test\""; } >"$tmp/probe.regs"
if ! "$gen" "$tmp/probe.regs" --c "$tmp/gen/bc_regs.h" --sv "$tmp/gen/bc_regs_pkg.sv"; then
    bad "generator rejected the extra counter"; echo "counter-path: $pass passed, $fail failed"; exit 1
fi
grep -q "X(probe_widgets, ${off}u, \"widgets\"" "$tmp/gen/bc_regs.h" && ok || bad "BC_COUNTERS has no probe_widgets entry"

cc="gcc -std=c11 -Wall -Wextra -Werror -O1 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DEST_HAVE_SIM=0"
inc="-I$tmp/gen -Idriver/include -Isim/model -Ihost -Ihost/est -Ifirmware/include"
srcs="driver/src/bc_driver.c driver/src/bc_pack.c driver/src/bc_desc.c driver/src/bc_quant.c driver/hal/bc_fsim.c driver/hal/bc_fsim_gemm.c sim/model/bc_timing.c
      firmware/src/bc_schedule.c firmware/src/bc_lower.c host/cli.c host/safeio.c host/plot.c $(ls host/est/*.c)"
objs=()
for s in $srcs; do
    o="$tmp/obj/$(echo "$s" | tr / _).o"
    $cc $inc -c "$s" -o "$o" 2>"$tmp/build.log" || { bad "$s does not compile with the extra counter"; cat "$tmp/build.log"; }
    objs+=("$o")
done
ar rcs "$tmp/libprobe.a" "${objs[@]}"
cat >"$tmp/probe.c" <<'C'
#include <stdio.h>
#include <string.h>

#include "bc_hal_fsim.h"
#include "bc_timing.h"
#include "bitcycle.h"
#include "est.h"

int main(void)
{
    int bad = 0;
    const bc_counter_info_t *ci = bc_counter_info(BC_NUM_COUNTERS - 1);
    if (!ci || strcmp(ci->name, "probe_widgets") || strcmp(ci->unit, "widgets") ||
        ci->reg_offset != BC_REG_CNT_PROBE_WIDGETS_LO) {
        printf("FAIL: the driver's counter table has no probe_widgets entry\n");
        bad++;
    }
    bc_fsim_config_t fc;
    bc_fsim_config_default(&fc);
    fc.mem_bytes = 1u << 20;
    char err[200];
    bc_fsim_t *f = bc_fsim_create(&fc, err, sizeof err);
    bc_hal_t hal;
    bc_dev_t dev;
    bc_counters_t c;
    if (!f || (bc_fsim_hal(f, &hal), bc_open(&dev, &hal)) != BC_OK || bc_counters_read(&dev, &c) != BC_OK ||
        c.probe_widgets != 0) {
        printf("FAIL: fsim does not serve CNT_PROBE_WIDGETS through bc_counters_read\n");
        bad++;
    }
    if (f)
        bc_fsim_destroy(f);
    bc_events_t acc, ev;
    memset(&acc, 0, sizeof acc);
    memset(&ev, 0, sizeof ev);
    ev.probe_widgets = 5;
    est_events_add(&acc, &ev, 3);
    if (acc.probe_widgets != 15) {
        printf("FAIL: the estimator's event sum skips probe_widgets\n");
        bad++;
    }
    printf("counter-path probe: %d failed\n", bad);
    return bad != 0;
}
C
if $cc $inc "$tmp/probe.c" "$tmp/libprobe.a" -lm -o "$tmp/probe" 2>"$tmp/link.log"; then
    if "$tmp/probe"; then ok; else bad "probe found the counter missing"; fi
else
    bad "probe does not build"; cat "$tmp/link.log"
fi
echo "counter-path: $pass passed, $fail failed"
[ $fail -eq 0 ]
