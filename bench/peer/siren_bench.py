#!/usr/bin/python3
"""PyTorch peer of `iinr fit --baseline --hidden-layers 3 --hidden-size 256`: the same plain SIREN
(2->256->256->256->256->3, omega0 = 30, full batch, Adam, lr 1e-3) on a SIZE x SIZE RGB target,
timed in PyTorch. `iinr bench --suite speed` runs it, when python3 with torch is installed, for
the "ours vs PyTorch" ratios.

Origin: the PyTorch reference script this project's team wrote for its speed comparisons
(freely usable), copied here with two changes: this header, and an optional fourth argument
SIZE (default 256) so that quick bench runs can use a smaller grid.

Usage: python3 siren_bench.py [threads(0=default)] [iters=500] [gemmReps=10] [size=256]
Set-up on Debian: apt-get install python3-torch libjemalloc2 libopenblas0-pthread"""

import math, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

RES, OMEGA0 = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[1] != "micro" else 256, 30.0


class Siren(nn.Module):
    def __init__(self, inf, hidden, hidden_layers, outf):
        super().__init__()
        self.sines = nn.ModuleList([nn.Linear(inf, hidden)] + [nn.Linear(hidden, hidden) for _ in range(hidden_layers)])
        self.last = nn.Linear(hidden, outf)
        with torch.no_grad():
            self.sines[0].weight.uniform_(-1.0 / inf, 1.0 / inf)
            b = math.sqrt(6.0 / hidden) / OMEGA0
            for l in self.sines[1:]:
                l.weight.uniform_(-b, b)
            self.last.weight.uniform_(-b, b)

    def forward(self, x):
        for l in self.sines:
            x = torch.sin(l(x).mul_(OMEGA0))
        return self.last(x)


class Tiny(nn.Module):  # 6 -> 30 -> 30, concat 3 -> 33 -> 100 -> 100 -> 3
    def __init__(self):
        super().__init__()
        self.a1, self.a2 = nn.Linear(6, 30), nn.Linear(30, 30)
        self.b1, self.b2, self.b3 = nn.Linear(33, 100), nn.Linear(100, 100), nn.Linear(100, 3)

    def forward(self, x6):
        h = F.relu(self.a2(F.relu(self.a1(x6))))
        z = torch.cat([h, x6[:, :3]], 1)
        return self.b3(F.relu(self.b2(F.relu(self.b1(z)))))


def timeit(reps, fn):
    fn(); fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)


def micro(threads):
    if threads > 0:
        torch.set_num_threads(threads)
    print(f"MICRO threads={torch.get_num_threads()}")
    A, B = torch.randn(2048, 2048), torch.randn(2048, 2048)
    t = timeit(20, lambda: torch.mm(A, B)); print(f"mm 2048: {t:.1f} ms {2*2048**3/(t*1e6):.1f} GFLOP/s")
    X, W, bias = torch.randn(65536, 256), torch.randn(256, 256), torch.randn(256)
    Y = torch.empty(65536, 256)
    t = timeit(20, lambda: torch.mm(X, W)); print(f"mm 65536x256x256: {t:.1f} ms {2*65536*256*256/(t*1e6):.1f} GFLOP/s")
    t = timeit(20, lambda: torch.mm(X, W, out=Y)); print(f"mm 65536x256x256 out=: {t:.1f} ms {2*65536*256*256/(t*1e6):.1f} GFLOP/s")
    t = timeit(20, lambda: F.linear(X, W, bias)); print(f"linear 65536x256x256: {t:.1f} ms {2*65536*256*256/(t*1e6):.1f} GFLOP/s")
    t = timeit(20, lambda: torch.sin(X)); print(f"sin 65536x256: {t:.1f} ms")
    t = timeit(20, lambda: Y.sin_()); print(f"sin_ 65536x256 in-place: {t:.1f} ms")
    t = timeit(20, lambda: X.mul(30.0)); print(f"mul 65536x256: {t:.1f} ms")
    t = timeit(20, lambda: torch.empty(65536, 256).fill_(1.0)); print(f"alloc+fill 64MB: {t:.1f} ms")
    t = timeit(20, lambda: Y.fill_(1.0)); print(f"fill 64MB (no alloc): {t:.1f} ms")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "micro":
        return micro(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    iters = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    gemm_reps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    if threads > 0:
        torch.set_num_threads(threads)
    print(f"PyTorch {torch.__version__}; threads={torch.get_num_threads()} interop={torch.get_num_interop_threads()}")
    torch.manual_seed(0)
    A, B = torch.randn(2048, 2048), torch.randn(2048, 2048)
    for _ in range(3): torch.mm(A, B)
    ts = []
    for _ in range(gemm_reps):
        t0 = time.perf_counter(); torch.mm(A, B); ts.append((time.perf_counter() - t0) * 1e3)
    med = statistics.median(ts)
    print(f"GEMM 2048^3 fp32: median {med:.2f} ms -> {2*2048**3/(med*1e6):.1f} GFLOP/s (best {2*2048**3/(min(ts)*1e6):.1f})")
    X, W = torch.randn(65536, 256), torch.randn(256, 256)
    med = timeit(gemm_reps, lambda: torch.mm(X, W))
    print(f"GEMM 65536x256x256 fp32: median {med:.2f} ms -> {2*65536*256*256/(med*1e6):.1f} GFLOP/s")
    del A, B, X, W

    torch.manual_seed(0)
    lin = torch.linspace(-1, 1, RES)
    X, Y = torch.meshgrid(lin, lin, indexing="ij")
    r = torch.sin(X * (6 * math.pi)) * torch.cos(Y * (4 * math.pi)) * 0.5 + 0.5
    g = torch.cos((X * X + Y * Y) * 10.0) * 0.5 + 0.5
    bch = torch.where((X * X + Y * Y) < 0.5, 0.9 * (X + 1) / 2, 0.1 + 0.2 * (Y + 1) / 2)
    target = torch.stack([r, g, bch], -1).reshape(-1, 3).contiguous()
    coords = torch.stack([X, Y], -1).reshape(-1, 2).contiguous()
    print(f"coords {tuple(coords.shape)} target mean {target.mean().item():.6f}")
    model = Siren(2, 256, 3, 3)
    print(f"params {sum(p.numel() for p in model.parameters())} init-param-sum {sum(p.sum().item() for p in model.parameters()):.6f}")
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times, last = [], 0.0
    import os
    phases = os.environ.get("SIREN_PHASES") == "1"
    fw, bw, st = [], [], []
    t_all = time.perf_counter()
    for it in range(iters):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = F.mse_loss(model(coords), target)
        tf = time.perf_counter()
        loss.backward()
        tb = time.perf_counter()
        opt.step()
        if phases:
            fw.append((tf - t0) * 1e3); bw.append((tb - tf) * 1e3); st.append((time.perf_counter() - tb) * 1e3)
            if it % 10 == 9:
                rss = int([l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1]) // 1024
                print(f"  it {it}: fwd {statistics.median(fw):.1f} bwd {statistics.median(bw):.1f} step {statistics.median(st):.1f} ms; RSS {rss} MB")
                fw, bw, st = [], [], []
        if it == iters - 1 or it % 100 == 0:
            last = loss.item()
        times.append((time.perf_counter() - t0) * 1e3)
        if it % 100 == 0:
            print(f"  it {it} loss {last:.4e} psnr {-10*math.log10(last):.2f}  ({times[-1]:.1f} ms)")
    total = time.perf_counter() - t_all
    with torch.no_grad():
        mse = F.mse_loss(model(coords), target).item()
    lo, hi = min(10, iters), min(60, iters)
    med_win, med_all = statistics.median(times[lo:hi]), statistics.median(times[lo:])
    macs = 2 * 256 + 3 * 256 * 256 + 256 * 3
    fwd = 2 * macs * RES * RES
    print(f"TRAIN: median ms/iter (it {lo}-{hi-1}) {med_win:.1f}; median all {med_all:.1f}; total {total:.1f} s for {iters} it; -> {3*fwd/(med_win*1e6):.1f} GFLOP/s (3x fwd matmul FLOP = {3*fwd/1e9:.2f} GFLOP/iter)")
    print(f"FINAL after {iters} it: MSE {mse:.4e} PSNR {-10*math.log10(mse):.2f} dB")

    tiny = Tiny()
    with torch.no_grad():
        feats = torch.randn(RES * RES, 6)
        ti, tt = [], []
        for _ in range(25):
            t0 = time.perf_counter(); model(coords); ti.append((time.perf_counter() - t0) * 1e3)
            t0 = time.perf_counter(); tiny(feats); tt.append((time.perf_counter() - t0) * 1e3)
        mi, mt = statistics.median(ti[5:]), statistics.median(tt[5:])
        tiny_macs = 6 * 30 + 30 * 30 + 33 * 100 + 100 * 100 + 100 * 3
        print(f"INFER SIREN no_grad 65536 pts: median {mi:.2f} ms ({fwd/(mi*1e6):.1f} GFLOP/s)")
        print(f"INFER tiny MLP 65536 pts: median {mt:.2f} ms = {100*mt/mi:.1f}% of SIREN time; FLOP ratio {100*tiny_macs/macs:.2f}% ({tiny_macs} vs {macs} MAC/pt)")


if __name__ == "__main__":
    main()
