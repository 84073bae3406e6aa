#!/usr/bin/env python3
"""Generates Tests/Fixtures/image-formats/: WebP, GIF, BMP and TIFF files and Pillow's pixels.

For every file NAME.EXT the script writes NAME.npy = np.asarray(Image.open(f).convert("RGB"))
(|u1 [H, W, 3]), the reference that MKTImage's decoder must equal exactly. Needs Pillow and
numpy (used only to make these fixtures):

    pip install pillow numpy
    python3 scripts/make_format_fixtures.py

Files Pillow writes itself (its WebP, GIF, BMP and TIFF encoders) plus variants Pillow reads but
does not write, made by hand below: 16-bit 5-5-5 and 5-6-5 BMPs, 4-bit, RLE8, RLE4, top-down and
OS/2 (12-byte header) BMPs, a GIF whose first frame is smaller than the screen and offset, with a
transparent index. Deterministic: numpy's PCG64 with a fixed seed.
"""
import io
import os
import struct

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "image-formats")
rng = np.random.Generator(np.random.PCG64(22))


def source(width=37, height=23):
    """Colour noise over gradients, |u1 [H, W, 3]."""
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // (width - 1), y * 255 // (height - 1), (x + y) * 255 // (width + height - 2)], -1)
    noise = rng.integers(-40, 41, size=(height, width, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


RGB = source()
ALPHA = rng.integers(0, 256, size=RGB.shape[:2]).astype(np.uint8)
ALPHA[0, :5] = 0
ALPHA[1, :5] = 255


def write(name, data):
    path = os.path.join(ROOT, name)
    with open(path, "wb") as f:
        f.write(data)
    reference = np.asarray(Image.open(path).convert("RGB"))
    np.save(os.path.join(ROOT, os.path.splitext(name)[0] + ".npy"), np.ascontiguousarray(reference))


def pillow(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def rgb():
    return Image.fromarray(RGB, "RGB")


def rgba():
    return Image.fromarray(np.dstack([RGB, ALPHA]), "RGBA")


def grey():
    return rgb().convert("L")


def palette(colors=256):
    return rgb().quantize(colors)


# ---- WebP -------------------------------------------------------------------------------
def webp():
    write("webp-lossy.webp", pillow(rgb(), "WEBP", quality=80))
    write("webp-lossless.webp", pillow(rgb(), "WEBP", lossless=True))
    write("webp-lossy-alpha.webp", pillow(rgba(), "WEBP", quality=70))
    write("webp-lossless-alpha.webp", pillow(rgba(), "WEBP", lossless=True, exact=True))
    write("webp-grey.webp", pillow(grey(), "WEBP", quality=90))
    second = Image.fromarray(255 - RGB, "RGB")
    write("webp-animated.webp", pillow(rgb(), "WEBP", save_all=True, append_images=[second], lossless=True))


# ---- GIF --------------------------------------------------------------------------------
def gif():
    write("gif-palette.gif", pillow(palette(), "GIF", interlace=False))
    write("gif-interlaced.gif", pillow(palette(), "GIF", interlace=True))
    write("gif-4-colours.gif", pillow(palette(4), "GIF"))
    write("gif-grey.gif", pillow(grey(), "GIF"))
    write("gif-transparent.gif", pillow(palette(16), "GIF", transparency=3))
    second = Image.fromarray(255 - RGB, "RGB").quantize(64)
    write("gif-animated.gif", pillow(palette(64), "GIF", save_all=True, append_images=[second]))
    # The first frame smaller than the logical screen, offset, with a transparent index: the
    # screen grows to hold the frame where it reaches past it, the rest is the transparent index.
    data = bytearray(pillow(palette(16), "GIF", transparency=5, interlace=False))
    position = 13 + (3 << ((data[10] & 7) + 1)) if data[10] & 0x80 else 13
    while data[position] == 0x21:  # extensions
        position += 2
        while data[position]:
            position += data[position] + 1
        position += 1
    assert data[position] == 0x2C
    struct.pack_into("<HH", data, 6, 30, 40)          # screen 30x40 (narrower, taller than the frame)
    struct.pack_into("<HH", data, position + 1, 4, 6)  # frame at (4, 6): 41x40 canvas
    write("gif-offset-frame.gif", bytes(data))


# ---- BMP --------------------------------------------------------------------------------
def bmp_file(width, height, bits, pixel_rows, palette_entries=b"", compression=0, masks=b"", top_down=False,
             core=False):
    """A BMP with the given rows (already encoded, bottom-up unless top_down)."""
    data = b"".join(pixel_rows)
    if core:
        header = struct.pack("<IHHHH", 12, width, height, 1, bits)
    else:
        header = struct.pack("<IiiHHIIiiII", 40, width, -height if top_down else height, 1, bits, compression,
                             len(data), 2835, 2835, len(palette_entries) // 4 if palette_entries else 0, 0)
    offset = 14 + len(header) + len(masks) + len(palette_entries)
    return b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset) + header + masks + palette_entries + data


def padded(row):
    return row + b"\0" * (-len(row) % 4)


def bmp():
    write("bmp-rgb24.bmp", pillow(rgb(), "BMP"))
    write("bmp-palette8.bmp", pillow(palette(), "BMP"))
    write("bmp-grey8.bmp", pillow(grey(), "BMP"))
    write("bmp-bilevel1.bmp", pillow(grey().convert("1"), "BMP"))
    write("bmp-rgba32.bmp", pillow(rgba(), "BMP"))
    h, w = RGB.shape[:2]
    rows16 = []
    rows565 = []
    for y in range(h - 1, -1, -1):
        r, g, b = (RGB[y, :, c].astype(np.uint32) for c in range(3))
        rows16.append(padded(((r >> 3) << 10 | (g >> 3) << 5 | (b >> 3)).astype("<u2").tobytes()))
        rows565.append(padded(((r >> 3) << 11 | (g >> 2) << 5 | (b >> 3)).astype("<u2").tobytes()))
    write("bmp-rgb555.bmp", bmp_file(w, h, 16, rows16))
    write("bmp-rgb565.bmp", bmp_file(w, h, 16, rows565, compression=3, masks=struct.pack("<III", 0xF800, 0x7E0, 0x1F)))
    rows24 = [padded(RGB[y, :, ::-1].tobytes()) for y in range(h)]
    write("bmp-top-down.bmp", bmp_file(w, h, 24, rows24, top_down=True))
    write("bmp-core-header.bmp", bmp_file(w, h, 24, rows24[::-1], core=True))
    colours = rng.integers(0, 256, size=(16, 3)).astype(np.uint8)
    indices = rng.integers(0, 16, size=(h, w)).astype(np.uint8)
    entries16 = b"".join(bytes([c[2], c[1], c[0], 0]) for c in colours)
    rows4 = []
    for y in range(h - 1, -1, -1):
        row = np.append(indices[y], 0) if w % 2 else indices[y]
        rows4.append(padded(bytes((row[0::2] << 4 | row[1::2]).tolist())))
    write("bmp-palette4.bmp", bmp_file(w, h, 4, rows4, entries16))
    # RLE8: runs, an absolute run, end of line, a delta, end of bitmap.
    colours256 = rng.integers(0, 256, size=(256, 3)).astype(np.uint8)
    entries256 = b"".join(bytes([c[2], c[1], c[0], 0]) for c in colours256)
    rle8 = []
    for y in range(6):
        if y == 3:
            rle8.append(bytes([0, 2, 5, 1]))            # delta: 5 right, 1 up
            rle8.append(bytes([w - 5, 200, 0, 0]))
            continue
        rle8.append(bytes([10, y * 7]))
        rle8.append(bytes([0, 4, 1, 2, 3, 4]))          # absolute run of 4 (even: no pad)
        rle8.append(bytes([0, 5, 9, 8, 7, 6, 5, 0]))    # absolute run of 5, padded
        rle8.append(bytes([w - 19, 250, 0, 0]))         # rest of the row, end of line
    # the remaining rows, each a run
    for y in range(7, h):
        rle8.append(bytes([w, y, 0, 0]))
    rle8.append(bytes([0, 1]))
    write("bmp-rle8.bmp", bmp_file(w, h, 8, [b"".join(rle8)], entries256, compression=1))
    rle4 = []
    for y in range(h):
        rle4.append(bytes([9, 0x3A]))
        rle4.append(bytes([0, 6, 0x12, 0x34, 0x56, 0]))  # absolute run of 6 nibbles, padded
        rle4.append(bytes([w - 15, 0xF1, 0, 0]))
    rle4.append(bytes([0, 1]))
    write("bmp-rle4.bmp", bmp_file(w, h, 4, [b"".join(rle4)], entries16, compression=2))


# ---- TIFF -------------------------------------------------------------------------------
def tiff():
    write("tiff-rgb.tif", pillow(rgb(), "TIFF"))
    write("tiff-rgb-lzw.tif", pillow(rgb(), "TIFF", compression="tiff_lzw"))
    write("tiff-rgb-deflate.tif", pillow(rgb(), "TIFF", compression="tiff_adobe_deflate"))
    write("tiff-rgb-packbits.tif", pillow(rgb(), "TIFF", compression="packbits"))
    write("tiff-rgba.tif", pillow(rgba(), "TIFF"))
    write("tiff-grey.tif", pillow(grey(), "TIFF"))
    write("tiff-grey-alpha.tif", pillow(Image.fromarray(np.dstack([np.asarray(grey()), ALPHA]), "LA"), "TIFF"))
    write("tiff-bilevel.tif", pillow(grey().convert("1"), "TIFF"))
    write("tiff-bilevel-g4.tif", pillow(grey().convert("1"), "TIFF", compression="group4"))
    write("tiff-palette.tif", pillow(palette(), "TIFF"))
    write("tiff-palette-lzw.tif", pillow(palette(16), "TIFF", compression="tiff_lzw"))
    wide = (RGB[:, :, 0].astype(np.uint16) * 3).astype(np.uint16)   # values up to 765
    write("tiff-grey16.tif", pillow(Image.fromarray(wide), "TIFF"))
    write("tiff-cmyk.tif", pillow(rgb().convert("CMYK"), "TIFF"))


if __name__ == "__main__":
    os.makedirs(ROOT, exist_ok=True)
    webp()
    gif()
    bmp()
    tiff()
    print(f"wrote {len(os.listdir(ROOT))} files to {os.path.normpath(ROOT)}")
