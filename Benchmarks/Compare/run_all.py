#!/usr/bin/env python3
"""MKT side by side with the Python stack: one table of every case, ours vs theirs.

    python3 Benchmarks/Compare/run_all.py [--runs 5] [--cases sgemm-1024,text-1006,...]
                                          [--mkt .build/release/mkt] [--markdown FILE] [--extra]

Creates Benchmarks/Compare/.venv on first use (compare_venv.py) and re-runs itself there.
Builds `mkt` (release) if --mkt does not exist.

How a case is timed. Both sides run the same work with random weights: ours is
`mkt profile CASE --serve`, theirs `reference.py CASE --serve` (torch / transformers, Pillow +
numpy, scikit-learn). The two processes of a case are started once; each sets up, warms up and
prints `ready`, then does one timed run per line it is sent and reports its own time. Runs
alternate between the sides (ABBA order), so that both see the same machine. `evaluate` is timed
as a whole process per run instead (`mkt evaluate` vs a Python script that reads the same .npy
files), alternating too.

Quiet machine. Before every run the driver waits (up to --max-wait s) until the cores used by
other processes, measured from /proc/stat over --window seconds, are below --quiet; a run during
which other processes used more than --quiet cores is repeated (up to --retries times). Only the
running worker's own CPU time is left out: the idle side counts as other load, since a runtime
whose threads keep spinning after a run would slow the other side's next run unseen. The table
reports the largest other load of the runs kept.

Columns: the median time of --runs runs per side, ratio = theirs / ours (above 1: ours is
faster), and each process's peak RSS (the kernel's ru_maxrss of the child, set-up included).

Runtimes. The embedding cases (image-*, text-*) are also run against the other CPU runtimes of
--runtimes (reference.py --runtime: PyTorch bf16 autocast, ONNX Runtime, OpenVINO FP32 and bf16),
one row each, named `CASE [RUNTIME]`; the plain row is PyTorch FP32. Rows against a bf16 runtime
run ours with --precision bf16 when --ours-bf16 is given. The header names the CPU (model, family,
feature flags, from `mkt --version`) and the GEMM kernels ours runs.

Shared machine. With --hog N every case is measured a second time with N busy-looping processes
beside the two workers (started once both are ready, stopped after the case; not counted as
other load), rows named `CASE (N hogs)`, and a second table gives each side's fall-off: its
median time with the hogs over its quiet median (1.00x: unaffected).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from compare_venv import ensure_venv  # noqa: E402

ensure_venv()

import data  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
REFERENCE = [sys.executable, os.path.join(HERE, "reference.py")]


# ---------------------------------------------------------------------------------------------
# Cases: name -> (description, ours argv, theirs argv, mode). argv lists are built lazily
# from the prepared inputs `d`.

def cases(mkt, d):
    bpe = os.path.join(ROOT, "Tests", "Fixtures", "clip-bpe")
    ev = lambda out: ["--output", out]  # noqa: E731
    return {
        "sgemm-1024": ("sgemm 1024³ (Tensor.matmul vs torch.mm), 2 threads",
                       [mkt, "profile", "sgemm", "--size", "1024", "--inner", "20"],
                       REFERENCE + ["sgemm", "--size", "1024", "--inner", "20"], "serve"),
        "sgemm-2048": ("sgemm 2048³", [mkt, "profile", "sgemm", "--size", "2048", "--inner", "4"],
                       REFERENCE + ["sgemm", "--size", "2048", "--inner", "4"], "serve"),
        "image-b16-1": ("ViT-B/16 image embedding, batch 1",
                        [mkt, "profile", "image", "--model", "b16", "--batch", "1", "--inner", "4"],
                        REFERENCE + ["image", "--batch", "1", "--inner", "4"], "serve"),
        "image-b16-8": ("ViT-B/16 image embedding, batch 8",
                        [mkt, "profile", "image", "--model", "b16", "--batch", "8"],
                        REFERENCE + ["image", "--batch", "8"], "serve"),
        "text-1006": ("text tower, 1006 prompts (chunks of 128, padded to the chunk's longest)",
                      [mkt, "profile", "text", "--model", "b16", "--labels", d["labels1006"], "--tokenizer", bpe],
                      REFERENCE + ["text", "--labels", d["labels1006"], "--tokenizer", bpe], "serve"),
        "text-1006-77": ("text tower, 1006 prompts; reference pads to 77 tokens (OpenAI CLIP tokenize)",
                         [mkt, "profile", "text", "--model", "b16", "--labels", d["labels1006"], "--tokenizer", bpe],
                         REFERENCE + ["text", "--labels", d["labels1006"], "--tokenizer", bpe, "--pad", "77"],
                         "serve"),
        "stage1": ("MKT stage-1 step, batch 8, 2 trainable blocks, teacher forward, 925 labels",
                   [mkt, "profile", "stage1", "--model", "b16", "--batch", "8"],
                   REFERENCE + ["stage1", "--batch", "8", "--label-count", "925"], "serve"),
        "stage2": ("MKT stage-2 prompt step, 925 labels, batch 8 (cached image features)",
                   [mkt, "profile", "stage2", "--model", "b16", "--batch", "8", "--labels", d["labels925"],
                    "--tokenizer", bpe],
                   REFERENCE + ["stage2", "--batch", "8", "--labels", d["labels925"], "--tokenizer", bpe], "serve"),
        "preprocess": (f"decode + CLIP preprocess, {d['image_count']} JPEGs 500x375 q90, 1 thread",
                       [mkt, "profile", "preprocess", "--images", d["images"], "--threads", "1"],
                       REFERENCE + ["preprocess", "--images", d["images"]], "serve"),
        "evaluate": ("evaluate 107,859 x 1006 (read .npy, AP per label, F1@3/5, JSON), whole process",
                     lambda out: [mkt, "evaluate", "--scores", d["scores"], "--labels", d["labels_npy"],
                                  "--top-k", "3", "--top-k", "5"] + ev(out),
                     lambda out: REFERENCE + ["evaluate", "--scores", d["scores"], "--labels-npy", d["labels_npy"]]
                     + ev(out), "process"),
    }


EMBEDDING = ["image-b16-1", "image-b16-8", "text-1006", "text-1006-77"]
RUNTIMES = ["torch-bf16", "onnxruntime", "openvino", "openvino-bf16"]


def with_runtime(spec, runtime, ours_bf16):
    """The case `spec` against reference.py --runtime `runtime` (ours in bf16 against bf16)."""
    description, ours, theirs, mode = spec
    if ours_bf16 and runtime.endswith("bf16"):
        ours = ours + ["--precision", "bf16"]
    return (f"{description}; theirs: {runtime}", ours, theirs + ["--runtime", runtime], mode)


def machine(mkt):
    """The table's header: CPU model and flags, and our GEMM backend (from `mkt --version`)."""
    try:
        lines = subprocess.run([mkt, "--version"], capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        lines = []
    cpu = next((line[5:] for line in lines if line.startswith("cpu: ")), "unknown CPU")
    gemm = next((line[6:] for line in lines if line.startswith("gemm: ")), "unknown")
    return f"CPU: {cpu}\nours: {gemm}"


DEFAULT = ["sgemm-1024", "sgemm-2048", "image-b16-1", "image-b16-8", "text-1006", "stage1", "stage2",
           "preprocess", "evaluate"]


# ---------------------------------------------------------------------------------------------
# Load accounting.

def busy_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]   # user nice system irq softirq steal


def own_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime stime (all threads)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


class LoadMeter:
    """Cores used by processes other than `pids` between start() and stop()."""

    def __init__(self, pids):
        self.pids = pids

    def start(self):
        self.t, self.busy, self.own = time.monotonic(), busy_ticks(), own_ticks(self.pids)

    def stop(self):
        dt = max(time.monotonic() - self.t, 1e-3)
        other = (busy_ticks() - self.busy) - (own_ticks(self.pids) - self.own)
        return max(0.0, other / CLK_TCK / dt)


def wait_quiet(pids, args, log):
    meter = LoadMeter(pids)
    deadline = time.monotonic() + args.max_wait
    while True:
        meter.start()
        time.sleep(args.window)
        load = meter.stop()
        if load < args.quiet:
            return load
        if time.monotonic() > deadline:
            log(f"    machine still busy ({load:.2f} other cores) after {args.max_wait:.0f} s; running anyway")
            return load
        log(f"    waiting for a quiet machine ({load:.2f} other cores busy)")
        time.sleep(args.window)


# ---------------------------------------------------------------------------------------------
# Workers.

class ServeWorker:
    """A `--serve` process: set up once, then one timed run per request."""

    def __init__(self, argv, log_path):
        self.argv = argv
        self.log = open(log_path, "w")
        self.p = subprocess.Popen(argv + ["--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.log, text=True, bufsize=1)
        self._expect("ready")

    def _expect(self, word):
        for line in self.p.stdout:
            if line.startswith(word):
                return line
        raise RuntimeError(f"{' '.join(self.argv)} ended early; see {self.log.name}")

    def run(self):
        self.p.stdin.write("run\n")
        self.p.stdin.flush()
        return float(self._expect("time ").split()[1])

    def finish(self):
        self.p.stdin.close()
        _, status, usage = os.wait4(self.p.pid, 0)
        self.p.returncode = status
        self.log.close()
        return usage.ru_maxrss * 1024


class ProcessWorker:
    """A whole process per run (wall clock); peak RSS is the largest of its runs."""

    def __init__(self, make_argv, log_path, folder):
        self.make_argv, self.log_path, self.folder, self.peak, self.n = make_argv, log_path, folder, 0, 0
        self.pid = None

    def run(self):
        self.n += 1
        out = os.path.join(self.folder, f"out-{os.getpid()}-{id(self)}-{self.n}.json")
        with open(self.log_path, "a") as log:
            t = time.perf_counter()
            p = subprocess.Popen(self.make_argv(out), stdout=subprocess.DEVNULL, stderr=log)
            self.pid = p.pid
            _, status, usage = os.wait4(p.pid, 0)
            seconds = time.perf_counter() - t
        self.pid = None
        if status != 0:
            raise RuntimeError(f"{' '.join(self.make_argv(out))} failed; see {self.log_path}")
        self.peak = max(self.peak, usage.ru_maxrss * 1024)
        return seconds

    def finish(self):
        return self.peak


def start_hogs(count):
    """`count` busy-looping processes (another user's work on a shared machine)."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stop_hogs(hogs):
    for h in hogs:
        h.kill()
        h.wait()


def measure(name, spec, args, folder, log, hogs=0):
    description, ours_argv, theirs_argv, mode = spec
    base = name
    if hogs:
        noun = "hog" if hogs == 1 else "hogs"
        name, description = f"{name} ({hogs} {noun})", f"{description}; {hogs} busy-looping process(es) beside it"
    log(f"{name}: {description}")
    logs = {side: os.path.join(folder, f"{name}-{side}.log") for side in ("ours", "theirs")}
    if mode == "serve":
        ours = ServeWorker(ours_argv, logs["ours"])
        theirs = ServeWorker(theirs_argv, logs["theirs"])
    else:
        ours = ProcessWorker(ours_argv, logs["ours"], folder)
        theirs = ProcessWorker(theirs_argv, logs["theirs"], folder)
    hog_processes = start_hogs(hogs)
    hog_pids = [h.pid for h in hog_processes]
    times = {"ours": [], "theirs": []}
    worst = 0.0
    try:
        for r in range(args.runs):
            order = [("ours", ours), ("theirs", theirs)]
            if r % 2:
                order.reverse()
            for side, worker in order:
                for attempt in range(args.retries + 1):
                    # The idle side counts as other load: a runtime whose threads keep
                    # spinning after its run would otherwise slow the next run unseen.
                    wait_quiet(hog_pids, args, log)
                    meter = LoadMeter(([worker.p.pid] if mode == "serve" else []) + hog_pids)
                    meter.start()
                    if mode == "process":
                        # The child's pid is known only once started: count other load as
                        # busy time minus the busy time this driver's children used.
                        before, hog_before = os.times(), own_ticks(hog_pids)
                        seconds = worker.run()
                        after, hog_used = os.times(), (own_ticks(hog_pids) - hog_before) / CLK_TCK
                        dt = max(meter_dt(meter), 1e-3)
                        own = (after.children_user + after.children_system - before.children_user
                               - before.children_system) + hog_used
                        other = max(0.0, (busy_ticks() - meter.busy) / CLK_TCK - own) / dt
                    else:
                        seconds = worker.run()
                        other = meter.stop()
                    if other <= args.quiet or attempt == args.retries:
                        break
                    log(f"    {side} run {r + 1}: {seconds:.4f} s with {other:.2f} other cores busy; repeating")
                times[side].append(seconds)
                worst = max(worst, other)
                log(f"    {side} run {r + 1}: {seconds:.4f} s (other load {other:.2f})")
    finally:
        stop_hogs(hog_processes)
        rss = {"ours": ours.finish(), "theirs": theirs.finish()}
    o, t = statistics.median(times["ours"]), statistics.median(times["theirs"])
    return dict(case=name, base=base, hogs=hogs, description=description, ours=o, theirs=t, ratio=t / o,
                ours_rss=rss["ours"], theirs_rss=rss["theirs"], other=worst, ours_runs=times["ours"],
                theirs_runs=times["theirs"])


def meter_dt(meter):
    return time.monotonic() - meter.t


# ---------------------------------------------------------------------------------------------
# Output.

def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_bytes(b):
    return f"{b / 2**20:.0f} MiB" if b < 2**30 else f"{b / 2**30:.2f} GiB"


def table(rows):
    head = "| case | ours | theirs | ratio (theirs/ours) | ours peak RSS | theirs peak RSS | other load |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['case']} | {fmt_time(r['ours'])} | {fmt_time(r['theirs'])} | {r['ratio']:.2f}x | "
                     f"{fmt_bytes(r['ours_rss'])} | {fmt_bytes(r['theirs_rss'])} | {r['other']:.2f} |")
    return "\n".join(lines)


def fall_off_table(rows):
    """Each side's hogged median over its quiet median, per case measured both ways."""
    quiet = {r["base"]: r for r in rows if not r["hogs"]}
    lines = ["| case | ours quiet | ours shared | ours fall-off | theirs quiet | theirs shared | theirs fall-off |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        q = quiet.get(r["base"]) if r["hogs"] else None
        if q:
            lines.append(f"| {r['case']} | {fmt_time(q['ours'])} | {fmt_time(r['ours'])} | {r['ours'] / q['ours']:.2f}x | "
                         f"{fmt_time(q['theirs'])} | {fmt_time(r['theirs'])} | {r['theirs'] / q['theirs']:.2f}x |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per side (median reported; at least 5)")
    ap.add_argument("--cases", help="comma-separated subset (default: all but text-1006-77)")
    ap.add_argument("--extra", action="store_true", help="also text-1006-77 (reference padded to 77 tokens)")
    ap.add_argument("--mkt", default=os.path.join(ROOT, ".build", "release", "mkt"))
    ap.add_argument("--quiet", type=float, default=0.15, help="other cores busy that count as quiet")
    ap.add_argument("--window", type=float, default=1.0, help="seconds of each quiet check")
    ap.add_argument("--max-wait", type=float, default=600, help="longest wait for quiet before a run")
    ap.add_argument("--retries", type=int, default=3, help="repeats of a run disturbed by other load")
    ap.add_argument("--images", type=int, default=64, help="JPEGs in the preprocess case")
    ap.add_argument("--markdown", help="also write the table (with the per-run times) to this file")
    ap.add_argument("--keep", help="keep inputs and logs in this folder (default: a temporary one)")
    ap.add_argument("--runtimes", default=",".join(RUNTIMES),
                    help=f"other runtimes of the embedding cases (comma-separated; '' for none; default {','.join(RUNTIMES)})")
    ap.add_argument("--ours-bf16", action="store_true", help="ours with --precision bf16 against bf16 runtimes")
    ap.add_argument("--hog", type=int, default=0, metavar="N",
                    help="also measure every row with N busy-looping processes beside it (a shared machine)")
    args = ap.parse_args()
    if args.runs < 1 or args.hog < 0:
        sys.exit("--runs must be at least 1 and --hog at least 0")
    names = args.cases.split(",") if args.cases else DEFAULT + (["text-1006-77"] if args.extra else [])

    if not os.path.exists(args.mkt):
        print("building mkt (release)", file=sys.stderr)
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "mkt"], cwd=ROOT)
    folder = args.keep or tempfile.mkdtemp(prefix="mkt-compare-")
    os.makedirs(folder, exist_ok=True)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    # Inputs are made in a child process: the driver's own RSS would otherwise be the floor of
    # every worker's ru_maxrss (Linux keeps the high-water mark across fork and exec).
    subprocess.check_call([sys.executable, os.path.join(HERE, "data.py"), folder, ",".join(names), str(args.images)])
    d = data.prepare(folder, names, image_count=args.images, log=log)
    specs = cases(args.mkt, d)
    unknown = [n for n in names if n not in specs]
    if unknown:
        sys.exit(f"unknown case(s) {unknown}; known: {', '.join(specs)}")
    runtimes = [r for r in args.runtimes.split(",") if r]
    unknown = [r for r in runtimes if r not in RUNTIMES]
    if unknown:
        sys.exit(f"unknown runtime(s) {unknown}; known: {', '.join(RUNTIMES)}")
    header = machine(args.mkt)
    log(header)
    rows = []
    for n in names:
        variants = [(n, specs[n])] + [(f"{n} [{runtime}]", with_runtime(specs[n], runtime, args.ours_bf16))
                                      for runtime in (runtimes if n in EMBEDDING else [])]
        for name, spec in variants:
            for hogs in sorted({0, args.hog}):
                rows.append(measure(name, spec, args, folder, log, hogs))
                log(table(rows[-1:]))
    print(f"MKT vs Python stack; median of {args.runs} alternating runs per side; {os.cpu_count()} cores")
    print(header)
    print(table(rows))
    print()
    if args.hog:
        print(f"Fall-off on a shared machine ({args.hog} busy-looping process(es); time shared / time quiet):")
        print(fall_off_table(rows))
        print()
    for r in rows:
        print(f"- {r['case']}: {r['description']}")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(header.replace("\n", "  \n") + "\n\n" + table(rows) + "\n\n")
            if args.hog:
                f.write(fall_off_table(rows) + "\n\n")
            for r in rows:
                f.write(f"- {r['case']}: {r['description']}. ours runs: "
                        + ", ".join(f"{s:.4f}" for s in r["ours_runs"]) + "; theirs runs: "
                        + ", ".join(f"{s:.4f}" for s in r["theirs_runs"]) + "\n")
    if not args.keep:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
