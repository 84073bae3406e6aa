#!/usr/bin/env python3
"""Generates Tests/Fixtures/checkpoints/: one small random CLIP saved in every checkpoint format
mkt reads, and the reference outputs the converted folders must reproduce.

Needs torch, transformers, safetensors and numpy (used only to make these fixtures):

    python3 scripts/make_checkpoint_fixtures.py

One random OpenAI-layout CLIP (vision: width 128, 2 layers, patch 16, image 64; text: width 64,
2 layers, context 77, vocab 49408; embed 32) with weights rounded so that every value is exact in
F16 and BF16 (BF16 rounding, |w| < 1e-4 set to 0). Written as:

- `openai-clip.pt`: a TorchScript archive (torch.jit.trace, then .half()), as OpenAI ships
  `ViT-B-16.pt` (F16 storages, `input_resolution`/`context_length`/`vocab_size` buffers).
- `hf-clip/`: the same weights mapped to Hugging Face names by this script, loaded into
  transformers' CLIPModel (asserted equal to the OpenAI-layout forward), saved with
  save_pretrained as F16 safetensors: the reference folder (tokenizer files: Fixtures/clip-bpe).
- `hf-bin/`: the same transformers model's state dict in BF16, saved with torch.save as
  `pytorch_model.bin` (what save_pretrained(safe_serialization=False) wrote), with config.json.
- `mkt-student.pth`: an official-MKT `CLIPVIT` state dict (conv1, class_embedding, ...,
  `projection.fc1/fc2` (unused by scoring), `projection_dist`) of the vision tower with
  perturbed weights, F32, saved with torch.save(model.state_dict()).
- `mkt-student-reference/`: that student mapped to mkt's student layout (`vision_model.*`,
  `visual_projection.weight`), F32 safetensors + config.json.
- `pixels.npy` [2, 3, 64, 64], `text-ids.npy` [2, 77] (<i4): inputs; `image-embeds.npy`,
  `text-embeds.npy`: the OpenAI-layout forward (float32) of the converted weights;
  `student-global.npy` [2, 32], `student-local.npy` [2, 16, 32]: CLIPVIT.encode_img.
- `malicious.pth`: a zip checkpoint whose pickle calls os.system (must be refused, never run).
- `deep.pth`: a zip checkpoint whose pickle nests 300,000 tuples (no crash, one line).

Deterministic: torch.manual_seed(21).
"""
import collections
import copy
import io
import json
import os
import pickle
import shutil
import zipfile

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file
from transformers import CLIPConfig, CLIPModel

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "checkpoints")
torch.manual_seed(21)

V_WIDTH, V_LAYERS, PATCH, IMAGE = 128, 2, 16, 64
T_WIDTH, T_LAYERS, CONTEXT, VOCAB, EMBED = 64, 2, 77, 49408, 32


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d, heads, mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads)
        self.ln_1 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(collections.OrderedDict([("c_fc", nn.Linear(d, 4 * d)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(4 * d, d))]))
        self.ln_2 = nn.LayerNorm(d)
        self.attn_mask = mask

    def forward(self, x):
        mask = self.attn_mask.to(x.dtype) if self.attn_mask is not None else None
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, V_WIDTH, PATCH, PATCH, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(V_WIDTH) * 0.3)
        self.positional_embedding = nn.Parameter(torch.randn((IMAGE // PATCH) ** 2 + 1, V_WIDTH) * 0.05)
        self.ln_pre = nn.LayerNorm(V_WIDTH)
        self.transformer = Transformer(V_WIDTH, V_LAYERS, V_WIDTH // 64)
        self.ln_post = nn.LayerNorm(V_WIDTH)
        self.proj = nn.Parameter(torch.randn(V_WIDTH, EMBED) * 0.12)

    def tokens(self, x):
        x = self.conv1(x).flatten(2).permute(0, 2, 1)
        x = torch.cat([self.class_embedding + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype), x], dim=1)
        x = self.ln_pre(x + self.positional_embedding)
        return self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)

    def forward(self, x):
        return self.ln_post(self.tokens(x)[:, 0, :]) @ self.proj


class OpenAICLIP(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = VisionTransformer()
        mask = torch.full((CONTEXT, CONTEXT), float("-inf")).triu_(1)
        self.transformer = Transformer(T_WIDTH, T_LAYERS, T_WIDTH // 64, mask)
        self.token_embedding = nn.Embedding(VOCAB, T_WIDTH)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT, T_WIDTH) * 0.05)
        self.ln_final = nn.LayerNorm(T_WIDTH)
        self.text_projection = nn.Parameter(torch.randn(T_WIDTH, EMBED) * 0.12)
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))
        self.register_buffer("input_resolution", torch.tensor(IMAGE))
        self.register_buffer("context_length", torch.tensor(CONTEXT))
        self.register_buffer("vocab_size", torch.tensor(VOCAB))

    def encode_text(self, ids):
        x = self.token_embedding(ids) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), ids.argmax(dim=-1)] @ self.text_projection

    def forward(self, image, ids):
        return self.visual(image), self.encode_text(ids)


def rounded(w):
    """BF16 rounding with |w| < 1e-4 set to 0: exact in F16 and BF16 alike."""
    w = w.to(torch.bfloat16).to(torch.float32)
    w[w.abs() < 1e-4] = 0
    assert torch.equal(w.half().float(), w)
    return w


def randomise(model):
    """Larger-than-default random weights (every part matters), exact in F16 and BF16."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.LayerNorm):
                module.weight.copy_(1 + torch.randn_like(module.weight) * 0.1)
                module.bias.copy_(torch.randn_like(module.bias) * 0.05)
            elif isinstance(module, (nn.Linear, nn.Conv2d)):
                module.weight.copy_(torch.randn_like(module.weight) * 0.08)
                if module.bias is not None:
                    module.bias.copy_(torch.randn_like(module.bias) * 0.02)
            elif isinstance(module, nn.MultiheadAttention):
                module.in_proj_weight.copy_(torch.randn_like(module.in_proj_weight) * 0.08)
                module.in_proj_bias.copy_(torch.randn_like(module.in_proj_bias) * 0.02)
            elif isinstance(module, nn.Embedding):
                module.weight.copy_(torch.randn_like(module.weight) * 0.05)
        for p in model.parameters():
            p.copy_(rounded(p))


def openai_to_hf(sd, prefix_map):
    """OpenAI key names → transformers' CLIPModel names (q/k/v split, projections transposed)."""
    out = {}
    for tower, (src, dst) in prefix_map.items():
        head = src + "transformer.resblocks."
        layers = sorted({int(k[len(head):].split(".")[0]) for k in sd if k.startswith(head)})
        for i in layers:
            a, b = f"{src}transformer.resblocks.{i}.", f"{dst}encoder.layers.{i}."
            w, bias = sd[a + "attn.in_proj_weight"], sd[a + "attn.in_proj_bias"]
            for j, n in enumerate(["q_proj", "k_proj", "v_proj"]):
                d = w.shape[0] // 3
                out[b + f"self_attn.{n}.weight"] = w[j * d:(j + 1) * d]
                out[b + f"self_attn.{n}.bias"] = bias[j * d:(j + 1) * d]
            for x, y in [("attn.out_proj", "self_attn.out_proj"), ("ln_1", "layer_norm1"), ("ln_2", "layer_norm2"), ("mlp.c_fc", "mlp.fc1"), ("mlp.c_proj", "mlp.fc2")]:
                out[b + y + ".weight"], out[b + y + ".bias"] = sd[a + x + ".weight"], sd[a + x + ".bias"]
    return out


def vision_to_hf(sd, prefix, projection):
    """The vision tower's embeddings, layer norms and projection under transformers' names."""
    return {
        "vision_model.embeddings.class_embedding": sd[prefix + "class_embedding"],
        "vision_model.embeddings.patch_embedding.weight": sd[prefix + "conv1.weight"],
        "vision_model.embeddings.position_embedding.weight": sd[prefix + "positional_embedding"],
        "vision_model.pre_layrnorm.weight": sd[prefix + "ln_pre.weight"], "vision_model.pre_layrnorm.bias": sd[prefix + "ln_pre.bias"],
        "vision_model.post_layernorm.weight": sd[prefix + "ln_post.weight"], "vision_model.post_layernorm.bias": sd[prefix + "ln_post.bias"],
        "visual_projection.weight": sd[projection].t(),
    }


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    model = OpenAICLIP().eval()
    randomise(model)
    pixels = torch.randn(2, 3, IMAGE, IMAGE)
    ids = torch.zeros(2, CONTEXT, dtype=torch.long)
    ids[0, :5] = torch.tensor([49406, 320, 1929, 268, 49407])
    ids[1, :8] = torch.tensor([49406, 997, 533, 320, 2368, 530, 518, 49407])

    with torch.no_grad():
        image, text = model(pixels, ids)
    traced = torch.jit.trace(copy.deepcopy(model), (pixels, ids))
    traced.half()
    traced.save(os.path.join(ROOT, "openai-clip.pt"))
    np.save(os.path.join(ROOT, "pixels.npy"), pixels.numpy())
    np.save(os.path.join(ROOT, "text-ids.npy"), ids.numpy().astype("<i4"))
    np.save(os.path.join(ROOT, "image-embeds.npy"), image.numpy())
    np.save(os.path.join(ROOT, "text-embeds.npy"), text.numpy())

    sd = {k: v for k, v in model.state_dict().items()}
    hf = openai_to_hf(sd, {"visual": ("visual.", "vision_model."), "text": ("", "text_model.")})
    hf.update(vision_to_hf(sd, "visual.", "visual.proj"))
    hf.update({
        "text_model.embeddings.token_embedding.weight": sd["token_embedding.weight"],
        "text_model.embeddings.position_embedding.weight": sd["positional_embedding"],
        "text_model.final_layer_norm.weight": sd["ln_final.weight"], "text_model.final_layer_norm.bias": sd["ln_final.bias"],
        "text_projection.weight": sd["text_projection"].t(),
        "logit_scale": sd["logit_scale"],
    })
    config = CLIPConfig(
        text_config=dict(hidden_size=T_WIDTH, intermediate_size=4 * T_WIDTH, num_attention_heads=T_WIDTH // 64, num_hidden_layers=T_LAYERS,
                         max_position_embeddings=CONTEXT, vocab_size=VOCAB, hidden_act="quick_gelu", eos_token_id=49407),
        vision_config=dict(hidden_size=V_WIDTH, intermediate_size=4 * V_WIDTH, num_attention_heads=V_WIDTH // 64, num_hidden_layers=V_LAYERS,
                           image_size=IMAGE, patch_size=PATCH, hidden_act="quick_gelu"),
        projection_dim=EMBED)
    hf_model = CLIPModel(config).eval()
    missing, unexpected = hf_model.load_state_dict({k: v.contiguous() for k, v in hf.items()}, strict=False)
    assert not unexpected and all("position_ids" in k for k in missing), (missing, unexpected)
    with torch.no_grad():
        hf_image = hf_model.get_image_features(pixel_values=pixels)
        hf_text = hf_model.get_text_features(input_ids=ids)
    hf_image = getattr(hf_image, "pooler_output", hf_image)
    hf_text = getattr(hf_text, "pooler_output", hf_text)
    print("transformers vs OpenAI layout: image %.2e, text %.2e" % ((hf_image - image).abs().max(), (hf_text - text).abs().max()))
    assert (hf_image - image).abs().max() < 1e-4 and (hf_text - text).abs().max() < 1e-4
    hf_model.half().save_pretrained(os.path.join(ROOT, "hf-clip"))
    # What save_pretrained(safe_serialization=False) wrote before transformers 5: torch.save of the state dict.
    os.makedirs(os.path.join(ROOT, "hf-bin"))
    torch.save(hf_model.to(torch.bfloat16).state_dict(), os.path.join(ROOT, "hf-bin", "pytorch_model.bin"))
    shutil.copy(os.path.join(ROOT, "hf-clip", "config.json"), os.path.join(ROOT, "hf-bin", "config.json"))

    # The official MKT student: CLIPVIT's state dict (models/clip_vit.py), weights moved off the teacher's.
    v = model.visual
    student = collections.OrderedDict()
    for k, t in v.state_dict().items():
        if k == "proj":
            continue
        student[k] = t.clone()
    student["projection.fc1.weight"] = torch.randn(512, V_WIDTH) * 0.02   # CLIPVIT(args, clip, embed_dim=V_WIDTH)
    student["projection.fc1.bias"] = torch.zeros(512)
    student["projection.fc2.weight"] = torch.randn(512, 512) * 0.02
    student["projection.fc2.bias"] = torch.zeros(512)
    student["projection_dist"] = v.proj.detach().clone()
    for k in student:
        if k.startswith("transformer.resblocks.1.") or k.startswith("ln_post") or k == "projection_dist":
            student[k] = student[k] + torch.randn_like(student[k]) * 0.01
    torch.save(student, os.path.join(ROOT, "mkt-student.pth"))
    with torch.no_grad():
        v2 = VisionTransformer().eval()
        v2.load_state_dict({**{k: t for k, t in student.items() if not k.startswith("projection")}, "proj": student["projection_dist"]})
        x = v2.ln_post(v2.tokens(pixels))
        local, glob = x[:, 1:] @ v2.proj, x[:, 0] @ v2.proj
    np.save(os.path.join(ROOT, "student-global.npy"), glob.numpy())
    np.save(os.path.join(ROOT, "student-local.npy"), local.numpy())
    s = {f"visual.{k}": t for k, t in student.items()}
    ref = openai_to_hf(s, {"visual": ("visual.", "vision_model.")})
    ref.update(vision_to_hf(s, "visual.", "visual.projection_dist"))
    os.makedirs(os.path.join(ROOT, "mkt-student-reference"))
    save_file({k: t.contiguous() for k, t in ref.items()}, os.path.join(ROOT, "mkt-student-reference", "model.safetensors"))
    shutil.copy(os.path.join(ROOT, "hf-clip", "config.json"), os.path.join(ROOT, "mkt-student-reference", "config.json"))

    # A pickle that would run a shell command if unpickled by Python.
    class Exploit:
        def __reduce__(self):
            return (os.system, ("echo pwned > /tmp/mkt-pwned",))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        z.writestr("malicious/data.pkl", pickle.dumps({"weight": Exploit()}, protocol=2))
        z.writestr("malicious/version", "3\n")
    with open(os.path.join(ROOT, "malicious.pth"), "wb") as f:
        f.write(buffer.getvalue())
    # A pickle nesting 300,000 tuples (a reader that frees values recursively overflows its stack).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        z.writestr("deep/data.pkl", b"\x80\x02)" + b"\x85" * 300000 + b".")
    with open(os.path.join(ROOT, "deep.pth"), "wb") as f:
        f.write(buffer.getvalue())
    for name in sorted(os.listdir(ROOT)):
        print(name)


if __name__ == "__main__":
    main()
