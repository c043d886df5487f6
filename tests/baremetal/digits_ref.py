#!/usr/bin/env python3
"""Reference for tests/baremetal/data.c: the line it prints, computed from the CSV."""
import csv
import gzip
import sys

rows = [list(map(int, r)) for r in csv.reader(gzip.open(sys.argv[1], "rt")) if r]
train, test = rows[:1437], rows[1437:]
hist = [0] * 10
for r in train:
    hist[r[64]] += 1
print("data: train_pixels %d test_pixels %d test_labels %d hist %s" % (
    sum(sum(r[:64]) for r in train), sum(sum(r[:64]) for r in test), sum(r[64] for r in test),
    " ".join(map(str, hist))))
