#!/usr/bin/env python3
"""Stage-1 step time on one machine: 1 rank x T threads against R ranks x T/R threads (the
measurement of Docs/Distributed.md, "Measured on this machine").

Makes (once, in --work) a ViT-B/16-shaped CLIP with random weights (`mkt contrastive-tune
--steps 1`), --images preprocessed images and their labels, then runs `mkt distill` for each
layout in turn, --rounds times (layouts alternated, so a change of load hits both). The time of
each step is when its line appears in `training-log.jsonl` (polled every 5 ms), so a step's time
is the gap to the line before; the first step (model loading, the frozen-prefix cache) is
reported apart. Also: each run's CPU time (user + sys of all its processes), the bytes
all-reduced per step (the trainable parameters in the checkpoint's optimizer state, Float32)
and the load average before and after, since other work on the machine changes every number.

Standard library only. Usage:
  python3 scripts/mpi_step_time.py --mkt .build/release/mkt [--layouts 1x2,2x1] [--steps 6]
  python3 scripts/mpi_step_time.py --model tiny     # the tiny test CLIP: checks the script in seconds
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

from mpi_tests import write_npy  # the same folder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
IMAGES = ["astronaut-q90.jpg", "camera-grey.jpg", "chelsea.png", "coins-grey.png", "coffee-progressive.jpg",
          "hubble-rgba.png", "rocket-palette.png"]
VITB16 = ["--image-size", "224", "--patch-size", "16", "--vision-width", "768", "--vision-layers", "12",
          "--text-width", "512", "--text-layers", "12", "--heads", "8", "--context-length", "77", "--projection-dim", "512"]


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(" ".join(command) + "\n" + result.stdout + result.stderr)
        raise SystemExit(f"command failed with status {result.returncode}")


def trainable_floats(optimizer_file):
    """The element count of the `exp_avg` tensors of an optimizer.safetensors (the gradient's)."""
    with open(optimizer_file, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
    count = 0
    for name, entry in header.items():
        if name.startswith("exp_avg.") and not name.startswith("exp_avg_sq."):
            n = 1
            for d in entry["shape"]:
                n *= d
            count += n
    return count


def prepare(mkt, work, model, images):
    """The teacher folder, pixels, labels and label embeddings in `work` (made once)."""
    teacher = os.path.join(FIXTURES, "tiny-clip") if model == "tiny" else os.path.join(work, "vitb16")
    if model != "tiny" and not os.path.exists(os.path.join(teacher, "model.safetensors")):
        shutil.rmtree(teacher, ignore_errors=True)
        run([mkt, "contrastive-tune", "--output", teacher, "--steps", "1", "--batch-size", "2", *VITB16])
    pixels = os.path.join(work, f"pixels-{model}-{images}.npy")
    if not os.path.exists(pixels):
        listing = os.path.join(work, "images.txt")
        with open(listing, "w") as f:
            f.writelines(os.path.join(FIXTURES, "images", IMAGES[i % len(IMAGES)]) + "\n" for i in range(images))
        run([mkt, "preprocess", "--preset", "mkt", "--input", listing, "--output", pixels])
    names = os.path.join(work, "names.txt")
    with open(names, "w") as f:
        f.write("cat\ndog\nsky\nrocket\n")
    embeddings = os.path.join(work, f"names-{model}.npy")
    if not os.path.exists(embeddings):
        run([mkt, "embed-text", "--model", teacher, "--input", names, "--output", embeddings])
    labels = os.path.join(work, f"labels-{images}.npy")
    write_npy(labels, [1.0 if (i + j) % 3 == 0 else -1.0 for i in range(images) for j in range(4)], [images, 4])
    return teacher, pixels, labels, embeddings


def measure(mkt, layout, teacher, pixels, labels, embeddings, output, steps, batch):
    """One `mkt distill` run: the times its log lines appeared, CPU seconds, wall seconds."""
    ranks, threads = layout
    env = dict(os.environ, MKT_THREADS=str(threads))
    command = [mkt, "distill", "--teacher", teacher, "--pixels", pixels, "--labels", labels,
               "--label-embeddings", embeddings, "--output", output, "--batch-size", str(batch),
               "--epochs", str(steps), "--max-steps", str(steps), "--top-k", "8"]
    if ranks > 1:
        command = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(ranks), "-x", "MKT_THREADS"] + command
    shutil.rmtree(output, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    log = os.path.join(output, "training-log.jsonl")
    seen = []
    while process.poll() is None:
        if os.path.exists(log):
            with open(log) as f:
                lines = [line for line in f.read().split("\n")[:-1] if line.strip()]
            while len(seen) < len(lines):
                seen.append(time.monotonic() - start)
        time.sleep(0.005)
    wall = time.monotonic() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(log) as f:
        sizes = {json.loads(line)["world_size"] for line in f if line.strip()}
    return seen, cpu, wall, sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mkt", default=os.path.join(ROOT, ".build", "release", "mkt"))
    parser.add_argument("--model", choices=["vitb16", "tiny"], default="vitb16")
    parser.add_argument("--layouts", default="1x2,2x1", help="RANKSxTHREADS, comma-separated")
    parser.add_argument("--steps", type=int, default=6, help="steps per run (the first is reported apart)")
    parser.add_argument("--images", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", help="a folder kept between runs (default: a temporary one)")
    options = parser.parse_args()
    mkt = os.path.abspath(options.mkt)
    layouts = [tuple(int(x) for x in text.split("x")) for text in options.layouts.split(",")]
    work = options.work or tempfile.mkdtemp(prefix="mkt-steptime-")
    os.makedirs(work, exist_ok=True)
    try:
        teacher, pixels, labels, embeddings = prepare(mkt, work, options.model, options.images)
        print(f"model {options.model}, {options.images} images, batch {options.batch_size}, {options.steps} steps per run, "
              f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}", flush=True)
        results = {layout: [] for layout in layouts}
        for round_ in range(options.rounds):
            for layout in layouts:
                output = os.path.join(work, f"run-{layout[0]}x{layout[1]}")
                seen, cpu, wall, sizes = measure(mkt, layout, teacher, pixels, labels, embeddings, output,
                                                 options.steps, options.batch_size)
                gaps = [b - a for a, b in zip(seen, seen[1:])]
                floats = trainable_floats(os.path.join(output, "checkpoint", "optimizer.safetensors"))
                results[layout].append(gaps)
                print(f"round {round_ + 1}, {layout[0]} rank(s) x {layout[1]} thread(s): first step at {seen[0]:.2f} s, "
                      f"later steps {', '.join(f'{g:.2f}' for g in gaps)} s (median {statistics.median(gaps):.2f} s); "
                      f"run {wall:.1f} s wall, {cpu:.1f} s CPU; world_size {sorted(sizes)}; "
                      f"{floats * 4:,} bytes of gradients (all-reduced per step with more than one rank); "
                      f"load average {os.getloadavg()[0]:.2f}", flush=True)
        print("median step time over all rounds:")
        base = statistics.median([g for gaps in results[layouts[0]] for g in gaps])
        for layout in layouts:
            median = statistics.median([g for gaps in results[layout] for g in gaps])
            print(f"  {layout[0]} rank(s) x {layout[1]} thread(s): {median:.3f} s ({median / base:.2f}x the first layout)")
    finally:
        if not options.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
