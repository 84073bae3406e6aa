#!/usr/bin/env python3
"""Where a comparison case spends its time: `perf record` attached to one side's worker after
its set-up and warm-up, over --runs timed runs, then `perf report --no-children --sort symbol`.

    python3 Benchmarks/Compare/profile_case.py CASE [--side ours|theirs] [--runs 2] [--top 25]

CASE is a serve-mode case of run_all.py (e.g. image-b16-8, text-1006, stage1, stage2). Set-up
(random weights, inputs) is not in the profile. The perf data file is kept (--output).
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare_venv import ensure_venv  # noqa: E402

ensure_venv()

import data  # noqa: E402
import run_all  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case")
    ap.add_argument("--side", choices=["ours", "theirs"], default="ours")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--frequency", type=int, default=499)
    ap.add_argument("--mkt", default=os.path.join(run_all.ROOT, ".build", "release", "mkt"))
    ap.add_argument("--output", default=None, help="perf data file (default: /tmp/mkt-CASE-SIDE.perf)")
    ap.add_argument("--folder", default=None, help="inputs folder (default: a temporary one)")
    a = ap.parse_args()
    folder = a.folder or tempfile.mkdtemp(prefix="mkt-profile-")
    d = data.prepare(folder, [a.case], log=lambda m: print(m, file=sys.stderr))
    spec = run_all.cases(a.mkt, d)[a.case]
    if spec[3] != "serve":
        sys.exit(f"{a.case} runs whole processes: profile it with `perf record -g -- COMMAND` instead")
    argv = spec[1] if a.side == "ours" else spec[2]
    out = a.output or f"/tmp/mkt-{a.case}-{a.side}.perf"
    worker = run_all.ServeWorker(argv, os.path.join(folder, "worker.log"))
    perf = subprocess.Popen(["perf", "record", "-F", str(a.frequency), "-g", "-o", out, "-p", str(worker.p.pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    times = [worker.run() for _ in range(a.runs)]
    perf.send_signal(signal.SIGINT)
    perf.wait()
    worker.finish()
    print(f"{a.case} ({a.side}): runs {', '.join(f'{t:.3f} s' for t in times)}; perf data {out}")
    report = subprocess.run(["perf", "report", "-i", out, "--no-children", "--sort", "symbol", "--stdio"],
                            capture_output=True, text=True).stdout
    rows = [line for line in report.splitlines() if line.strip() and line.strip()[0].isdigit()]
    for line in rows[:a.top]:
        print(line.rstrip()[:160])


if __name__ == "__main__":
    main()
