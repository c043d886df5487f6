#!/usr/bin/env python3
"""Writes the bad input files of the robustness suite into DIR (argv[1]).

Each file is broken in exactly one way; robustness.cases names the file and
the message the tool must give for it."""
import gzip
import os
import struct
import sys

d = sys.argv[1]
os.makedirs(d, exist_ok=True)


def w(name, data, gz=False):
    p = os.path.join(d, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    if gz:
        data = gzip.compress(data)
    with open(p, "wb") as f:
        f.write(data)


def idx_images(n, rows=28, cols=28, magic=0x803):
    return struct.pack(">IIII", magic, n, rows, cols) + bytes((i * 7) & 0xFF for i in range(n * rows * cols))


def idx_labels(n, magic=0x801, last=None):
    labels = [i % 10 for i in range(n)]
    if last is not None:
        labels[-1] = last
    return struct.pack(">II", magic, n) + bytes(labels)


def fmnist(sub, tr_img, tr_lab, te_img=None, te_lab=None):
    w(f"{sub}/fashion-mnist/train-images-idx3-ubyte.gz", tr_img, gz=True)
    w(f"{sub}/fashion-mnist/train-labels-idx1-ubyte.gz", tr_lab, gz=True)
    w(f"{sub}/fashion-mnist/t10k-images-idx3-ubyte.gz", te_img or idx_images(4), gz=True)
    w(f"{sub}/fashion-mnist/t10k-labels-idx1-ubyte.gz", te_lab or idx_labels(4), gz=True)


# IDX (Fashion-MNIST layout)
fmnist("idx-magic", idx_images(8, magic=0x802), idx_labels(8))
fmnist("idx-count", idx_images(8), idx_labels(7))
fmnist("idx-short", idx_images(8)[:-100], idx_labels(8))
fmnist("idx-label", idx_images(8), idx_labels(8, last=12))
fmnist("idx-dims", idx_images(8, rows=0), idx_labels(8))
fmnist("idx-huge", struct.pack(">IIII", 0x803, 0xFFFFFFFF, 28, 28), idx_labels(8))
os.makedirs(os.path.join(d, "idx-gzip/fashion-mnist"), exist_ok=True)
fmnist("idx-gzip", idx_images(8), idx_labels(8))
good = gzip.compress(idx_images(8))
w("idx-gzip/fashion-mnist/train-images-idx3-ubyte.gz", good[: len(good) // 2])

# UCI digits CSV (64 pixels 0..16 and a label 0..9 per row)
row = ",".join(["3"] * 64) + ",5\n"
w("dig-short/digits.csv.gz", row * 3 + ",".join(["3"] * 63) + ",5\n", gz=True)
w("dig-pixel/digits.csv.gz", row * 2 + ",".join(["3"] * 10 + ["17"] + ["3"] * 53) + ",5\n", gz=True)
w("dig-label/digits.csv.gz", row * 2 + ",".join(["3"] * 64) + ",10\n", gz=True)
w("dig-text/digits.csv.gz", row + ",".join(["3"] * 5 + ["x"] + ["3"] * 58) + ",5\n", gz=True)
w("dig-empty/digits.csv.gz", "", gz=True)
dg = gzip.compress(row.encode() * 200)
w("dig-gzip/digits.csv.gz", dg[: len(dg) - 20])

# topology CSVs (SCALE-Sim)
H = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
w("topo-filter.csv", H + "c1, 8, 8, 9, 9, 3, 16, 1,\n")
w("topo-stride.csv", H + "c1, 32, 32, 3, 3, 3, 16, 0,\n")
w("topo-huge.csv", H + "c1, 99999999999999999999, 32, 3, 3, 3, 16, 1,\n")
w("topo-empty.csv", "")
w("topo-nolayers.csv", H)
w("topo-binary.csv", b"\x00\x01\x02\xff\xfe" * 20)
w("mnk-zero.csv", "Layer, M, N, K\nfc1, 1, 256, 0\n")

# energy tables
E = open(os.path.join(os.path.dirname(__file__), "..", "..", "host", "est", "energy-45nm.tbl")).read()
w("en-negative.tbl", E.replace("dram_byte_pj = 244.0", "dram_byte_pj = -244.0"))
w("en-unknown.tbl", E + "turbo_pj = 1.0\n")
w("en-dup.tbl", E + "acc_update_pj = 0.2\n")
w("en-noeq.tbl", E.replace("bbuf_read_pj = 14.1", "bbuf_read_pj 14.1"))
w("en-inf.tbl", E.replace("abuf_read_pj = 10.0", "abuf_read_pj = inf"))

# calibration files
w("cal-version.txt", "bitcycle-calib 7\n")
w("cal-number.txt", "bitcycle-calib 1\nrtl_hash 0123456789abcdef\njob_overhead abc\n")
w("cal-empty.txt", "")
w("cal-negative.txt", "bitcycle-calib 1\nrtl_hash 0123456789abcdef\nconfig x\njob_overhead -5\n"
  "block_overhead 1\ntile_overhead 1\npoints 3\nmax_rel_err 0\n")

# waveform traces
w("trace-garbage.vcd", "$date today $end\n$var wire 1 ! clk $end\n#zz\n1!\n")
w("trace-empty.vcd", "")
w("trace-binary.fst", b"\x00" * 64 + b"garbage" * 10)

# a valid digits file (1500 rows), for option errors that need loadable data
w("dig-good/digits.csv.gz", "".join(",".join(str((r + c) % 17) for c in range(64)) + f",{r % 10}\n"
                                     for r in range(1500)), gz=True)

# bounded readers: a NUL byte, an over-long line, a file beyond the size bound
# (sparse: refused from its size before any read), and a FIFO with no writer
w("topo-nul.csv", H + "c1, 8, 8, 3, 3, 3,\x00 16, 1,\n")
w("topo-long.csv", H + "c" + "x" * 5000 + ", 8, 8, 3, 3, 3, 16, 1,\n")
w("en-nul.tbl", E.replace("acc_update_pj = ", "acc_update_pj =\x00 "))
w("en-long.tbl", E + "#" + "x" * 2000 + "\n")
en_range = E.replace("dram_byte_pj = 244.0", "dram_byte_pj = 1e7")
w("en-range.tbl", en_range)
w("en-static.tbl", E.replace("static_mw = ", "static_mw = 1e9 # ") if "static_mw = " in E else E)
for name, size in (("topo-big.csv", (16 << 20) + 1), ("en-big.tbl", (1 << 20) + 1)):
    with open(os.path.join(d, name), "wb") as f:
        f.truncate(size)
fifo = os.path.join(d, "fifo")
if not os.path.exists(fifo):
    os.mkfifo(fifo)

# checked numbers: a layer of 1e27 MACs, a model whose MAC sum passes 2^64
# (20000 layers of 1e15), a layer whose cycle count over 10^7 iterations does
G = "Layer, M, N, K\n"
w("topo-macs.csv", G + "fc1, 1000000000, 1000000000, 1000000000\n")
w("topo-sum.csv", G + "".join(f"fc{i}, 1000000, 1000000, 1000\n" for i in range(20000)))
w("topo-cycles.csv", G + "fc1, 1000000, 1000000, 100\n")
w("en-nan.tbl", E.replace("acc_update_pj = 0.15", "acc_update_pj = nan"))
os.makedirs(os.path.join(d, "dir.csv"), exist_ok=True)
