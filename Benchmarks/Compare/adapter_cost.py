#!/usr/bin/env python3
"""TaI-Adapter training time against MKT stage 2 (prompt tuning) at 81, 1006 and 5000 labels.

Both sides run in `mkt profile` with random weights of the ViT-B/16 text tower (projection 512):

- stage 2: one prompt-tuning step (`mkt profile stage2 --labels L.txt`): the text tower forward
  and backward over all L prompts with the learnable context, two-stream scores of cached image
  features, ranking loss, AdamW. Its cost is per step and grows with L; an epoch over N images
  takes N / 64 such steps (MKT's batch 64).
- adapter: one epoch over N cached text embeddings (`mkt profile adapter --sentences N`), the
  library's default settings (batch 256): perturbation, adapter forward/backward, scores against
  the frozen [L, 512] classifier, loss, AdamW. The text tower never runs.

Prints seconds per stage-2 step, the stage-2 epoch this implies for N images, the adapter epoch
over N sentences, and their ratio. Usage (after `swift build -c release --product mkt`):

    python3 Benchmarks/Compare/adapter_cost.py [--mkt .build/release/mkt] [--labels 81,1006,5000] [--n 100000]
"""
import argparse
import os
import re
import subprocess
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def median_seconds(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    found = re.search(r"median: ([0-9.]+) s", out)
    if not found:
        raise SystemExit("no median in the output of " + " ".join(command) + ":\n" + out)
    return float(found.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mkt", default=os.path.join(ROOT, ".build", "release", "mkt"))
    parser.add_argument("--labels", default="81,1006,5000", help="label counts, comma-separated")
    parser.add_argument("--n", type=int, default=100_000, help="images (stage 2) and sentences (adapter) per epoch")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each case (after one warm-up)")
    parser.add_argument("--stage2-batch", type=int, default=8,
                        help="images per measured stage-2 step (its cost is the text tower's; 2 is used above 2000 labels to bound the ranking loss' [B, L, L] memory)")
    args = parser.parse_args()
    tokenizer = os.path.join(ROOT, "Sources", "MKTTokenizer", "Resources", "clip-bpe")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (int(c) for c in args.labels.split(",")):
            labels = os.path.join(tmp, f"labels-{count}.txt")
            with open(labels, "w") as f:
                f.write("\n".join(f"concept {i}" for i in range(count)) + "\n")
            batch = args.stage2_batch if count <= 2000 else 2
            try:
                step = median_seconds([args.mkt, "profile", "stage2", "--labels", labels, "--tokenizer", tokenizer,
                                       "--batch", str(batch), "--runs", str(args.runs)])
            except subprocess.CalledProcessError as failure:
                # Stage 2 holds the text tower's activations for every prompt: at thousands of
                # labels it can exceed the machine's memory (the kernel's OOM killer sends SIGKILL).
                step = None
                print(f"{count} labels: stage 2 failed ({'killed, out of memory' if failure.returncode == -9 else f'exit {failure.returncode}'})",
                      flush=True)
            adapter = median_seconds([args.mkt, "profile", "adapter", "--labels", labels, "--sentences", str(args.n),
                                      "--batch", "256", "--runs", str(args.runs)])
            stage2_epoch = None if step is None else step * args.n / 64
            rows.append((count, step, stage2_epoch, adapter))
            print(f"{count} labels: stage-2 step {'-' if step is None else f'{step:.3f} s'}, adapter epoch {adapter:.3f} s",
                  flush=True)
    print()
    print(f"| labels | stage-2 step (s) | stage-2 epoch, {args.n} images (s) | adapter epoch, {args.n} sentences (s) | ratio |")
    print("|---|---|---|---|---|")
    for count, step, epoch, adapter in rows:
        if step is None:
            print(f"| {count} | did not run (out of memory) | - | {adapter:.2f} | - |")
        else:
            print(f"| {count} | {step:.3f} | {epoch:.0f} | {adapter:.2f} | {epoch / adapter:.0f}x |")


if __name__ == "__main__":
    main()
