#!/usr/bin/env python3
"""Generates Tests/Fixtures/tai-adapter/: one TaI-Adapter training step in PyTorch, from the formulas.

Written independently of the Swift code from the definitions in Docs/TaIAdapter.md:

    u = x / ||x||            (only with normalize_input; otherwise u = x; sigma = 0: no noise)
    h = u + alpha * fc2(relu(fc1(u)))          fc1: Linear(D, D/r), fc2: Linear(D/r, D)
    s = tau * cos(h, w_c)                       [B, L], w_c the frozen classifier rows
    loss = ranking | bce | asymmetric(s, y)     y in {+1, -1}

then one AdamW step (betas 0.9/0.999, eps 1e-8, decoupled weight decay on every tensor) at the
base learning rate. Computed in float64 from F32 inputs; results stored as F32 (weights) and in
step.json (losses). Deterministic: numpy's PCG64 with a fixed seed. Needs torch, numpy and
safetensors (used only to make this fixture):

    Benchmarks/Compare/.venv/bin/python scripts/make_adapter_fixture.py
"""
import json
import os

import numpy as np
import torch
from safetensors.numpy import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "tai-adapter")
B, D, L, R = 8, 16, 6, 4
ALPHA, TAU, LR, WD = 0.5, 10.0, 1e-3, 1e-4
rng = np.random.Generator(np.random.PCG64(18))

x = (rng.normal(size=(B, D)) * 2).astype(np.float32)          # un-normalised text embeddings
w = rng.normal(size=(L, D)).astype(np.float32)                # classifier rows (normalised inside)
y = -np.ones((B, L), dtype=np.float32)
for i in range(B):
    for c in rng.choice(L, size=1 + i % 3, replace=False):
        y[i, c] = 1
hidden = D // R
b1, b2 = 1 / np.sqrt(D), 1 / np.sqrt(hidden)
init = {
    "fc1.weight": rng.uniform(-b1, b1, size=(hidden, D)).astype(np.float32),
    "fc1.bias": rng.uniform(-b1, b1, size=(hidden,)).astype(np.float32),
    "fc2.weight": rng.uniform(-b2, b2, size=(D, hidden)).astype(np.float32),
    "fc2.bias": rng.uniform(-b2, b2, size=(D,)).astype(np.float32),
}


def ranking(s, y):
    pos, neg = (y == 1).double(), (y == -1).double()
    diff = s[:, :, None] - s[:, None, :]                        # [B, n, p] = s_n - s_p
    hinge = torch.relu(1 + diff) * (neg[:, :, None] * pos[:, None, :])
    violating = (hinge > 0).double().sum(dim=(1, 2))
    return (hinge.sum(dim=(1, 2)) / (violating + 1e-8)).mean()


def bce(s, y):
    t = (y == 1).double()
    return torch.nn.functional.binary_cross_entropy_with_logits(s, t)


def asymmetric(s, y, gamma_pos=0.0, gamma_neg=4.0, clip=0.05, eps=1e-8):
    t = (y == 1).double()
    p = torch.sigmoid(s)
    p_neg = (1 - p + clip).clamp(max=1)                          # 1 - max(p - clip, 0)
    pos = torch.log(p.clamp(min=eps)) * (1 - p) ** gamma_pos
    neg = torch.log(p_neg.clamp(min=eps)) * (1 - p_neg) ** gamma_neg
    return -(t * pos + (1 - t) * neg).sum() / y.numel()


LOSSES = {"ranking": ranking, "bce": bce, "asymmetric": asymmetric}


def step(loss_name, normalize):
    params = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in init.items()}
    xs = torch.tensor(x, dtype=torch.float64)
    u = xs / xs.norm(dim=1, keepdim=True) if normalize else xs
    mid = torch.relu(u @ params["fc1.weight"].T + params["fc1.bias"])
    h = u + ALPHA * (mid @ params["fc2.weight"].T + params["fc2.bias"])
    wt = torch.tensor(w, dtype=torch.float64)
    s = TAU * (h / h.norm(dim=1, keepdim=True)) @ (wt / wt.norm(dim=1, keepdim=True)).T
    loss = LOSSES[loss_name](s, torch.tensor(y, dtype=torch.float64))
    loss.backward()
    smallest = min(g.abs()[g.abs() > 0].min().item() for g in (p.grad for p in params.values()))
    # AdamW's first step moves each weight by ~lr * sign(g); a gradient near float32 noise
    # would make the comparison fragile.
    assert smallest > 1e-6, (loss_name, smallest)
    opt = torch.optim.AdamW(list(params.values()), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=WD)
    opt.step()
    return loss.item(), {k: p.detach().numpy().astype(np.float32) for k, p in params.items()}


def main():
    os.makedirs(ROOT, exist_ok=True)
    inputs = {"embeddings": x, "classifier": w, "targets": y}
    inputs.update({"init." + k: v for k, v in init.items()})
    save_file(inputs, os.path.join(ROOT, "inputs.safetensors"))
    expected, losses = {}, {}
    for name, normalize in [("ranking", False), ("bce", False), ("asymmetric", False), ("asymmetric", True)]:
        case = name + ("-normalized" if normalize else "")
        loss, weights = step(name, normalize)
        losses[case] = loss
        expected.update({case + "." + k: v for k, v in weights.items()})
        print(f"{case}: loss {loss:.9f}")
    save_file(expected, os.path.join(ROOT, "expected.safetensors"))
    settings = {"batch": B, "dimensions": D, "labels": L, "reduction": R, "alpha": ALPHA, "logit_scale": TAU,
                "lr": LR, "weight_decay": WD, "losses": losses, "torch": torch.__version__}
    with open(os.path.join(ROOT, "step.json"), "w") as f:
        json.dump(settings, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
