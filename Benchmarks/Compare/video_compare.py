#!/usr/bin/env python3
"""Side-by-side: video embedding throughput (frames/s).

    python3 Benchmarks/Compare/video_compare.py --mkt .build/release/mkt
        [--videos 8] [--frames 8] [--rounds 3] [--keep DIR]

Runs in Benchmarks/Compare/.venv (compare_venv.py makes it on first use). Makes a random-weight
ViT-B/16 CLIP folder (reference.py's `clip_model(16)`, seeded) and V H.264 MP4
clips (320x240, 64 frames, libx264 via the ffmpeg command line), then measures, alternating the
sides round by round:

- `mkt embed-videos --frames T` on the clips (decoding, sampling and preprocessing on a thread
  of their own, ahead of the model);
- `mkt embed-images` on the same frames: the T sampled frames of each clip, as decoded by PyAV,
  written as PNG files (lossless, so both commands see the same pixels);
- PyAV + PyTorch: PyAV decodes every frame (`to_ndarray(format="rgb24")`), the same T indices,
  Pillow + numpy `clip` preprocessing, transformers' `get_image_features` in batches of 16
  under `torch.inference_mode()` (2 threads), in this process.

The mkt commands are whole processes; their fixed cost (start-up, loading the weights) is
removed by also running them on one clip: frames/s = (frames(V) − frames(1)) / (time(V) −
time(1)). The PyTorch side is timed in-process around the loop (weights loaded before). Medians
over the rounds; ratios printed at the end.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare_venv import ensure_venv  # noqa: E402

ensure_venv()

from reference import clip_model  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)


def make_model(folder):
    clip_model(16).save_pretrained(folder)            # the seeded ViT-B/16 of the image-b16 cases
    fixtures = os.path.join(HERE, "..", "..", "Tests", "Fixtures", "clip-bpe")
    for name in ("vocab.json", "merges.txt"):
        shutil.copy(os.path.join(fixtures, name), folder)


def make_clips(folder, count, length=64, width=320, height=240):
    from make_video_fixtures import ffmpeg, frames
    paths = []
    for i in range(count):
        path = os.path.join(folder, f"clip{i:03d}.mp4")
        ffmpeg(frames(width, height, length, seed=i), 25,
               ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20", "-threads", "1"], path)
        paths.append(path)
    return paths


def sample(n, t):
    tick = n / float(t)
    return [int(tick * x) % n for x in range(t)]     # multi-clip test sampling with C = 1


def decode(path):
    import av
    with av.open(path) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def write_lists(folder, clips, t):
    from PIL import Image
    video_lists, image_lists = {}, {}
    for count in (1, len(clips)):
        video_lists[count] = os.path.join(folder, f"videos-{count}.txt")
        image_lists[count] = os.path.join(folder, f"images-{count}.txt")
        with open(video_lists[count], "w") as f:
            f.write("".join(f"{os.path.basename(p)} 0\n" for p in clips[:count]))
    names = []
    for i, path in enumerate(clips):
        frames_ = decode(path)
        for k, index in enumerate(sample(len(frames_), t)):
            name = f"frames/{i:03d}-{k:02d}.png"
            os.makedirs(os.path.join(folder, "frames"), exist_ok=True)
            Image.fromarray(frames_[index]).save(os.path.join(folder, name), compress_level=1)
            names.append(name)
    for count in (1, len(clips)):
        with open(image_lists[count], "w") as f:
            f.write("\n".join(names[:count * t]) + "\n")
    return video_lists, image_lists


def clip_pixels(image, size=224):
    from PIL import Image
    w, h = image.size
    nw, nh = (size, int(size * h / w)) if w < h else (int(size * w / h), size)
    image = image.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - size) / 2.0)), int(round((nw - size) / 2.0))
    x = np.asarray(image.crop((left, top, left + size, top + size)), np.float32) / 255.0
    return ((x - MEAN) / STD).transpose(2, 0, 1)


def theirs(model, clips, t, batch=16):
    import torch
    from PIL import Image
    start = time.perf_counter()
    pending, outputs = [], []
    for path in clips:
        frames_ = decode(path)
        pending += [clip_pixels(Image.fromarray(frames_[i])) for i in sample(len(frames_), t)]
        while len(pending) >= batch:
            with torch.inference_mode():
                outputs.append(model.get_image_features(pixel_values=torch.from_numpy(np.stack(pending[:batch]))))
            pending = pending[batch:]
    if pending:
        with torch.inference_mode():
            outputs.append(model.get_image_features(pixel_values=torch.from_numpy(np.stack(pending))))
    return time.perf_counter() - start


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mkt", required=True)
    ap.add_argument("--videos", type=int, default=8)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep")
    a = ap.parse_args()
    folder = a.keep or tempfile.mkdtemp(prefix="mkt-video-compare-")
    os.makedirs(folder, exist_ok=True)
    model_dir = os.path.join(folder, "clip-b16")
    if not os.path.exists(os.path.join(model_dir, "model.safetensors")):
        make_model(model_dir)
    clips = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".mp4"))
    if len(clips) != a.videos:
        clips = make_clips(folder, a.videos)
    video_lists, image_lists = write_lists(folder, clips, a.frames)
    import torch
    from transformers import CLIPModel
    torch.set_num_threads(2)
    model = CLIPModel.from_pretrained(model_dir).eval()
    out = os.path.join(folder, "out.npy")
    ours_v = lambda n: [a.mkt, "embed-videos", "--model", model_dir, "--input", video_lists[n], "--output", out,
                        "--frames", str(a.frames), "--batch-size", "16"]
    ours_i = lambda n: [a.mkt, "embed-images", "--model", model_dir, "--input", image_lists[n], "--output", out,
                        "--batch-size", "16"]
    frames_all, frames_one = a.videos * a.frames, a.frames
    rates = {"embed-videos": [], "embed-images": [], "PyAV + PyTorch": []}
    theirs(model, clips[:1], a.frames)                                   # warm-up
    for r in range(a.rounds):
        order = ["v", "i", "t"] if r % 2 == 0 else ["t", "i", "v"]
        for side in order:
            if side == "v":
                rates["embed-videos"].append((frames_all - frames_one) / (timed(ours_v(a.videos)) - timed(ours_v(1))))
            elif side == "i":
                rates["embed-images"].append((frames_all - frames_one) / (timed(ours_i(a.videos)) - timed(ours_i(1))))
            else:
                rates["PyAV + PyTorch"].append(frames_all / theirs(model, clips, a.frames))
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} frames/s" for k, v in rates.items()), file=sys.stderr)
    median = {k: float(np.median(v)) for k, v in rates.items()}
    print(f"{a.videos} clips x {a.frames} frames (ViT-B/16, 320x240 H.264), median of {a.rounds} rounds, "
          f"load average {os.getloadavg()[0]:.2f}")
    for k, v in median.items():
        print(f"  {k:16s} {v:7.2f} frames/s")
    print(f"  embed-videos / embed-images: {median['embed-videos'] / median['embed-images']:.3f}")
    print(f"  embed-videos / PyAV + PyTorch: {median['embed-videos'] / median['PyAV + PyTorch']:.3f}")
    if not a.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
