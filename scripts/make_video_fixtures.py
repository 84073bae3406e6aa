"""Writes the reference fixtures of MKTVideo's tests (Tests/Fixtures/video).

    Benchmarks/Compare/.venv/bin/python scripts/make_video_fixtures.py Tests/Fixtures/video

- sampling.json: frame indices of Text4Vis' segment sampling (datasets/datasets.py) for
  T in {1, 3, 8, 16}, n = 1..300: validation `int(n/T * x) % n`, multi-clip test for C in
  {1, 2, 3, 4, 10} with starts `linspace(0, n/T - 1, C)` truncated toward zero (NumPy 1.x's
  `dtype=int`), and the training segment bounds `i * n // T`.
- clips/: small videos (made with the ffmpeg command line from generated RGB frames) and
  frame folders; *.frames.npy: PyAV's `to_ndarray(format="rgb24")` of every frame, or Pillow's
  `convert("RGB")` of every frame image.
- embeddings.npy: transformers' CLIPModel.get_image_features of the sampled frames of
  clips/list.txt, preprocessed like `mkt preprocess --preset clip` (Pillow bicubic resize of the
  shorter side, centre crop, CLIP mean/std), [N, C*T, D] for T = 3, C = 2.
"""
import json
import os
import subprocess
import sys

import numpy as np

SEGMENTS = [1, 3, 8, 16]
CLIPS = [1, 2, 3, 4, 10]


def validation(n, t):
    tick = n / float(t)
    return [int(tick * x) % n for x in range(t)]


def test(n, t, c):
    tick = n / float(t)
    starts = np.linspace(0, tick - 1, num=c).astype(int)   # float64, then truncation (NumPy 1.x dtype=int)
    out = []
    for s in starts.tolist():
        out += [int(s + tick * x) % n for x in range(t)]
    return out


def sampling_table():
    rows = []
    for t in SEGMENTS:
        for n in range(1, 301):
            rows.append({
                "n": n, "t": t,
                "validation": validation(n, t),
                "test": {str(c): test(n, t, c) for c in CLIPS},
                "ticks": [i * n // t for i in range(t + 1)],
            })
    return rows


def frames(width, height, count, seed):
    """Moving gradients and a square: smooth content and sharp edges."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    out = []
    for k in range(count):
        f = np.zeros((height, width, 3), np.uint8)
        f[..., 0] = (x * 255 // max(1, width - 1) + 7 * k) % 256
        f[..., 1] = (y * 255 // max(1, height - 1) + 3 * k) % 256
        f[..., 2] = ((x + y + 11 * k) * 2) % 256
        s = max(4, min(width, height) // 4)
        left = (5 * k) % max(1, width - s)
        top = (3 * k) % max(1, height - s)
        f[top:top + s, left:left + s] = rng.integers(0, 256, 3, dtype=np.uint8)
        out.append(f)
    return out


def ffmpeg(frames_, fps, args, path):
    h, w, _ = frames_[0].shape
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
           "-r", str(fps), "-i", "-"] + args + [path]
    subprocess.run(cmd, input=b"".join(f.tobytes() for f in frames_), check=True)


def pyav_frames(path):
    import av
    with av.open(path) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def make_clips(folder):
    from PIL import Image
    os.makedirs(folder, exist_ok=True)
    specs = {
        # name: (width, height, frames, fps, ffmpeg arguments)
        "h264.mp4": (64, 48, 30, 25, ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", "-threads", "1",
                                       "-movflags", "+faststart"]),
        "vp9.webm": (66, 50, 20, 25, ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-crf", "30", "-b:v", "0", "-threads", "1"]),
        "mjpeg.avi": (64, 48, 12, 25, ["-c:v", "mjpeg", "-q:v", "3"]),
        "ffv1.mkv": (61, 47, 10, 25, ["-c:v", "ffv1", "-pix_fmt", "bgr0"]),
        "x264rgb.mkv": (64, 48, 10, 25, ["-c:v", "libx264rgb", "-qp", "0", "-threads", "1"]),
    }
    for i, (name, (w, h, count, fps, args)) in enumerate(sorted(specs.items())):
        path = os.path.join(folder, name)
        ffmpeg(frames(w, h, count, seed=i), fps, args, path)
        np.save(path + ".frames.npy", pyav_frames(path))
    # Frame folders: JPEG and PNG frames, Text4Vis names.
    for name, ext, count in [("folder-jpg", "jpg", 9), ("folder-png", "png", 5)]:
        sub = os.path.join(folder, name)
        os.makedirs(sub, exist_ok=True)
        fs = frames(40, 30, count, seed=7)
        for k, f in enumerate(fs):
            Image.fromarray(f).save(os.path.join(sub, f"img_{k + 1:05d}.{ext}"), quality=90)
        decoded = [np.asarray(Image.open(os.path.join(sub, f"img_{k + 1:05d}.{ext}")).convert("RGB"))
                   for k in range(count)]
        np.save(os.path.join(folder, name + ".frames.npy"), np.stack(decoded))
    with open(os.path.join(folder, "list.txt"), "w") as f:
        f.write("h264.mp4 0\nvp9.webm 1\nfolder-jpg 9 2\nffv1.mkv 3\nmjpeg.avi 4\n")


def bad_clips(folder):
    os.makedirs(folder, exist_ok=True)
    clips = os.path.join(folder, "..", "clips")
    data = open(os.path.join(clips, "h264.mp4"), "rb").read()          # index (moov) first
    # Frame data cut: the index announces 30 frames.
    open(os.path.join(folder, "truncated.mp4"), "wb").write(data[: len(data) * 2 // 3])
    # Index at the end, cut off with the last frames.
    ffmpeg(frames(64, 48, 30, seed=1), 25, ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-threads", "1"],
           os.path.join(folder, "index-at-end.mp4"))
    tail = open(os.path.join(folder, "index-at-end.mp4"), "rb").read()
    os.remove(os.path.join(folder, "index-at-end.mp4"))
    open(os.path.join(folder, "cut-index.mp4"), "wb").write(tail[: len(tail) * 2 // 3])
    avi = open(os.path.join(clips, "mjpeg.avi"), "rb").read()
    open(os.path.join(folder, "truncated.avi"), "wb").write(avi[: len(avi) // 2])
    webm = open(os.path.join(clips, "vp9.webm"), "rb").read()
    open(os.path.join(folder, "truncated.webm"), "wb").write(webm[: len(webm) // 2])
    # Damaged frame data, headers intact.
    corrupt = bytearray(data)
    rng = np.random.default_rng(3)
    for i in rng.integers(len(data) // 3, len(data) - 64, 400):
        corrupt[i] ^= 0xFF
    open(os.path.join(folder, "corrupt.mp4"), "wb").write(bytes(corrupt))
    open(os.path.join(folder, "not-a-video.mp4"), "wb").write(b"this is a text file, not a video\n" * 20)
    open(os.path.join(folder, "empty.mp4"), "wb").write(b"")
    # A container with an audio stream only: no video stream.
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.2",
                    "-c:a", "pcm_s16le", os.path.join(folder, "audio-only.wav")], check=True)
    # A frame folder with a missing frame and one with an undecodable frame.
    from PIL import Image
    fs = frames(40, 30, 5, seed=9)
    for name in ["folder-gap", "folder-bad"]:
        sub = os.path.join(folder, name)
        os.makedirs(sub, exist_ok=True)
        for k, f in enumerate(fs):
            if name == "folder-gap" and k == 2:
                continue
            Image.fromarray(f).save(os.path.join(sub, f"img_{k + 1:05d}.jpg"), quality=90)
    open(os.path.join(folder, "folder-bad", "img_00004.jpg"), "wb").write(b"\xff\xd8\xff\xe0 broken")
    os.makedirs(os.path.join(folder, "folder-empty"), exist_ok=True)
    open(os.path.join(folder, "folder-empty", "notes.txt"), "w").write("no frames here\n")


def clip_pixels(image, size=None):
    """`mkt preprocess --preset clip`: Pillow bicubic shorter side to S, centre crop, CLIP mean/std."""
    from PIL import Image
    w, h = image.size
    s = size
    if w < h:
        nw, nh = s, int(s * h / w)
    else:
        nw, nh = int(s * w / h), s
    if (nw, nh) != (w, h):
        image = image.resize((nw, nh), Image.BICUBIC)
    top = int(round((nh - s) / 2.0))
    left = int(round((nw - s) / 2.0))
    image = image.crop((left, top, left + s, top + s))
    x = np.asarray(image, dtype=np.float32) / 255.0
    mean = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
    std = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)
    return ((x - mean) / std).transpose(2, 0, 1)


def embeddings(folder, model_dir, t=3, c=2):
    import torch
    from PIL import Image
    from transformers import CLIPModel
    model = CLIPModel.from_pretrained(model_dir).eval()
    size = model.config.vision_config.image_size
    rows = []
    for line in open(os.path.join(folder, "list.txt")):
        name = line.split()[0]
        frames_ = np.load(os.path.join(folder, name + ".frames.npy"))
        idx = test(len(frames_), t, c)
        pixels = np.stack([clip_pixels(Image.fromarray(frames_[i]), size) for i in idx])
        with torch.no_grad():
            out = model.get_image_features(pixel_values=torch.from_numpy(pixels))
        out = out.pooler_output if hasattr(out, "pooler_output") else out
        rows.append(out.numpy().astype(np.float32))
    np.save(os.path.join(folder, "embeddings-t3-c2.npy"), np.stack(rows))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "sampling.json"), "w") as f:
        json.dump(sampling_table(), f, separators=(",", ":"))
    make_clips(os.path.join(out, "clips"))
    bad_clips(os.path.join(out, "bad"))
    embeddings(os.path.join(out, "clips"), sys.argv[2] if len(sys.argv) > 2 else "Tests/Fixtures/tiny-clip")


if __name__ == "__main__":
    main()
