#!/usr/bin/env python3
"""Tokenization throughput (numbers quoted in Docs/Tokenizer.md).

    python3 scripts/measure_tokenizer.py [--mkt .build/release/mkt] [--runs 5]

Inputs (made here, deterministic): 1006 label prompts "There is a {label} in the scene" whose
labels are 1006 distinct words of the CLIP vocabulary, and the 60 texts of
Tests/Fixtures/tokenizer/texts.txt.

1. In process: scripts/tokenizer-bench/main.swift is compiled with MKTTokenizer's sources
   (swiftc -O) and times loading, tokenizing with a cold and a warm word cache, the batch API,
   and cleaning alone (best of 5).
2. End to end: `mkt tokenize` wall time (best of --runs), inputs also repeated x50 / x500;
   the time of a one-text run (process start, loading) is subtracted.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MODEL = os.path.join(ROOT, "Tests", "Fixtures", "clip-bpe")


def run(mkt, path, out, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([mkt, "tokenize", "--model", MODEL, "--input", path, "--output", out],
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mkt", default=os.path.join(ROOT, ".build", "release", "mkt"))
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    with open(os.path.join(MODEL, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    words = sorted(k[:-4] for k in vocab if k.endswith("</w>") and k[:-4].isalpha() and k[:-4].isascii()
                   and len(k) > 7)
    labels = words[::max(1, len(words) // 1006)][:1006]
    prompts = [f"There is a {w} in the scene" for w in labels]
    with open(os.path.join(ROOT, "Tests", "Fixtures", "tokenizer", "texts.txt"), encoding="utf-8") as f:
        fixture = f.read().split("\n")[:-1]
    with tempfile.TemporaryDirectory() as d:
        sources = [os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(ROOT, "Sources", "MKTTokenizer"))
                   for f in fs if f.endswith(".swift")]
        bench = os.path.join(d, "bench")
        subprocess.run(["swiftc", "-O", *sorted(sources), os.path.join(ROOT, "scripts", "tokenizer-bench", "main.swift"),
                        "-o", bench], check=True)

        def write(name, texts):
            path = os.path.join(d, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write("".join(t + "\n" for t in texts))
            return path
        out = os.path.join(d, "ids.npy")
        print("in process:")
        subprocess.run([bench, MODEL, write("prompts.txt", prompts), write("fixture.txt", fixture)], check=True)
        print("mkt tokenize, end to end:")
        base = run(a.mkt, write("one.txt", ["cat"]), out, a.runs)
        print(f"start-up (load vocab.json + merges.txt, 1 text): {base * 1000:.1f} ms")
        for name, texts in [("1006 label prompts", prompts), ("1006 label prompts x50", prompts * 50),
                            ("60 fixture texts", fixture), ("60 fixture texts x500", fixture * 500)]:
            t = run(a.mkt, write("in.txt", texts), out, a.runs)
            work = t - base
            rate = f"{len(texts) / work:,.0f} texts/s" if work > 0.005 else "below the start-up noise"
            print(f"{name}: {len(texts)} texts, total {t * 1000:.1f} ms, minus start-up {work * 1000:.1f} ms, {rate}")


if __name__ == "__main__":
    main()
