"""Inputs of the comparison, made on the fly (seeded): label lists, JPEGs, an evaluation set.

- labels-1006.txt / labels-925.txt: label names shaped like NUS-WIDE's tags: words of the CLIP
  vocabulary (letters only, 3-12 characters), every fifth label two words, so that prompts
  differ in length (10-13 tokens with "There is a {} in the scene").
- images/: 500x375 "photo-like" JPEGs, quality 90, made by preprocess_compare.make_images.
- scores.npy [107859, 1006] float32 and labels.npy int8 (+1/-1, about 2% positives, every
  label with a positive), the NUS-WIDE test set's shape.
"""
import json
import os

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
VOCAB = os.path.join(ROOT, "Tests", "Fixtures", "clip-bpe", "vocab.json")


def label_names(count, seed=0):
    with open(VOCAB) as f:
        vocab = json.load(f)
    words = sorted({w[:-4] for w in vocab if w.endswith("</w>") and w[:-4].isalpha() and w[:-4].isascii()
                    and 3 <= len(w) - 4 <= 12 and w[:-4].islower()})
    rng = np.random.default_rng(seed)
    chosen = list(rng.choice(words, size=2 * count, replace=False))
    names = []
    for i in range(count):
        names.append(f"{chosen[i]} {chosen[count + i]}" if i % 5 == 4 else chosen[i])
    return names


def make_evaluation(folder, n=107859, l=1006, seed=0):
    rng = np.random.default_rng(seed)
    y = np.where(rng.random((n, l), dtype=np.float32) < 0.02, 1, -1).astype(np.int8)
    y[rng.integers(0, n, l), np.arange(l)] = 1
    s = (rng.random((n, l), dtype=np.float32) + 0.5 * (y == 1)).astype(np.float32)
    sp, yp = os.path.join(folder, "scores.npy"), os.path.join(folder, "labels.npy")
    np.save(sp, s)
    np.save(yp, y)
    return sp, yp


def prepare(folder, cases, image_count=64, log=print):
    d = {"image_count": image_count, "labels1006": "", "labels925": "", "images": "", "scores": "",
         "labels_npy": ""}
    for count in (1006, 925):
        path = os.path.join(folder, f"labels-{count}.txt")
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write("\n".join(label_names(count)) + "\n")
        d[f"labels{count}"] = path
    if "preprocess" in cases:
        path = os.path.join(folder, "images", "list.txt")
        if not os.path.exists(path):
            log(f"making {image_count} JPEGs")
            from preprocess_compare import make_images   # the image side's generator
            os.makedirs(os.path.dirname(path))
            make_images(os.path.dirname(path), image_count, "jpeg")
        d["images"] = path
    if "evaluate" in cases:
        sp, yp = os.path.join(folder, "scores.npy"), os.path.join(folder, "labels.npy")
        if not (os.path.exists(sp) and os.path.exists(yp)):
            log("making the 107,859 x 1006 evaluation set")
            sp, yp = make_evaluation(folder)
        d["scores"], d["labels_npy"] = sp, yp
    return d


if __name__ == "__main__":
    # python data.py FOLDER CASES IMAGES: makes the inputs in a process of its own, so that the
    # driver stays small (a child's peak RSS starts from its parent's RSS at fork time).
    import sys
    prepare(sys.argv[1], sys.argv[2].split(","), image_count=int(sys.argv[3]),
            log=lambda m: print(m, file=sys.stderr))
