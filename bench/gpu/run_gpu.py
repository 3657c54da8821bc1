#!/usr/bin/env python3
"""GPU side of the GPU-compatibility comparison (bench/gpu-compare.ts is the other side).

Runs random FP8 operands through the local NVIDIA GPU with PyTorch and writes the operands and the
GPU's results, so that the golden model can be run on exactly the same codes:

  python3 bench/gpu/run_gpu.py --out gpu-out [--seed S] [--m M] [--n N] [--k LIST]

Hopper FP8 (torch._scaled_mm, FP32 out, unit per-tensor scales), for E4M3 x E4M3, E5M2 x E4M3 and
E4M3 x E5M2 (the pairs cuBLAS takes), each K of --k, with use_fast_accum off and on. Block-scaled
MX products need a Blackwell GPU (compute capability 10 or 12); on other GPUs they are skipped and
the summary says so.

Files: data.bin, every case's arrays one after another, and cases.json, every case (e.g.
e4m3xe5m2_k32_fast0) with its formats, shape, PyTorch call and the byte offsets in data.bin of its
A codes (M x K, row-major), B codes (N x K, row-major: column j of B is row j) and results (M x N
FP32 bits, little-endian, row-major).
"""
import argparse
import json
import os
import sys

import torch

# the element codes and their PyTorch dtypes
DTYPES = {"e4m3": torch.float8_e4m3fn, "e5m2": torch.float8_e5m2}
PAIRS = [("e4m3", "e4m3"), ("e5m2", "e4m3"), ("e4m3", "e5m2")]


def finite_codes(fmt, shape, gen):
    """Uniformly random finite codes of the format, a quarter of them zero (sparse, cancelling sums)."""
    codes = torch.randint(0, 256, shape, generator=gen, dtype=torch.int32)
    if fmt == "e4m3":
        nan = (codes & 0x7F) == 0x7F
    else:
        nan = (codes & 0x7C) == 0x7C  # Inf and NaN
    codes = torch.where(nan, codes & 0x83, codes)
    zero = torch.rand(shape, generator=gen) < 0.25
    codes = torch.where(zero, torch.zeros_like(codes), codes)
    return codes.to(torch.uint8)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--m", type=int, default=128)
    p.add_argument("--n", type=int, default=96)
    p.add_argument("--k", default="32,64,128")
    a = p.parse_args()
    if not torch.cuda.is_available():
        sys.exit("run_gpu.py: no CUDA GPU visible to PyTorch")
    os.makedirs(a.out, exist_ok=True)
    dev = torch.device("cuda")
    cap = torch.cuda.get_device_capability()
    name = torch.cuda.get_device_name()
    gen = torch.Generator().manual_seed(a.seed)
    one = torch.tensor(1.0, device=dev)
    cases = []
    blob = bytearray()

    def put(t):
        at = len(blob)
        blob.extend(t.numpy().tobytes())
        return at
    for k in [int(x) for x in a.k.split(",")]:
        for fa, fb in PAIRS:
            ca = finite_codes(fa, (a.m, k), gen)
            cb = finite_codes(fb, (a.n, k), gen)
            A = ca.to(dev).view(DTYPES[fa])
            B = cb.to(dev).view(DTYPES[fb])
            for fast in (False, True):
                d = torch._scaled_mm(A, B.t(), scale_a=one, scale_b=one, out_dtype=torch.float32, use_fast_accum=fast)
                torch.cuda.synchronize()
                case = f"{fa}x{fb}_k{k}_fast{int(fast)}"
                offsets = {"a": put(ca), "b": put(cb), "d": put(d.cpu().contiguous().view(torch.int32))}
                cases.append({"name": case, "kind": "hopper", "elemA": fa, "elemB": fb, "m": a.m, "n": a.n, "k": k, "fastAccum": fast, "offsets": offsets,
                              "call": f"torch._scaled_mm(A, B.t(), scale_a=1, scale_b=1, out_dtype=torch.float32, use_fast_accum={fast})"})
                print(f"run_gpu: {case}: {a.m} x {a.n} results", flush=True)
    skipped = []
    if cap[0] not in (10, 12):
        skipped.append(f"block-scaled MX (mxf8f6f4, mxf4nvf4): needs a Blackwell GPU, this one is compute capability {cap[0]}.{cap[1]}")
    meta = {"device": name, "capability": f"{cap[0]}.{cap[1]}", "torch": torch.__version__, "cuda": torch.version.cuda, "seed": a.seed, "cases": cases, "skipped": skipped}
    with open(os.path.join(a.out, "data.bin"), "wb") as f:
        f.write(blob)
    with open(os.path.join(a.out, "cases.json"), "w") as f:
        json.dump(meta, f, indent=1)
    for s in skipped:
        print("run_gpu: skipped " + s, flush=True)


if __name__ == "__main__":
    main()
