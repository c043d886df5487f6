# host/est/calib.mk: per-configuration calibration and the estimator's RTL
# validation (timing model, calibration grid, RTL helper builds).
# Included from host/est/est.mk.

# The test objects embed the timing model's structs: rebuild them when its
# header changes.
$(EST_BUILD)/test_est.o $(EST_BUILD)/test_est_rtl.o: sim/model/bc_timing.h
