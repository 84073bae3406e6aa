#!/usr/bin/env python3
"""Writes Tests/Fixtures/nfc/: NFC reference cases from Python's own `unicodedata`.

The tokenizer's text fixer (ftfy) normalises with the Unicode database of the reference Python
(3.11: Unicode 14.0). This script builds a corpus in the spirit of Unicode's
NormalizationTest.txt from `unicodedata` itself and records `unicodedata.normalize("NFC", s)`
for every case, so that the Swift tests compare against exactly what Python does:

- `singles.txt`: every code point U+0000...U+10FFFF but the surrogates whose NFC is not itself
  (`CP;NFC`). Every code point not listed must map to itself.
- `sequences.txt`: `INPUT;NFC` for
  - the canonical decomposition (NFD) of every code point that has one;
  - every Hangul L+V, LV+T and L+V+T jamo sequence;
  - canonical-order cases for every combining mark X (ccc > 0), as in NormalizationTest.txt's
    part 2: `a X U+0315 U+0300 U+05AE U+0300 b`, `a U+0315 U+0300 U+05AE X U+0300 b`, and X
    after a precomposed letter and before a composing acute;
  - 6,000 seeded random sequences of 2...6 code points drawn from the characters that take part
    in compositions (starters of composites, marks, jamo, a few unassigned code points).

Code points are written as upper-case hex separated by spaces. Run:
    python3 scripts/make_nfc_fixtures.py
"""
import random
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "nfc"


def nfc(s):
    return unicodedata.normalize("NFC", s)


def hexes(s):
    return " ".join(f"{ord(c):04X}" for c in s)


def main():
    assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
    OUT.mkdir(parents=True, exist_ok=True)
    points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]

    singles = [(chr(c), nfc(chr(c))) for c in points if nfc(chr(c)) != chr(c)]
    header = (f"# NFC of single code points (Python {sys.version.split()[0]}, Unicode "
              f"{unicodedata.unidata_version}); every code point not listed is its own NFC.\n")
    (OUT / "singles.txt").write_text(header + "".join(f"{hexes(a)};{hexes(b)}\n" for a, b in singles))

    cases = []
    decomposable = [chr(c) for c in points if unicodedata.normalize("NFD", chr(c)) != chr(c)]
    cases += [unicodedata.normalize("NFD", c) for c in decomposable]
    leads = [chr(0x1100 + i) for i in range(19)]
    vowels = [chr(0x1161 + i) for i in range(21)]
    tails = [chr(0x11A8 + i) for i in range(27)]
    cases += [l + v for l in leads for v in vowels]
    cases += [chr(0xAC00 + 28 * i) + t for i in range(19 * 21) for t in tails]
    cases += [l + v + t for l in leads for v in vowels for t in tails]
    marks = [chr(c) for c in points if unicodedata.combining(chr(c)) > 0]
    for x in marks:
        cases.append("a" + x + "\u0315\u0300\u05ae\u0300b")
        cases.append("a\u0315\u0300\u05ae" + x + "\u0300b")
        cases.append("\u00e0" + x + "\u0301")
        cases.append("e" + x + "\u0301\u0323")
    composites = [c for c in decomposable if nfc(c) == c]
    pool = sorted({d for c in composites for d in unicodedata.normalize("NFD", c)} | set(marks)
                  | set(leads) | set(vowels) | set(tails) | set(composites[:400])
                  | {"\uac00", "\uac01", "\ud7a3", "\u0378", "\U000e0000", "a", " "})
    rng = random.Random(14)
    for _ in range(6000):
        cases.append("".join(rng.choice(pool) for _ in range(rng.randint(2, 6))))
    seen = set()
    lines = []
    for s in cases:
        if s in seen:
            continue
        seen.add(s)
        lines.append(f"{hexes(s)};{hexes(nfc(s))}\n")
    header = (f"# INPUT;NFC (Python {sys.version.split()[0]}, Unicode {unicodedata.unidata_version}); "
              "made by scripts/make_nfc_fixtures.py\n")
    (OUT / "sequences.txt").write_text(header + "".join(lines))
    print(f"{len(singles)} single code points, {len(lines)} sequences -> {OUT}")


if __name__ == "__main__":
    main()
