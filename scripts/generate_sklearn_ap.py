#!/usr/bin/env python3
"""Reference values for the `sklearn` AP mode of MKTMetrics.

Writes Tests/Fixtures/metrics-sklearn/<case>/{scores.npy, labels.npy, expected.json}:
  ties  - 200x12 <f8 scores on a coarse grid (many tied blocks), labels +1/-1/0 as |i1
  fine  - 150x7  <f8 scores without ties (then both AP modes agree)
expected.json: {"ap": [L values]}: per label, scikit-learn's average_precision_score on the
images whose label is +1 or -1 (0 = unknown left out); 0 for a label without positives.

Run with the comparison venv:  Benchmarks/Compare/.venv/bin/python scripts/generate_sklearn_ap.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "metrics-sklearn")


def make(name, n, l, seed, grid):
    rng = np.random.default_rng(seed)
    u = rng.random((n, l))
    y = np.where(u < 0.15, 1, np.where(u > 0.9, 0, -1)).astype(np.int8)
    y[:, 3] = np.where(y[:, 3] == 1, -1, y[:, 3])  # a label without positives
    s = rng.random((n, l)) + 0.4 * (y == 1)
    s = np.floor(s * grid) / grid if grid else s
    ap = []
    for j in range(l):
        keep = y[:, j] != 0
        yt = (y[keep, j] == 1).astype(int)
        ap.append(float(average_precision_score(yt, s[keep, j])) if yt.sum() > 0 else 0.0)
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "scores.npy"), s.astype("<f8"))
    np.save(os.path.join(d, "labels.npy"), y)
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump({"ap": ap, "sklearn": sklearn.__version__, "numpy": np.__version__}, f, indent=1)
    print(name, "mean AP", np.mean(ap), "tied pairs", sum(len(c) - len(np.unique(c)) for c in s.T))


make("ties", 200, 12, 1, 6)
make("fine", 150, 7, 2, None)
