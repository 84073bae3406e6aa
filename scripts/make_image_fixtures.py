#!/usr/bin/env python3
"""Generates Tests/Fixtures/image-extra/: reference outputs of Pillow for MKTImage's tests.

Run with the comparison venv (Pillow 13.0.0, numpy):

    python3 Benchmarks/Compare/preprocess_compare.py --setup-only   # creates the venv
    Benchmarks/Compare/.venv/bin/python scripts/make_image_fixtures.py

Writes (all small):
  resample/source.npy          |u1 [23, 37, 3]  pseudo-random colour noise + gradients
  resample/tall-source.npy     |u1 [401, 3, 3]  an image more than 100x taller than wide
  resample/<filter>-<W>x<H>.npy        Image.fromarray(source).resize((W, H), filter)
  resample/tall-<filter>-<W>x<H>.npy   the same for the tall source
  resample/random-sizes.txt, random-bicubic-<W>x<H>.npy   24 random target sizes, bicubic
  decode/<name>.png|.jpg       PNG/JPEG encodings that the public fixtures do not cover
  decode/<name>.npy            |u1 [H, W, 3] = np.asarray(Image.open(f).convert("RGB"))
  ops/...                      RandAugment building blocks at fixed parameters (see below)
Deterministic: numpy's PCG64 with fixed seeds; PNGs that Pillow cannot write (sub-byte grey,
16-bit, interlaced) come from the small writer below.
"""
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageEnhance, ImageOps, features

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "image-extra")


def save(rel, array):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(array))


# ------------------------------------------------------------------------------------------
# A minimal PNG writer (any bit depth / colour type, optional Adam7 interlacing)
# ------------------------------------------------------------------------------------------

def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _pack_rows(samples, bit_depth):
    """samples: [h, w*channels] ints -> list of packed row bytes (no filter byte)."""
    rows = []
    for row in samples:
        if bit_depth == 16:
            rows.append(b"".join(struct.pack(">H", int(v)) for v in row))
        elif bit_depth == 8:
            rows.append(bytes(int(v) for v in row))
        else:
            per = 8 // bit_depth
            out = bytearray()
            for i in range(0, len(row), per):
                byte = 0
                for j in range(per):
                    v = int(row[i + j]) if i + j < len(row) else 0
                    byte |= v << (8 - bit_depth * (j + 1))
                out.append(byte)
            rows.append(bytes(out))
    return rows


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(path, samples, bit_depth, color_type, palette=None, trns=None, interlace=False):
    """samples: [h, w, channels] array of sample values."""
    h, w, c = samples.shape
    raw = b""
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.shape[0] == 0 or sub.shape[1] == 0:
                continue
            for r in _pack_rows(sub.reshape(sub.shape[0], -1), bit_depth):
                raw += b"\x00" + r
    else:
        for r in _pack_rows(samples.reshape(h, -1), bit_depth):
            raw += b"\x00" + r
    data = b"\x89PNG\r\n\x1a\n"
    data += _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        data += _chunk(b"PLTE", bytes(np.asarray(palette, np.uint8).reshape(-1)))
    if trns is not None:
        data += _chunk(b"tRNS", trns)
    data += _chunk(b"IDAT", zlib.compress(raw, 9))
    data += _chunk(b"IEND", b"")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def decode_fixture(name, path):
    ref = np.asarray(Image.open(path).convert("RGB"))
    save(f"decode/{name}.npy", ref)


def make_decode(rng):
    h, w = 21, 33
    d = os.path.join(ROOT, "decode")
    os.makedirs(d, exist_ok=True)
    for bits in (1, 2, 4):
        s = rng.integers(0, 2 ** bits, (h, w, 1))
        write_png(f"{d}/grey{bits}.png", s, bits, 0)
        decode_fixture(f"grey{bits}", f"{d}/grey{bits}.png")
    g16 = rng.integers(0, 65536, (h, w, 1))
    g16[:, :5] = rng.integers(0, 256, (h, 5, 1))  # some values below 256 (kept), the rest clip
    write_png(f"{d}/grey16.png", g16, 16, 0)
    decode_fixture("grey16", f"{d}/grey16.png")
    write_png(f"{d}/grey8-trns.png", rng.integers(0, 256, (h, w, 1)), 8, 0, trns=struct.pack(">H", 7))
    decode_fixture("grey8-trns", f"{d}/grey8-trns.png")
    write_png(f"{d}/greyalpha8.png", rng.integers(0, 256, (h, w, 2)), 8, 4)
    decode_fixture("greyalpha8", f"{d}/greyalpha8.png")
    write_png(f"{d}/greyalpha16.png", rng.integers(0, 65536, (h, w, 2)), 16, 4)
    decode_fixture("greyalpha16", f"{d}/greyalpha16.png")
    write_png(f"{d}/rgba16.png", rng.integers(0, 65536, (h, w, 4)), 16, 6)
    decode_fixture("rgba16", f"{d}/rgba16.png")
    write_png(f"{d}/rgb8-interlaced.png", rng.integers(0, 256, (h, w, 3)), 8, 2, interlace=True)
    decode_fixture("rgb8-interlaced", f"{d}/rgb8-interlaced.png")
    write_png(f"{d}/grey2-interlaced.png", rng.integers(0, 4, (h, w, 1)), 2, 0, interlace=True)
    decode_fixture("grey2-interlaced", f"{d}/grey2-interlaced.png")
    write_png(f"{d}/rgba8-interlaced.png", rng.integers(0, 256, (h, w, 4)), 8, 6, interlace=True)
    decode_fixture("rgba8-interlaced", f"{d}/rgba8-interlaced.png")
    for bits in (1, 2, 4, 8):
        n = 2 ** bits
        entries = min(n, 200)
        palette = rng.integers(0, 256, (entries, 3))
        idx = rng.integers(0, entries, (h, w, 1))
        trns = bytes(rng.integers(0, 256, min(entries, 5)).tolist())
        write_png(f"{d}/palette{bits}-trns.png", idx, bits, 3, palette=palette, trns=trns)
        decode_fixture(f"palette{bits}-trns", f"{d}/palette{bits}-trns.png")
    # Palette indices past the end of PLTE.
    palette = rng.integers(0, 256, (4, 3))
    write_png(f"{d}/palette8-short.png", rng.integers(0, 8, (h, w, 1)), 8, 3, palette=palette)
    decode_fixture("palette8-short", f"{d}/palette8-short.png")
    # JPEGs that Pillow writes: CMYK (with an Adobe marker), greyscale progressive, 4:4:4.
    base = (rng.random((48, 64, 3)) * 60 + np.linspace(0, 190, 64)[None, :, None]).astype(np.uint8)
    cmyk = Image.fromarray(base).convert("CMYK")
    cmyk.save(f"{d}/cmyk.jpg", quality=90)
    decode_fixture("cmyk", f"{d}/cmyk.jpg")
    Image.fromarray(base).convert("L").save(f"{d}/grey-progressive.jpg", quality=85, progressive=True)
    decode_fixture("grey-progressive", f"{d}/grey-progressive.jpg")
    Image.fromarray(base).save(f"{d}/rgb-444.jpg", quality=95, subsampling=0)
    decode_fixture("rgb-444", f"{d}/rgb-444.jpg")
    Image.fromarray(base).save(f"{d}/rgb-422.jpg", quality=75, subsampling=1)
    decode_fixture("rgb-422", f"{d}/rgb-422.jpg")


# ------------------------------------------------------------------------------------------
# Resampling
# ------------------------------------------------------------------------------------------

FILTERS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR, "nearest": Image.NEAREST}


def make_resample(rng):
    h, w = 23, 37
    yy, xx = np.mgrid[0:h, 0:w]
    src = rng.integers(0, 256, (h, w, 3))
    src[:, :, 0] = (src[:, :, 0] // 4 + xx * 5).clip(0, 255)          # gradient + noise
    src[::5, :, 1] = 255                                              # hard edges: overshoot
    src[:, ::7, 2] = 0
    src = src.astype(np.uint8)
    save("resample/source.npy", src)
    im = Image.fromarray(src)
    sizes = [(16, 11), (80, 50), (37, 50), (20, 23), (37, 9), (5, 3), (111, 23), (1, 1), (200, 7)]
    for name, f in FILTERS.items():
        for (W, H) in sizes:
            save(f"resample/{name}-{W}x{H}.npy", np.asarray(im.resize((W, H), f)))
    # Random target sizes (both pass orders of Pillow 13 occur: vertical first when the height
    # shrinks by more than twice as many pixels as the width).
    sizes = [(int(rng.integers(1, 90)), int(rng.integers(1, 60))) for _ in range(24)]
    with open(os.path.join(ROOT, "resample", "random-sizes.txt"), "w") as f:
        for (W, H) in sizes:
            f.write(f"{W}x{H}\n")
            save(f"resample/random-bicubic-{W}x{H}.npy", np.asarray(im.resize((W, H), Image.BICUBIC)))
    tall = rng.integers(0, 256, (401, 3, 3)).astype(np.uint8)
    save("resample/tall-source.npy", tall)
    ti = Image.fromarray(tall)
    for name, f in FILTERS.items():
        for (W, H) in [(2, 100), (5, 37)]:
            save(f"resample/tall-{name}-{W}x{H}.npy", np.asarray(ti.resize((W, H), f)))


# ------------------------------------------------------------------------------------------
# RandAugment building blocks at fixed parameters (timm's ops on Pillow)
# ------------------------------------------------------------------------------------------

FILL = (124, 116, 104)  # timm img_mean for ImageNet mean: round(255 * m)


def make_ops(rng):
    src = np.load(os.path.join(ROOT, "resample", "source.npy"))
    big = np.asarray(Image.fromarray(src).resize((48, 40), Image.BICUBIC))
    save("ops/source.npy", big)
    im = Image.fromarray(big)
    out = {
        "autocontrast": ImageOps.autocontrast(im),
        "equalize": ImageOps.equalize(im),
        "invert": ImageOps.invert(im),
        "posterize2": ImageOps.posterize(im, 2),
        "solarize100": ImageOps.solarize(im, 100),
        "color0.3": ImageEnhance.Color(im).enhance(0.3),
        "color1.7": ImageEnhance.Color(im).enhance(1.7),
        "contrast0.4": ImageEnhance.Contrast(im).enhance(0.4),
        "contrast1.8": ImageEnhance.Contrast(im).enhance(1.8),
        "brightness0.5": ImageEnhance.Brightness(im).enhance(0.5),
        "brightness1.6": ImageEnhance.Brightness(im).enhance(1.6),
        "sharpness0.2": ImageEnhance.Sharpness(im).enhance(0.2),
        "sharpness1.9": ImageEnhance.Sharpness(im).enhance(1.9),
    }
    lut = [min(255, i + 66) if i < 128 else i for i in range(256)]
    out["solarizeadd66"] = im.point(lut * 3)
    for resample, rname in ((Image.BICUBIC, "bicubic"), (Image.BILINEAR, "bilinear"), (Image.NEAREST, "nearest")):
        kw = dict(resample=resample, fillcolor=FILL)
        out[f"rotate23-{rname}"] = im.rotate(23.5, **kw)
        out[f"rotate-17-{rname}"] = im.rotate(-17.0, **kw)
        out[f"shearx0.21-{rname}"] = im.transform(im.size, Image.AFFINE, (1, 0.21, 0, 0, 1, 0), **kw)
        out[f"sheary-0.13-{rname}"] = im.transform(im.size, Image.AFFINE, (1, 0, 0, -0.13, 1, 0), **kw)
        out[f"translatex7.3-{rname}"] = im.transform(im.size, Image.AFFINE, (1, 0, 7.3, 0, 1, 0), **kw)
        out[f"translatey-5.5-{rname}"] = im.transform(im.size, Image.AFFINE, (1, 0, 0, 0, 1, -5.5), **kw)
    for name, image in out.items():
        save(f"ops/{name}.npy", np.asarray(image.convert("RGB")))


def main():
    print(f"Pillow {Image.__version__ if hasattr(Image, '__version__') else ''} "
          f"libjpeg-turbo {features.version('libjpeg_turbo')} zlib {features.version('zlib')}", file=sys.stderr)
    make_resample(np.random.default_rng(1234))
    make_decode(np.random.default_rng(5678))
    make_ops(np.random.default_rng(91011))


if __name__ == "__main__":
    main()
