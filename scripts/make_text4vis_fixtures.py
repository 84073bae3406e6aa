"""Reference output of Text4Vis' "Transf" temporal head for MKTText4VisTests.

Written from the formulas of the official whwu95/Text4Vis code (modules/video_clip.py
`video_header` with `sim_header: Transf`, and CLIP's ResidualAttentionBlock): frame-position
embeddings added, a stack of pre-LN blocks (nn.MultiheadAttention, QuickGELU MLP of width 4D)
over the T frame tokens, a residual to the input, the mean over time.

Writes Tests/Fixtures/text4vis/temporal-transformer.safetensors with the weights under MKT's
key names (in_proj split into q/k/v, c_fc/c_proj as fc1/fc2, ln_1/ln_2 as layer_norm1/2), the
input `input` [B, T, D] and the expected `output` [B, D].

    Benchmarks/Compare/.venv/bin/python scripts/make_text4vis_fixtures.py
"""
from collections import OrderedDict
import os

import torch
from torch import nn
from safetensors.torch import save_file


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)), ("gelu", QuickGELU()), ("c_proj", nn.Linear(d_model * 4, d_model))]))
        self.ln_2 = nn.LayerNorm(d_model)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x), self.ln_1(x), self.ln_1(x), need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class VideoHeader(nn.Module):
    def __init__(self, embed_dim, context_length, layers, heads):
        super().__init__()
        self.frame_position_embeddings = nn.Embedding(context_length, embed_dim)
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(embed_dim, heads) for _ in range(layers)])

    def forward(self, x):
        b, t, c = x.size()
        x_original = x
        position_ids = torch.arange(t, dtype=torch.long).unsqueeze(0).expand(b, -1)
        x = x + self.frame_position_embeddings(position_ids)
        x = x.permute(1, 0, 2)  # NLD -> LND
        x = self.resblocks(x)
        x = x.permute(1, 0, 2)
        x = x.type(x_original.dtype) + x_original
        return x.mean(dim=1, keepdim=False)


def main():
    torch.manual_seed(1024)
    width, heads, layers, frames, batch, positions = 32, 2, 6, 8, 3, 16
    head = VideoHeader(width, positions, layers, heads)
    with torch.no_grad():
        # Larger weights than the official N(0, 0.02²) so that every block changes the output.
        for name, p in head.named_parameters():
            if name.endswith("bias"):
                p.copy_(torch.randn_like(p) * 0.1)
            elif "ln_" in name:
                p.copy_(1 + torch.randn_like(p) * 0.1)
            else:
                p.copy_(torch.randn_like(p) * 0.15)
        x = torch.randn(batch, frames, width)
        y = head(x)
    tensors = {"frame_position_embeddings.weight": head.frame_position_embeddings.weight, "input": x, "output": y}
    for i, block in enumerate(head.resblocks):
        prefix = f"layers.{i}."
        w, b = block.attn.in_proj_weight, block.attn.in_proj_bias
        for j, name in enumerate(["q_proj", "k_proj", "v_proj"]):
            tensors[prefix + f"self_attn.{name}.weight"] = w[j * width:(j + 1) * width]
            tensors[prefix + f"self_attn.{name}.bias"] = b[j * width:(j + 1) * width]
        tensors[prefix + "self_attn.out_proj.weight"] = block.attn.out_proj.weight
        tensors[prefix + "self_attn.out_proj.bias"] = block.attn.out_proj.bias
        tensors[prefix + "layer_norm1.weight"] = block.ln_1.weight
        tensors[prefix + "layer_norm1.bias"] = block.ln_1.bias
        tensors[prefix + "mlp.fc1.weight"] = block.mlp.c_fc.weight
        tensors[prefix + "mlp.fc1.bias"] = block.mlp.c_fc.bias
        tensors[prefix + "mlp.fc2.weight"] = block.mlp.c_proj.weight
        tensors[prefix + "mlp.fc2.bias"] = block.mlp.c_proj.bias
        tensors[prefix + "layer_norm2.weight"] = block.ln_2.weight
        tensors[prefix + "layer_norm2.bias"] = block.ln_2.bias
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "text4vis", "temporal-transformer.safetensors")
    save_file({k: v.detach().contiguous().float() for k, v in tensors.items()}, out)
    print(out, y.shape)


if __name__ == "__main__":
    main()
