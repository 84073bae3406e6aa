#!/usr/bin/env python3
"""Differential check of `mkt tokenize` against the Python reference on random texts.

    python3 scripts/compare_tokenizer.py [--seed 1] [--count 30000] [--mkt .build/release/mkt]

Three generators (seeded): the mojibake-prone strings of make_tokenizer_fixtures.py (random
characters from the Latin-1/Windows/Cyrillic/Greek ranges, words encoded as UTF-8 and decoded with
the code pages ftfy knows); random scalars from all planes; and random concatenations of HTML
references, contractions, whitespace and control characters, combining marks, sigma, full-width
forms, curly quotes and mojibake pieces. Texts with a line break are left out (one text per
line). Prints the number of texts whose ids differ, and the first few.
Needs: pip install ftfy==6.3.1 regex numpy.
"""
import argparse
import html.entities
import os
import random
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_tokenizer_fixtures as reference  # noqa: E402

PIECES = ["'", "'s", "'S", "'ſ", "'RE", "'Ll", "'d", "&", "&#", "&#x", ";", "<", " ", "\t", "\x0b", "\x0c",
          "\x1c", "\x85", "\u2028", "\u00a0", "\u3000", "\u200b", "\ufeff", "\x1b[", "m", "1", "٣", "e\u0301",
          "\u0345", "Σ", "ΑΣ", "Σ.", "İ", "ß", "ﬁ", "Ａ", "ｶ", "ﾞ", "\u2018", "\u201c", "\u02bc", "Ã", "Â", "©",
          "€", "\x80", "\x93", "a", "B", "7", "!", "?", "...", "👍", "🏽", "\u200d", "東", "한", "\u1100",
          "\u1161", "&amp;", "&amp;amp;", "&lt;", "&#39;", "&#x27;", "&#0;", "&#128;", "&#65533;", "&#9999999;"]


def texts(seed, count):
    rng = random.Random(seed)
    out = list(reference.random_strings(seed, count))
    for _ in range(count):
        s = "".join(chr(rng.choice([rng.randint(0x20, 0x2FFF), rng.randint(0x3000, 0xFFFF),
                                    rng.randint(0x10000, 0x1FFFF), rng.randint(0x80, 0x24F)]))
                    for _ in range(rng.randint(1, 10)))
        out.append("".join(c for c in s if not 0xD800 <= ord(c) < 0xE000))
    names = list(html.entities.html5)
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 10)):
            r = rng.random()
            if r < 0.2:
                parts.append("&" + rng.choice(names) + rng.choice(["", "x", "1", ";", "abc"]))
            elif r < 0.25:
                parts.append("&" + rng.choice(names).upper())
            else:
                parts.append(rng.choice(PIECES))
        out.append("".join(parts))
    return [t for t in out if "\n" not in t and "\r" not in t]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=30000, help="texts per generator")
    ap.add_argument("--mkt", default=os.path.join(reference.ROOT, ".build", "release", "mkt"))
    a = ap.parse_args()
    items = texts(a.seed, a.count)
    expected = reference.Reference(reference.MODEL).rows(items, 77)
    with tempfile.TemporaryDirectory() as d:
        path, out = os.path.join(d, "texts.txt"), os.path.join(d, "ids.npy")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(t + "\n" for t in items))
        subprocess.run([a.mkt, "tokenize", "--model", reference.MODEL, "--input", path, "--output", out],
                       check=True, stdout=subprocess.DEVNULL)
        got = np.load(out)
    bad = np.where((got != expected).any(axis=1))[0]
    print(f"{len(items)} texts, {len(bad)} differ")
    for i in bad[:10]:
        print(repr(items[i]), repr(reference.clean(items[i])), got[i][:12].tolist(), expected[i][:12].tolist())
    sys.exit(1 if len(bad) else 0)


if __name__ == "__main__":
    main()
