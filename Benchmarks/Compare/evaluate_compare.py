#!/usr/bin/env python3
"""Side-by-side timing: `mkt evaluate` vs scikit-learn on a NUS-WIDE-sized score matrix.

Builds a 107,859 x 1006 float32 score matrix (the NUS-WIDE GZSL test set's shape) with about 2%
positives (+1/-1 labels as int8), then times
  ours:   `mkt evaluate --top-k 3 --top-k 5` (reading both .npy files, per-label AP, mAP,
          P/R/F1@3 and @5, writing the JSON), wall clock of the whole process;
  theirs: scikit-learn's `average_precision_score` per label (the AP part alone, in memory).
and prints both, their ratio, and the largest AP difference (our `--ap-mode sklearn` run must
match scikit-learn exactly, ties included).

Setup (once):  python3 -m venv Benchmarks/Compare/.venv
               Benchmarks/Compare/.venv/bin/pip install numpy scikit-learn
Run:           swift build -c release --product mkt
               Benchmarks/Compare/.venv/bin/python Benchmarks/Compare/evaluate_compare.py [--repeat 3]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score

HERE = os.path.dirname(os.path.abspath(__file__))
MKT = os.path.join(HERE, "..", "..", ".build", "release", "mkt")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", type=int, default=107859)
    p.add_argument("--labels", type=int, default=1006)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--mkt", default=MKT)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    n, l = a.images, a.labels
    rng = np.random.default_rng(a.seed)
    y = np.where(rng.random((n, l), dtype=np.float32) < 0.02, 1, -1).astype(np.int8)
    s = (rng.random((n, l), dtype=np.float32) + 0.5 * (y == 1)).astype(np.float32)
    tmp = tempfile.mkdtemp(prefix="evaluate-compare-")
    sp, yp = os.path.join(tmp, "scores.npy"), os.path.join(tmp, "labels.npy")
    np.save(sp, s)
    np.save(yp, y)
    print(f"matrix {n} x {l} float32, {int((y == 1).sum())} positives; numpy {np.__version__}, "
          f"scikit-learn {sklearn.__version__}; {os.cpu_count()} cores")

    cpu = []

    def ours(mode):
        out = os.path.join(tmp, f"m-{mode}.json")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([a.mkt, "evaluate", "--scores", sp, "--labels", yp, "--top-k", "3", "--top-k", "5",
                        "--ap-mode", mode, "--output", out], check=True, stdout=subprocess.DEVNULL)
        secs = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        with open(out) as f:
            return secs, json.load(f)

    print(f"load average before: {os.getloadavg()[0]:.2f} (other engineers' jobs share the 2 cores)")
    times = []
    for _ in range(a.repeat):
        secs, result = ours("reference")
        times.append(secs)
    _, result_sk = ours("sklearn")
    ours_med = float(np.median(times))
    print(f"ours   mkt evaluate (AP all labels + F1@3/5, incl. file reading): "
          f"min {min(times):.2f} s, median {ours_med:.2f} s, max {max(times):.2f} s; "
          f"CPU (user+sys) median {float(np.median(cpu)):.2f} s")

    st = s.T.copy()
    yt = (y.T == 1)
    theirs = []
    for _ in range(a.repeat):
        t = time.perf_counter()
        ap = np.array([average_precision_score(yt[j], st[j]) for j in range(l)])
        theirs.append(time.perf_counter() - t)
    theirs_med = float(np.median(theirs))
    print(f"theirs sklearn average_precision_score per label (AP only, in memory): "
          f"min {min(theirs):.2f} s, median {theirs_med:.2f} s, max {max(theirs):.2f} s")
    print(f"ratio  theirs / ours = {theirs_med / ours_med:.1f}x (wall clock, medians)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"check  max |AP diff| ours(--ap-mode sklearn) vs sklearn: "
          f"{np.abs(np.array(result_sk['ap']) - ap).max():.1e}; "
          f"ours(reference) vs sklearn: {np.abs(np.array(result['ap']) - ap).max():.1e} (ties only)")
    print(f"       mAP {result['mAP']:.6f}, F1@3 {result['top_k']['3']['f1']:.6f}, "
          f"F1@5 {result['top_k']['5']['f1']:.6f}")


if __name__ == "__main__":
    sys.exit(main())
