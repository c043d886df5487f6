#!/usr/bin/python3
"""PyTorch fake-quantization trainer of bitcycle's CNNs, written from
docs/firmware.md (not from the C code): the same networks, the same data
order (the trainer's seeded Fisher-Yates shuffle), the same CPT schedule and
the same quantizer semantics (min/max, zero point at the minimum, round half
to even; weights per output channel in the forward GEMM and per tensor in the
error GEMM; activations per tensor, batch range in training and a running
range in evaluation; errors per tensor with stochastic rounding; straight-
through gradients; last FC in float). Prints one JSON line.

usage: cnn_peer.py --data-dir DIR --model lenet5|resnet8 --schedule static:8|cpt:3-8
                   [--grad-bits 8] [--seed 1] [--iters N] [--batch 128] [--cycles 8]
                   [--lr 0.05] [--momentum 0.9] [--weight-decay 5e-4] [--test-limit N] [--float]
"""
import argparse
import gzip
import json
import math
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.grad import conv2d_input, conv2d_weight

M64 = (1 << 64) - 1


class SplitMix:
    """The firmware's seeded generator (bc_fw_rng_t: splitmix64)."""

    def __init__(self, seed):
        self.s = (seed ^ 0x6A09E667F3BCC909) & M64

    def u64(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)


def shuffle(n, rng):
    idx = list(range(n))
    for i in range(n, 1, -1):
        j = rng.u64() % i
        idx[i - 1], idx[j] = idx[j], idx[i - 1]
    return idx


def load_idx(images, labels):
    with gzip.open(images, "rb") as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, images
        px = torch.frombuffer(bytearray(f.read(n * h * w)), dtype=torch.uint8).reshape(n, 1, h, w)
    with gzip.open(labels, "rb") as f:
        magic, n2 = struct.unpack(">II", f.read(8))
        assert magic == 0x801 and n2 == n, labels
        lb = torch.frombuffer(bytearray(f.read(n)), dtype=torch.uint8).long()
    return px.float() / 255.0, lb


def sched_bits(spec, t, total, cycles):
    fam, rng = spec.split(":")
    if fam == "static":
        return int(rng)
    lo, hi = (int(v) for v in rng.split("-"))
    period = max(total // cycles, 1)
    u = (t % period) / period
    b = round(lo + 0.5 * (hi - lo) * (1.0 + math.cos(math.pi * u + math.pi)))  # round: half to even
    return min(max(b, lo), hi)


# ---------------- quantizer ----------------
def fake_q(x, mn, mx, bits, stochastic=False):
    """x_hat = mn + s * q, q = round((x - mn) / s) in 0..2^b-1 (s = (mx-mn)/(2^b-1), float32)."""
    levels = float((1 << bits) - 1)
    s = (mx - mn) / levels
    s = torch.where(s > 0, s, torch.ones_like(s))
    v = (x - mn) / s
    q = torch.floor(v + torch.rand_like(v)) if stochastic else torch.round(v)
    return mn + s * q.clamp(0.0, levels)


def fq_tensor(x, bits, stochastic=False):
    return fake_q(x, x.min(), x.max(), bits, stochastic)


def fq_rows(w, bits):
    flat = w.reshape(w.shape[0], -1)
    mn = flat.min(1, keepdim=True)[0]
    mx = flat.max(1, keepdim=True)[0]
    return fake_q(flat, mn, mx, bits).reshape(w.shape)


class QState:
    fw = 8
    bw = 8
    quantize = True


class QConvFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, xq, w, stride, pad, first, is_fc):
        wq = fq_rows(w, QState.fw)
        w_err = fq_tensor(w, QState.fw)  # per tensor in the error GEMM (docs/firmware.md)
        ctx.save_for_backward(xq, w_err)
        ctx.conf = (stride, pad, first, is_fc, w.shape)
        if is_fc:
            return F.linear(xq, wq)
        return F.conv2d(xq, wq, stride=stride, padding=pad)

    @staticmethod
    def backward(ctx, gy):
        xq, w_err = ctx.saved_tensors
        stride, pad, first, is_fc, wshape = ctx.conf
        eq = fq_tensor(gy, QState.bw, stochastic=True)
        if is_fc:
            gw = eq.t().mm(xq)
            gx = None if first else eq.mm(w_err)
        else:
            gw = conv2d_weight(xq, wshape, eq, stride=stride, padding=pad)
            gx = None if first else conv2d_input(xq.shape, w_err, eq, stride=stride, padding=pad)
        return gx, gw, None, None, None, None


class QLayer(nn.Module):
    """Conv (no bias) or FC with quantized GEMMs; the input range is tracked per tensor."""

    def __init__(self, cin, cout, k=1, stride=1, pad=0, first=False, fc=False, quantized=True):
        super().__init__()
        self.stride, self.pad, self.first, self.fc, self.quantized = stride, pad, first, fc, quantized
        if fc:
            bound = 1.0 / math.sqrt(cin)
            self.weight = nn.Parameter(torch.empty(cout, cin).uniform_(-bound, bound))
            self.bias = nn.Parameter(torch.empty(cout).uniform_(-bound, bound))
        else:
            self.weight = nn.Parameter(torch.randn(cout, cin, k, k) * math.sqrt(2.0 / (k * k * cout)))
            self.bias = None
        self.register_buffer("run_min", torch.zeros(()))
        self.register_buffer("run_max", torch.zeros(()))
        self.range_set = False

    def forward(self, x):
        if self.fc:
            x = x.flatten(1)
        if not (self.quantized and QState.quantize):
            y = F.linear(x, self.weight) if self.fc else F.conv2d(x, self.weight, stride=self.stride, padding=self.pad)
        else:
            with torch.no_grad():
                if self.training:
                    mn, mx = x.min(), x.max()
                    if not self.range_set:
                        self.run_min.copy_(mn), self.run_max.copy_(mx)
                        self.range_set = True
                    else:
                        self.run_min.mul_(0.9).add_(0.1 * mn)
                        self.run_max.mul_(0.9).add_(0.1 * mx)
                else:
                    mn, mx = self.run_min, self.run_max
                xqv = fake_q(x, mn, mx, QState.fw)
            xq = x + (xqv - x).detach()  # straight-through
            y = QConvFn.apply(xq, self.weight, self.stride, self.pad, self.first, self.fc)
        return y + self.bias if self.bias is not None else y


class LeNet5(nn.Module):
    def __init__(self, side, classes):
        super().__init__()
        small = side < 16
        self.c1 = QLayer(1, 6, 5, 1, 2, first=True)
        self.b1 = nn.BatchNorm2d(6)
        self.c2 = QLayer(6, 16, 3 if small else 5, 1, 1 if small else 0)
        self.b2 = nn.BatchNorm2d(16)
        s = side // 2
        s = (s if small else s - 4) // 2
        self.f1 = QLayer(16 * s * s, 120, fc=True)
        self.f2 = QLayer(120, 84, fc=True)
        self.f3 = QLayer(84, classes, fc=True, quantized=False)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        return self.f3(F.relu(self.f2(F.relu(self.f1(x)))))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = QLayer(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout)
        self.c2, self.b2 = QLayer(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout)
        self.sc = None
        if stride != 1 or cin != cout:
            self.sc, self.sb = QLayer(cin, cout, 1, stride, 0), nn.BatchNorm2d(cout)

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(y + (self.sb(self.sc(x)) if self.sc is not None else x))


class ResNet(nn.Module):
    def __init__(self, classes, n, width):
        super().__init__()
        self.stem, self.bn = QLayer(1, width, 3, 1, 1, first=True), nn.BatchNorm2d(width)
        blocks, cin = [], width
        for stage in range(3):
            for b in range(n):
                cout = width << stage
                blocks.append(Block(cin, cout, 2 if stage and not b else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = QLayer(cin, classes, fc=True, quantized=False)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn(self.stem(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--model", default="lenet5", choices=["lenet5", "resnet8"])
    ap.add_argument("--schedule", default="cpt:3-8")
    ap.add_argument("--grad-bits", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--iters", type=int, default=0, help="0: one epoch")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--cycles", type=int, default=8)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--weight-decay", type=float, default=5e-4)
    ap.add_argument("--test-limit", type=int, default=0)
    ap.add_argument("--float", action="store_true", help="no quantization (float baseline)")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    d = a.data_dir + "/fashion-mnist/"
    xtr, ytr = load_idx(d + "train-images-idx3-ubyte.gz", d + "train-labels-idx1-ubyte.gz")
    xte, yte = load_idx(d + "t10k-images-idx3-ubyte.gz", d + "t10k-labels-idx1-ubyte.gz")
    if a.test_limit:
        xte, yte = xte[: a.test_limit], yte[: a.test_limit]
    net = LeNet5(28, 10) if a.model == "lenet5" else ResNet(10, 1, 16)
    QState.quantize = not a.float
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.weight_decay)
    n, B = xtr.shape[0], a.batch
    per_epoch = (n + B - 1) // B
    total = a.iters or per_epoch
    rng = SplitMix((a.seed * 0x9E3779B97F4A7C15 + 7) & M64)
    t, hits, seen, t0 = 0, 0, 0, time.time()
    net.train()
    while t < total:
        idx = torch.tensor(shuffle(n, rng))
        for bi in range(per_epoch):
            if t >= total:
                break
            sel = idx[bi * B : (bi + 1) * B]
            QState.fw = sched_bits(a.schedule, t, total, a.cycles)
            QState.bw = a.grad_bits
            out = net(xtr[sel])
            loss = F.cross_entropy(out, ytr[sel])
            opt.zero_grad()
            loss.backward()
            opt.step()
            hits += int((out.argmax(1) == ytr[sel]).sum())
            seen += len(sel)
            t += 1
    train_s = time.time() - t0
    net.eval()
    QState.fw = int(a.schedule.split(":")[1].split("-")[-1])
    correct = 0
    with torch.no_grad():
        for s in range(0, xte.shape[0], B):
            correct += int((net(xte[s : s + B]).argmax(1) == yte[s : s + B]).sum())
    print(json.dumps({"model": a.model, "schedule": a.schedule, "seed": a.seed, "iters": t,
                      "train_accuracy": hits / seen, "test_accuracy": correct / xte.shape[0],
                      "train_seconds": train_s, "samples_per_second": seen / train_s, "threads": a.threads}))


if __name__ == "__main__":
    sys.exit(main())
