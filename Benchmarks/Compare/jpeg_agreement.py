#!/usr/bin/env python3
"""How closely `mkt preprocess` (system libjpeg-turbo) agrees with Pillow's wheel (libjpeg-turbo
3.2.0) on JPEG variants: quality 30-100, 4:4:4 / 4:2:2 / 4:2:0, baseline / progressive, grey,
CMYK, odd sizes.

    python3 Benchmarks/Compare/jpeg_agreement.py --mkt .build/release/mkt [--count 60]

Uses the venv of preprocess_compare.py. Prints, per preset, the largest |difference| and the
share of values within 1e-5 over all images, and the number of images that differ at all.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_PY = os.path.join(HERE, ".venv", "bin", "python")
if os.path.abspath(sys.prefix) != os.path.abspath(os.path.join(HERE, ".venv")):
    if not os.path.exists(VENV_PY):
        subprocess.check_call([sys.executable, os.path.join(HERE, "preprocess_compare.py"), "--images", "1",
                               "--rounds", "1", "--repeats", "1"])
    os.execv(VENV_PY, [VENV_PY, os.path.abspath(__file__)] + sys.argv[1:])

import numpy as np  # noqa: E402
from PIL import Image, ImageFilter, features  # noqa: E402


PRESETS = {"clip": ((0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711), 224),
           "mkt": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225), 256)}


def reference(path, preset):
    mean, std, short = PRESETS[preset]
    im = Image.open(path).convert("RGB")
    w, h = im.size
    nw, nh = (short, int(short * h / w)) if w <= h else (int(short * w / h), short)
    if (nw, nh) != (w, h):
        im = im.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - 224) / 2.0)), int(round((nw - 224) / 2.0))
    x = np.asarray(im.crop((left, top, left + 224, top + 224)), np.float32) / 255.0
    return ((x - np.array(mean, np.float32)) / np.array(std, np.float32)).transpose(2, 0, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mkt", required=True)
    ap.add_argument("--count", type=int, default=60)
    args = ap.parse_args()
    rng = np.random.default_rng(42)
    with tempfile.TemporaryDirectory() as d:
        names = []
        for i in range(args.count):
            w, h = int(rng.integers(230, 700)), int(rng.integers(230, 700))
            y, x = np.mgrid[0:h, 0:w]
            a = np.stack([x * 255 / w, y * 255 / h, (x * y) % 256], -1) + rng.integers(-40, 41, (h, w, 3))
            im = Image.fromarray(a.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(float(rng.uniform(0, 3))))
            kind = i % 6
            name = f"v{i:03d}.jpg"
            q = int(rng.integers(30, 101))
            if kind == 4:
                im.convert("L").save(os.path.join(d, name), quality=q, progressive=bool(i % 2))
            elif kind == 5:
                im.convert("CMYK").save(os.path.join(d, name), quality=q)
            else:
                im.save(os.path.join(d, name), quality=q, subsampling=[0, 1, 2, 2][kind], progressive=kind == 3)
            names.append(name)
        with open(os.path.join(d, "list.txt"), "w") as f:
            f.write("\n".join(names) + "\n")
        print(f"{args.count} JPEGs; Pillow with libjpeg-turbo {features.version('libjpeg_turbo')} vs mkt")
        for preset in PRESETS:
            out = os.path.join(d, f"{preset}.npy")
            subprocess.run([args.mkt, "preprocess", "--preset", preset, "--input", os.path.join(d, "list.txt"),
                            "--output", out], check=True, capture_output=True)
            got = np.load(out)
            ref = np.stack([reference(os.path.join(d, n), preset) for n in names])
            diff = np.abs(got.astype(np.float64) - ref)
            differing = int(np.sum(diff.reshape(len(names), -1).max(1) > 0))
            print(f"{preset}: max |diff| {diff.max():.2e}, {100 * np.mean(diff <= 1e-5):.4f}% within 1e-5, "
                  f"{differing} of {len(names)} images differ")


if __name__ == "__main__":
    main()
