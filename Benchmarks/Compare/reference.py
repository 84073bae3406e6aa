#!/usr/bin/env python3
"""The reference side of the comparison: the same work as `mkt profile CASE` in PyTorch,
transformers, Pillow + numpy or scikit-learn, with random weights.

    reference.py CASE [options] --serve     # driven from stdin, like `mkt profile CASE --serve`
    reference.py evaluate --scores S.npy --labels Y.npy --output M.json   # one run, then exit

Protocol of --serve (the same as ours): print `ready` after set-up and one warm-up run; then run
once per line read from stdin and print `time SECONDS` (per repetition with --inner); exit at
end of input. run_all.py drives both sides and alternates their runs.

Runtimes of the embedding cases (image, text; --runtime): torch (FP32, the default),
torch-bf16 (torch.autocast("cpu", torch.bfloat16)), onnxruntime (FP32: its CPU provider has no
bf16 matrix products), openvino (FP32: INFERENCE_PRECISION_HINT f32; its default on CPUs with
AVX512-BF16 or AMX is bf16) and openvino-bf16. ONNX Runtime runs the model exported with
torch.onnx.export, OpenVINO the model converted with openvino.convert_model; both with
--threads threads (default: 2, the comparison's).

Cases (shapes as in `mkt profile`):
  sgemm       torch.mm of two N x N float32 matrices (--size, --inner)
  image       CLIP ViT-B/16 image embedding, batch --batch (transformers CLIPModel, eval,
              inference_mode, SDPA attention)
  text        the text tower over "There is a {} in the scene" for every --labels line,
              tokenization included, in length-sorted chunks of --chunk padded to the chunk's
              longest prompt (--pad longest), or every prompt padded to 77 tokens (--pad 77, as
              OpenAI CLIP / open_clip tokenize, which MKT's code uses)
  stage1      one MKT stage-1 step at batch --batch over --label-count labels: frozen CLIP teacher
              forward (no grad) + student forward with its last 2 blocks trainable, two-stream
              scores (top-16 patches), ranking loss + L1 distillation, backward, AdamW
  stage2      one MKT stage-2 step: cached image features of --batch images, the text tower over
              the --labels prompts with 8 learnable context rows (token-embedding rows of the
              non-label prompt tokens), two-stream scores, ranking loss, backward, AdamW on the
              context
  preprocess  Pillow + numpy decode + CLIP preprocessing of the --images list (one thread), with
              preprocess_compare.py's pipeline
  evaluate    np.load + sklearn average_precision_score per label + F1@3/@5 + JSON
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_venv import ensure_venv  # noqa: E402

ensure_venv()

import numpy as np  # noqa: E402

TEMPLATE = "There is a {} in the scene"


def clip_config(patch=16):
    from transformers import CLIPConfig
    vision = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                  image_size=224, patch_size=patch, hidden_act="quick_gelu", layer_norm_eps=1e-5)
    text = dict(hidden_size=512, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=8,
                max_position_embeddings=77, vocab_size=49408, hidden_act="quick_gelu", layer_norm_eps=1e-5,
                eos_token_id=49407, bos_token_id=49406, pad_token_id=49407)
    return CLIPConfig(text_config=text, vision_config=vision, projection_dim=512)


def clip_model(patch=16):
    import torch
    from transformers import CLIPModel
    torch.manual_seed(0)
    model = CLIPModel(clip_config(patch)).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def read_labels(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t")[-1] for line in f if line.strip()]


def tokenizer(folder):
    """transformers' CLIPTokenizer (the `tokenizers` BPE) over vocab.json and merges.txt."""
    from transformers import CLIPTokenizer
    with open(os.path.join(folder, "vocab.json")) as f:
        vocab = json.load(f)
    with open(os.path.join(folder, "merges.txt")) as f:
        merges = [tuple(line.split()) for line in f.read().split("\n")[1:] if line.strip()]
    return CLIPTokenizer(vocab=vocab, merges=merges)


# ---------------------------------------------------------------------------------------------
# Workloads: each returns a function that does one run.

def sgemm(a):
    import torch
    g = torch.Generator().manual_seed(1)
    x = torch.randn(a.size, a.size, generator=g)
    y = torch.randn(a.size, a.size, generator=g)
    out = torch.empty(a.size, a.size)
    return lambda: torch.mm(x, y, out=out)


RUNTIMES = ["torch", "torch-bf16", "onnxruntime", "openvino", "openvino-bf16"]


def compiled(module, examples, names, dynamic, a):
    """`module` (a torch.nn.Module over `examples`) on runtime a.runtime: a function of torch
    tensors returning a torch tensor. `dynamic` maps input names to their dynamic axes."""
    import torch
    threads = a.threads or 2
    if a.runtime in ("torch", "torch-bf16"):
        bf16 = a.runtime == "torch-bf16"

        def run_torch(*xs):
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                return module(*xs).float()
        return run_torch
    if a.runtime == "onnxruntime":
        import tempfile
        import onnxruntime as ort
        path = os.path.join(tempfile.mkdtemp(prefix="mkt-ort-"), "model.onnx")
        with torch.inference_mode():
            torch.onnx.export(module, examples, path, input_names=names, output_names=["y"],
                              dynamic_axes=dynamic, dynamo=False)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        return lambda *xs: torch.from_numpy(session.run(None, {n: x.numpy() for n, x in zip(names, xs)})[0])
    import openvino as ov
    shapes = {n: [-1 if i in dynamic.get(n, {}) else d for i, d in enumerate(x.shape)] for n, x in zip(names, examples)}
    with torch.inference_mode():
        model = ov.convert_model(module, example_input=examples, input=[ov.PartialShape(shapes[n]) for n in names])
    precision = "bf16" if a.runtime == "openvino-bf16" else "f32"
    net = ov.Core().compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": precision,
                                                 "INFERENCE_NUM_THREADS": threads})
    request = net.create_infer_request()
    return lambda *xs: torch.from_numpy(request.infer([x.numpy() for x in xs])[0].copy()).float()


def image(a):
    import torch
    model = clip_model(16)
    pixels = torch.randn(a.batch, 3, 224, 224, generator=torch.Generator().manual_seed(1))

    class Tower(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, x):
            return self.m.visual_projection(self.m.vision_model(pixel_values=x).pooler_output)

    forward = compiled(Tower().eval(), (pixels,), ["pixels"], {"pixels": {0: "batch"}}, a)
    return lambda: forward(pixels)


def text(a):
    import torch
    model = clip_model(16)
    tok = tokenizer(a.tokenizer)
    prompts = [TEMPLATE.format(name) for name in read_labels(a.labels)]

    class Tower(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, ids, mask):
            return self.m.text_projection(self.m.text_model(input_ids=ids, attention_mask=mask).pooler_output)

    example = tok(prompts[:2], return_tensors="pt", padding="longest")
    axes = {"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}}
    forward = compiled(Tower().eval(), (example["input_ids"], example["attention_mask"]), ["ids", "mask"], axes, a)

    def run():
        with torch.inference_mode():
            if a.pad == "77":
                order = list(range(len(prompts)))
                kwargs = dict(padding="max_length", max_length=77, truncation=True)
            else:
                lengths = [len(ids) for ids in tok(prompts)["input_ids"]]
                order = sorted(range(len(prompts)), key=lambda i: lengths[i])
                kwargs = dict(padding="longest")
            out = torch.empty(len(prompts), 512)
            for s in range(0, len(order), a.chunk):
                rows = order[s:s + a.chunk]
                batch = tok([prompts[i] for i in rows], return_tensors="pt", **kwargs)
                out[rows] = forward(batch["input_ids"], batch["attention_mask"])
            return out
    return run


def two_stream_scores(global_, local, labels, top_k=16):
    """MKT's two-stream scores: [B, D] and [B, P, D] against [L, D] -> [B, L]."""
    import torch.nn.functional as F
    g = F.normalize(global_ @ labels.T, dim=-1)
    sim = local @ labels.T                                      # [B, P, L]
    loc = sim.topk(top_k, dim=1).values.mean(dim=1)             # [B, L]
    return (F.normalize(loc, dim=-1) + g) * 0.5


def ranking_loss(scores, labels, margin=1.0):
    """Mean over images of the mean hinge over violating (negative, positive) pairs."""
    pos = (labels == 1).float()
    neg = (labels == -1).float()
    mask = neg.unsqueeze(2) * pos.unsqueeze(1)                  # [B, n, p]
    diff = scores.unsqueeze(2) - scores.unsqueeze(1)
    hinge = (diff + margin).relu() * mask
    violating = (hinge > 0).float().sum(dim=(1, 2)).detach()
    return (hinge.sum(dim=(1, 2)) / (violating + 1e-8)).mean()


def synthetic_labels(batch, count):
    import torch
    i = torch.arange(batch * count).reshape(batch, count)
    return torch.where(i % 97 == 0, 1.0, -1.0)


def stage1(a):
    import copy
    import torch
    teacher = clip_model(16)
    student = copy.deepcopy(teacher).train()
    vis = student.vision_model
    trainable = list(vis.encoder.layers[-2:].parameters()) + list(vis.post_layernorm.parameters()) + \
        list(student.visual_projection.parameters())
    for p in trainable:
        p.requires_grad_(True)
    g = torch.Generator().manual_seed(1)
    pixels = torch.randn(a.batch, 3, 224, 224, generator=g)
    label_embeds = torch.randn(a.label_count, 512, generator=g)
    labels = synthetic_labels(a.batch, a.label_count)
    optimizer = torch.optim.AdamW(trainable, lr=1e-3, weight_decay=0.05)

    def run():
        with torch.no_grad():
            th = teacher.vision_model(pixel_values=pixels).last_hidden_state
            teacher_global = teacher.visual_projection(teacher.vision_model.post_layernorm(th[:, 0]))
        h = vis(pixel_values=pixels).last_hidden_state
        projected = student.visual_projection(vis.post_layernorm(h))
        global_, local = projected[:, 0], projected[:, 1:]
        scores = two_stream_scores(global_, local, label_embeds)
        loss = ranking_loss(scores, labels) + (global_ - teacher_global).abs().mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()
    return run


def stage2(a):
    import torch
    model = clip_model(16)
    tm = model.text_model
    tok = tokenizer(a.tokenizer)
    names = read_labels(a.labels)
    table = tm.embeddings.token_embedding.weight.detach()      # [V, C]
    # Prompt ids and the position of the label's tokens in each.
    prefix, suffix = TEMPLATE.split("{}")
    bos, eos = 49406, 49407
    pre_ids = tok(prefix.strip(), add_special_tokens=False)["input_ids"]
    suf_ids = tok(suffix.strip(), add_special_tokens=False)["input_ids"]
    context_ids = [bos] + pre_ids + suf_ids + [eos]             # distinct non-label tokens, prompt order
    distinct = list(dict.fromkeys(context_ids))
    label_ids = [tok(n, add_special_tokens=False)["input_ids"] for n in names]
    t = max(len(context_ids) + len(ids) for ids in label_ids)
    frozen_ids, index, ends = [], [], []
    c = len(distinct)
    for ids in label_ids:
        row = [distinct.index(bos)] + [distinct.index(i) for i in pre_ids]
        for i in ids:
            row.append(c + len(frozen_ids))
            frozen_ids.append(i)
        row += [distinct.index(i) for i in suf_ids] + [distinct.index(eos)]
        ends.append(len(row) - 1)
        index.append(row + [-1] * (t - len(row)))
    pad = c + len(frozen_ids)
    index = torch.tensor([[pad if i < 0 else i for i in row] for row in index])      # [L, T]
    frozen = torch.cat([table[frozen_ids], torch.zeros(1, table.shape[1])])
    context = torch.nn.Parameter(table[distinct].clone())        # [8, C]
    ends = torch.tensor(ends)
    causal = torch.full((t, t), float("-inf")).triu(1)
    positions = tm.embeddings.position_embedding.weight[:t].detach()
    optimizer = torch.optim.AdamW([context], lr=1e-3, weight_decay=0.05)
    g = torch.Generator().manual_seed(1)
    global_ = torch.randn(a.batch, 512, generator=g)
    local = torch.randn(a.batch, 196, 512, generator=g)
    labels = synthetic_labels(a.batch, len(names))
    layers = tm.encoder.layers

    def encode():
        x = torch.cat([context, frozen])[index] + positions                     # [L, T, C]
        mask = causal.expand(x.shape[0], 1, t, t)
        for layer in layers:
            x = layer_forward(layer, x, mask)
        x = tm.final_layer_norm(x[torch.arange(x.shape[0]), ends])               # [L, C]
        return model.text_projection(x)

    def run():
        scores = two_stream_scores(global_, local, encode())
        loss = ranking_loss(scores, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()
    return run


def layer_forward(layer, x, mask):
    """One CLIP encoder layer (pre-LN attention + MLP) with an additive mask, via SDPA."""
    import torch.nn.functional as F
    attn = layer.self_attn
    b, t, c = x.shape
    h = attn.num_heads
    y = layer.layer_norm1(x)
    q = attn.q_proj(y).view(b, t, h, c // h).transpose(1, 2)
    k = attn.k_proj(y).view(b, t, h, c // h).transpose(1, 2)
    v = attn.v_proj(y).view(b, t, h, c // h).transpose(1, 2)
    o = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    x = x + attn.out_proj(o.transpose(1, 2).reshape(b, t, c))
    return x + layer.mlp(layer.layer_norm2(x))


def preprocess(a):
    from preprocess_compare import pillow_preprocess   # the image side's Pillow + numpy pipeline
    folder = os.path.dirname(os.path.abspath(a.images))
    with open(a.images) as f:
        paths = [p if p.startswith("/") else os.path.join(folder, p) for p in (line.strip() for line in f) if p]
    out = np.empty((len(paths), 3, 224, 224), np.float32)

    def run():
        for i, p in enumerate(paths):
            out[i] = pillow_preprocess(p)
    return run


def evaluate(a):
    """Reads both matrices, AP per label (sklearn), mAP, P/R/F1@K, writes the JSON."""
    from sklearn.metrics import average_precision_score
    s = np.load(a.scores)
    y = np.load(a.labels_npy)
    st, yt = np.ascontiguousarray(s.T), np.ascontiguousarray(y.T)
    ap = []
    for j in range(st.shape[0]):
        known = yt[j] != 0
        pos = yt[j][known] == 1
        ap.append(float(average_precision_score(pos, st[j][known])) if pos.any() else 0.0)
    result = {"images": int(s.shape[0]), "labels": int(s.shape[1]), "mAP": float(np.mean(ap)), "ap": ap, "top_k": {}}
    positives = int((y == 1).sum())
    for k in (3, 5):
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        tp = int((np.take_along_axis(y, top, axis=1) == 1).sum())
        p, r = tp / (s.shape[0] * k), tp / max(positives, 1)
        result["top_k"][str(k)] = {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r}
    with open(a.output, "w") as f:
        json.dump(result, f)


CASES = dict(sgemm=sgemm, image=image, text=text, stage1=stage1, stage2=stage2, preprocess=preprocess)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case", choices=list(CASES) + ["evaluate"])
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--labels")
    ap.add_argument("--tokenizer")
    ap.add_argument("--chunk", type=int, default=128)
    ap.add_argument("--pad", choices=["longest", "77"], default="longest")
    ap.add_argument("--label-count", type=int, default=925)
    ap.add_argument("--images")
    ap.add_argument("--inner", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default; 2 for the others)")
    ap.add_argument("--runtime", choices=RUNTIMES, default="torch", help="runtime of image and text")
    ap.add_argument("--scores")
    ap.add_argument("--labels-npy")
    ap.add_argument("--output")
    ap.add_argument("--serve", action="store_true")
    a = ap.parse_args()
    if a.case == "evaluate":
        evaluate(a)
        return
    import torch
    if a.threads:
        torch.set_num_threads(a.threads)
    once = CASES[a.case](a)
    work = (lambda: [once() for _ in range(a.inner)]) if a.inner > 1 else once
    work()
    if not a.serve:
        t = time.perf_counter()
        work()
        print(f"time {(time.perf_counter() - t) / a.inner}")
        return
    print("ready", flush=True)
    for _ in sys.stdin:
        t = time.perf_counter()
        work()
        print(f"time {(time.perf_counter() - t) / a.inner}", flush=True)


if __name__ == "__main__":
    main()
