#!/usr/bin/env python3
"""Side-by-side: decode + `clip` preprocessing of 500x375 JPEGs, MKTImage vs Pillow + numpy.

    python3 Benchmarks/Compare/preprocess_compare.py [--images 64] [--rounds 3] [--repeats 5]
                                                     [--format jpeg|png] [--mkt .build/release/mkt]

Creates Benchmarks/Compare/.venv (Pillow 13.0.0 + numpy) on first use and re-runs itself there.
Builds and runs Benchmarks' `ImagePreprocessing` executable for our side (an in-process timing,
so process start-up is not counted), and times Pillow + numpy in this process on the same files:
`Image.open().convert("RGB")`, torchvision's shorter-side-224 size rule, `resize(BICUBIC)`,
centre crop, float32 /255, CLIP mean/std, HWC -> CHW. Rounds alternate between the two sides so
that both see the same machine load; the medians of the rounds are reported, by the wall clock
and per CPU second (process CPU time, which other load on the machine disturbs much less), with
the load average of the machine before and after.
With --mkt, `mkt preprocess` also runs once on the same list and its output is compared with
Pillow's (max |diff|).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
VENV = os.path.join(HERE, ".venv")
VENV_PY = os.path.join(VENV, "bin", "python")


def ensure_venv():
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(VENV_PY):
        print(f"creating {VENV} (Pillow 13.0.0, numpy)", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([VENV_PY, "-m", "pip", "install", "-q", "pillow==13.0.0", "numpy"])
    os.execv(VENV_PY, [VENV_PY, os.path.abspath(__file__)] + sys.argv[1:])


ensure_venv()

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, features  # noqa: E402

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)


def make_images(folder, count, fmt):
    """Photo-like 500x375 images: gradients, blurred blobs, pixel noise (seeded)."""
    rng = np.random.default_rng(0)
    names = []
    h, w = 375, 500
    y, x = np.mgrid[0:h, 0:w]
    for i in range(count):
        base = np.stack([x * 255 / w, y * 255 / h, (x + y) * 127 / (w + h) + rng.integers(0, 100)], -1)
        im = Image.fromarray(base.clip(0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(im)
        for _ in range(12):
            cx, cy, r = rng.integers(0, w), rng.integers(0, h), rng.integers(10, 80)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
        im = im.filter(ImageFilter.GaussianBlur(3))
        noisy = np.asarray(im).astype(int) + rng.integers(-12, 13, (h, w, 3))
        name = f"img{i:03d}.{'jpg' if fmt == 'jpeg' else 'png'}"
        out = Image.fromarray(noisy.clip(0, 255).astype(np.uint8))
        if fmt == "jpeg":
            out.save(os.path.join(folder, name), quality=90)
        else:
            out.save(os.path.join(folder, name))
        names.append(name)
    with open(os.path.join(folder, "list.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    return [os.path.join(folder, n) for n in names]


def pillow_preprocess(path, size=224):
    im = Image.open(path).convert("RGB")
    w, h = im.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    if (nw, nh) != (w, h):
        im = im.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - size) / 2.0)), int(round((nw - size) / 2.0))
    im = im.crop((left, top, left + size, top + size))
    x = np.asarray(im, np.float32) / 255.0
    x = (x - MEAN) / STD
    return x.transpose(2, 0, 1)


def time_pillow(paths, repeats):
    """(median images/s by the wall clock, median images per CPU second, last output)."""
    out = np.empty((len(paths), 3, 224, 224), np.float32)
    rates, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for i, p in enumerate(paths):
            out[i] = pillow_preprocess(p)
        rates.append(len(paths) / (time.perf_counter() - t0))
        cpu.append(len(paths) / max(time.process_time() - c0, 1e-9))
    return float(np.median(rates)), float(np.median(cpu)), out


def time_ours(exe, list_path, repeats):
    r = subprocess.run([exe, list_path, "--repeats", str(repeats)], capture_output=True, text=True, check=True)
    values = dict(line.split() for line in r.stdout.splitlines() if line.strip())
    return {k: float(v) for k, v in values.items()}


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--format", choices=["jpeg", "png"], default="jpeg")
    ap.add_argument("--exe", default=os.path.join(ROOT, "Benchmarks", ".build", "release", "ImagePreprocessing"))
    ap.add_argument("--mkt", help="also check `mkt preprocess` against Pillow on the same files")
    args = ap.parse_args()

    if not os.path.exists(args.exe):
        print("building Benchmarks (ImagePreprocessing)", file=sys.stderr)
        subprocess.check_call(["swift", "build", "-c", "release", "--package-path", os.path.join(ROOT, "Benchmarks")])

    with tempfile.TemporaryDirectory() as folder:
        paths = make_images(folder, args.images, args.format)
        list_path = os.path.join(folder, "list.txt")
        sizes = [os.path.getsize(p) for p in paths]
        print(f"{args.images} synthetic 500x375 {args.format.upper()} images (mean {np.mean(sizes) / 1024:.0f} KiB); "
              f"Pillow {Image.__version__ if hasattr(Image, '__version__') else ''} "
              f"(libjpeg-turbo {features.version('libjpeg_turbo')}, zlib {features.version('zlib')}), numpy {np.__version__}")
        load_before = load()
        theirs, theirs_cpu, ours = [], [], []
        reference = None
        for _ in range(args.rounds):
            rate, cpu, reference = time_pillow(paths, args.repeats)
            theirs.append(rate)
            theirs_cpu.append(cpu)
            ours.append(time_ours(args.exe, list_path, args.repeats))
        load_after = load()
        pil, pil_cpu = float(np.median(theirs)), float(np.median(theirs_cpu))
        med = {k: float(np.median([o[k] for o in ours])) for k in ours[0]}
        one, two = med["full_1thread_images_per_s"], med["full_2threads_images_per_s"]
        one_cpu = med["full_1thread_images_per_cpu_s"]
        print(f"{'pipeline':<44} {'images/s':>10} {'images/CPU-s':>13}")
        print(f"{'Pillow + numpy, 1 thread':<44} {pil:>10.1f} {pil_cpu:>13.1f}")
        print(f"{'MKTImage, 1 thread':<44} {one:>10.1f} {one_cpu:>13.1f}")
        print(f"{'MKTImage, 2 threads':<44} {two:>10.1f} {med['full_2threads_images_per_cpu_s']:>13.1f}")
        for label, key in (("decode only", "decode"), ("resize + centre crop", "resize_crop"),
                           ("float + normalise + CHW", "normalise")):
            print(f"{'  MKTImage stage: ' + label:<44} {med[key + '_images_per_s']:>10.1f} "
                  f"{med[key + '_images_per_cpu_s']:>13.1f}")
        print(f"ratio ours/Pillow, 1 thread: {one / pil:.2f}x by the wall clock, {one_cpu / pil_cpu:.2f}x per CPU "
              f"second; 2 threads: {two / pil:.2f}x (scaling {two / one:.2f}x over 1 thread)")
        print(f"rounds: Pillow {[round(r, 1) for r in theirs]}, ours 1 thread "
              f"{[round(o['full_1thread_images_per_s'], 1) for o in ours]}")
        print(f"machine load average (1 min) before {load_before:.2f}, after {load_after:.2f} "
              f"(this run itself adds about 1)")
        if args.mkt:
            out = os.path.join(folder, "pixels.npy")
            subprocess.run([args.mkt, "preprocess", "--preset", "clip", "--input", list_path, "--output", out],
                           check=True, capture_output=True)
            got = np.load(out)
            print(f"mkt preprocess vs Pillow on these images: max |diff| {np.abs(got - reference).max():.2e}")


if __name__ == "__main__":
    main()
