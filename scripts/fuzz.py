#!/usr/bin/env python3
"""Seeded mutations of every input kind `mkt` reads, run against the built binary.

Each case writes a mutated input into a fresh folder, runs one `mkt` command on it as a
subprocess (so a trap shows as a signal exit) under a timeout, and checks:

- no crash: the exit status is 0 or 1..127 (not a signal, not 128+), no trap text on stderr;
- no hang: the command ends within the timeout;
- one-line errors: a failing command's last stderr line is its only `Error:` line, at most
  700 characters, with no raw control characters;
- nothing left behind: a failing command leaves its output folder empty, and no command leaves a
  hidden `.NAME.UUID.tmp` file.

Kinds: npy (`mkt evaluate`), safetensors and config (`mkt embed-text` on a small generated CLIP
folder), labels (`mkt embed-text` label lists), images (`mkt preprocess` image lists, with
FIFOs, devices, folders and truncated files among the entries), pytorch (`mkt convert` of a
small official-MKT-student `.pth` written here without torch: damaged pickles, hostile sizes,
strides and offsets, foreign globals, damaged zips), video (`mkt embed-videos` lists of mutated
video files — MP4/H.264, WebM/VP9, AVI/MJPEG, Matroska/FFV1 and H.264 RGB, damaged, truncated,
spliced, with hostile header numbers — and frame folders with damaged, missing, renamed or
foreign frames, beside good videos, FIFOs and devices). Every random choice comes from
SplitMix64 (the project's generator), so a seed gives the same cases everywhere.

    python3 scripts/fuzz.py --mkt .build/release/mkt                # 200 cases per kind
    MKT_FUZZ_CASES=2000 python3 scripts/fuzz.py --mkt ... --seed 7    # more
"""

import argparse
import concurrent.futures
import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

MASK = (1 << 64) - 1
CRASH_MARKERS = ("Fatal error", "Illegal instruction", "Segmentation fault", "Stack dump", "Current stack trace",
                 "Trace/breakpoint", "Aborted", "Bus error")
HOSTILE_INTS = [0, -1, 1, 2, 3, 7, 255, 65536, 1 << 31, (1 << 31) - 1, 1 << 32, 1 << 62, (1 << 63) - 1, 1 << 63,
                (1 << 64) - 1, 10 ** 30, 1000000, 1000000000, 3074457345618258603]


class SplitMix64:
    """The project's generator (Sources/MKTSupport/SplitMix64.swift)."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def choice(self, items):
        return items[self.below(len(items))]

    def chance(self, p):
        return self.next() / 2.0 ** 64 < p


def mutate_bytes(rng, data, protect=0):
    """Random byte-level damage: flips, insertions, deletions, truncation, duplication."""
    data = bytearray(data)
    for _ in range(1 + rng.below(4)):
        op = rng.below(6)
        n = len(data)
        if n <= protect:
            data += bytes([rng.below(256)])
            continue
        i = protect + rng.below(n - protect)
        if op == 0:
            data[i] ^= 1 << rng.below(8)
        elif op == 1:
            data[i] = rng.choice([0, 0xFF, 0x7F, 0x80, ord("{"), ord("}"), ord(","), ord("'"), ord('"'), ord("\n")])
        elif op == 2:
            data[i:i] = bytes(rng.below(256) for _ in range(1 + rng.below(8)))
        elif op == 3:
            del data[i:i + 1 + rng.below(16)]
        elif op == 4:
            del data[i:]
        else:
            j = protect + rng.below(n - protect)
            data[i:i] = data[min(i, j):max(i, j)][:4096]
    return bytes(data)


def hostile_number(rng):
    v = rng.choice(HOSTILE_INTS)
    if rng.chance(0.3):
        v = -v
    return v


# -- .npy ---------------------------------------------------------------------------------------

def npy_bytes(header_text, payload, version=1):
    text = header_text
    prefix = 10 if version == 1 else 12
    pad = (64 - (prefix + len(text.encode("latin1", "replace")) + 1) % 64) % 64
    text += " " * pad + "\n"
    raw = text.encode("latin1", "replace")
    head = b"\x93NUMPY" + bytes([version, 0])
    head += struct.pack("<H", len(raw) & 0xFFFF) if version == 1 else struct.pack("<I", len(raw))
    return head + raw + payload


def npy_case(rng, n=6, l=4):
    """A mutated scores or labels .npy of [n, l]; returns (which, bytes)."""
    which = rng.choice(["scores", "labels"])
    if which == "scores":
        payload = b"".join(struct.pack("<f", (rng.below(1000) - 500) / 100.0) for _ in range(n * l))
        descr = "<f4"
    else:
        payload = b"".join(struct.pack("<i", 1 if (i * 7 + j) % 3 == 0 else -1) for i in range(n) for j in range(l))
        descr = "<i4"
    shape = "(%d, %d)" % (n, l)
    fortran = "False"
    keys = None
    kind = rng.below(8)
    if kind == 0:
        dims = [hostile_number(rng) for _ in range(1 + rng.below(3))]
        shape = "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"
    elif kind == 1:
        descr = rng.choice(["<u2", ">f4", "<f16", "", "O", "<c8", "|S5", "<V4", "f4", "<" + "f" * 300])
    elif kind == 2:
        fortran = rng.choice(["True", "'no'", "0", "None", "Falsey", ""])
    elif kind == 3:
        keys = rng.choice([
            "{'descr': '%s', 'fortran_order': %s, 'shape': %s, " % (descr, fortran, shape),
            "{'descr': '%s', 'fortran_order': %s, 'shape': %s, 'shape': %s}" % (descr, fortran, shape, shape),
            "{'descr': '%s', 'fortran_order': %s, 'shape': %s, 'x': 1}" % (descr, fortran, shape),
            "{'descr': '%s', 'shape': %s}" % (descr, shape),
            "['descr', '%s']" % descr,
            "",
        ])
    elif kind == 4:
        dims = [rng.below(5) for _ in range(rng.below(6))]
        shape = "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"
    header = keys if keys is not None else "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    data = npy_bytes(header, payload, version=rng.choice([1, 1, 2, 3]))
    if kind >= 5:
        data = mutate_bytes(rng, data, protect=0 if kind == 5 else 8)
    return which, data


# -- safetensors and CLIP folders ---------------------------------------------------------------

SMALL_CONFIG = {
    "projection_dim": 8,
    "logit_scale_init_value": 2.6592,
    "text_config": {"hidden_size": 8, "intermediate_size": 16, "num_attention_heads": 2, "num_hidden_layers": 1,
                    "max_position_embeddings": 77, "vocab_size": 49408, "hidden_act": "quick_gelu",
                    "layer_norm_eps": 1e-5, "eos_token_id": 49407},
    "vision_config": {"hidden_size": 8, "intermediate_size": 16, "num_attention_heads": 2, "num_hidden_layers": 1,
                      "image_size": 32, "patch_size": 16, "num_channels": 3, "hidden_act": "quick_gelu",
                      "layer_norm_eps": 1e-5},
}


def small_clip_tensors():
    """Name -> shape of a CLIP model of SMALL_CONFIG's sizes, in Hugging Face's key names."""
    c = SMALL_CONFIG
    t, v, p = c["text_config"], c["vision_config"], c["projection_dim"]
    out = {}

    def block(prefix, w, i):
        for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
            out[f"{prefix}.self_attn.{name}.weight"] = [w, w]
            out[f"{prefix}.self_attn.{name}.bias"] = [w]
        out[f"{prefix}.mlp.fc1.weight"] = [i, w]
        out[f"{prefix}.mlp.fc1.bias"] = [i]
        out[f"{prefix}.mlp.fc2.weight"] = [w, i]
        out[f"{prefix}.mlp.fc2.bias"] = [w]
        for name in ("layer_norm1", "layer_norm2"):
            out[f"{prefix}.{name}.weight"] = [w]
            out[f"{prefix}.{name}.bias"] = [w]

    w = t["hidden_size"]
    out["text_model.embeddings.token_embedding.weight"] = [t["vocab_size"], w]
    out["text_model.embeddings.position_embedding.weight"] = [t["max_position_embeddings"], w]
    for k in range(t["num_hidden_layers"]):
        block(f"text_model.encoder.layers.{k}", w, t["intermediate_size"])
    out["text_model.final_layer_norm.weight"] = [w]
    out["text_model.final_layer_norm.bias"] = [w]
    out["text_projection.weight"] = [p, w]
    w, s, q = v["hidden_size"], v["image_size"], v["patch_size"]
    out["vision_model.embeddings.class_embedding"] = [w]
    out["vision_model.embeddings.patch_embedding.weight"] = [w, 3, q, q]
    out["vision_model.embeddings.position_embedding.weight"] = [(s // q) ** 2 + 1, w]
    out["vision_model.pre_layrnorm.weight"] = [w]
    out["vision_model.pre_layrnorm.bias"] = [w]
    for k in range(v["num_hidden_layers"]):
        block(f"vision_model.encoder.layers.{k}", w, v["intermediate_size"])
    out["vision_model.post_layernorm.weight"] = [w]
    out["vision_model.post_layernorm.bias"] = [w]
    out["visual_projection.weight"] = [p, w]
    out["logit_scale"] = []
    return out


def safetensors_parts(tensors, rng):
    """(header dict, data bytes) with small deterministic float values."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        shape = tensors[name]
        count = 1
        for d in shape:
            count *= d
        if name.endswith("weight") and "norm" in name:
            values = struct.pack("<%df" % count, *([1.0] * count))
        else:
            values = struct.pack("<%df" % count, *(((k * 2654435761) % 1000 - 500) / 5000.0 for k in range(count)))
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(values)]}
        chunks.append(values)
        offset += len(values)
    return header, b"".join(chunks)


def safetensors_bytes(header_json, data, length=None):
    raw = header_json.encode("utf-8", "surrogatepass")
    return struct.pack("<Q", len(raw) if length is None else length & MASK) + raw + data


def safetensors_case(rng, header, data):
    kind = rng.below(9)
    h = json.loads(json.dumps(header))
    names = sorted(k for k in h if k != "__metadata__")
    name = rng.choice(names)
    length = None
    text = None
    if kind == 0:
        h[name]["shape"] = [hostile_number(rng) for _ in range(1 + rng.below(3))]
    elif kind == 1:
        begin, end = h[name]["data_offsets"]
        h[name]["data_offsets"] = rng.choice([[hostile_number(rng), end], [begin, hostile_number(rng)],
                                              [float(begin), float(end)], [end, begin], [begin], [begin, end, 0]])
    elif kind == 2:
        h[name]["dtype"] = rng.choice(["F16", "BF16", "F64", "I8", "U8", "BOOL", "Q7", "", 3, None])
    elif kind == 3:
        raw = json.dumps(h)
        dup = '"%s": %s' % (name, json.dumps(h[name]))
        text = raw[:-1] + ", " + dup + "}"
    elif kind == 4:
        other = rng.choice(names)
        h[name]["data_offsets"] = list(h[other]["data_offsets"])
    elif kind == 5:
        length = rng.choice([1 << 63, (1 << 64) - 1, 1 << 62, 0, 1, len(json.dumps(h)) + 1 + rng.below(100)])
    elif kind == 6:
        h["__metadata__"] = rng.choice([{"format": "pt"}, {"a": 1}, [], "x"])
    elif kind == 7:
        del h[name]
    if text is None:
        text = json.dumps(h)
    out = safetensors_bytes(text, data, length)
    if kind == 8:
        out = mutate_bytes(rng, out[:8 + len(text) + 64], protect=0) + out[8 + len(text) + 64:]
    elif rng.chance(0.1):
        # NaN or infinity in the data section.
        pos = 8 + len(text.encode()) + 4 * rng.below(len(data) // 4)
        out = out[:pos] + rng.choice([b"\x00\x00\xc0\x7f", b"\x00\x00\x80\x7f", b"\x00\x00\x80\xff"]) + out[pos + 4:]
    return out


# -- PyTorch zip checkpoints --------------------------------------------------------------------

def pickle_text(text):
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def pickle_int(v):
    return b"J" + struct.pack("<i", v) if -(1 << 31) <= v < (1 << 31) else b"\x8a\x08" + struct.pack("<q", max(min(v, (1 << 63) - 1), -(1 << 63)))


def student_tensors(w=64, patch=4, grid=2, d=16):
    """A one-block official-MKT student (CLIPVIT state dict names): (name, shape) pairs."""
    b = "transformer.resblocks.0."
    return [("conv1.weight", [w, 3, patch, patch]), ("class_embedding", [w]), ("positional_embedding", [grid * grid + 1, w]),
            ("ln_pre.weight", [w]), ("ln_pre.bias", [w]), (b + "attn.in_proj_weight", [3 * w, w]), (b + "attn.in_proj_bias", [3 * w]),
            (b + "attn.out_proj.weight", [w, w]), (b + "attn.out_proj.bias", [w]), (b + "ln_1.weight", [w]), (b + "ln_1.bias", [w]),
            (b + "mlp.c_fc.weight", [w, w]), (b + "mlp.c_fc.bias", [w]), (b + "mlp.c_proj.weight", [w, w]), (b + "mlp.c_proj.bias", [w]),
            (b + "ln_2.weight", [w]), (b + "ln_2.bias", [w]), ("ln_post.weight", [w]), ("ln_post.bias", [w]), ("projection_dist", [w, d])]


def torch_checkpoint(rng, hostile):
    """The zip of `torch.save(OrderedDict)` for the student, written by hand; with `hostile`, one
    tensor's size, stride, offset or storage size is a hostile number, or a global is foreign."""
    tensors = student_tensors()
    victim = rng.below(len(tensors)) if hostile else -1
    what = rng.below(5)
    body = [b"\x80\x02ccollections\nOrderedDict\nq\x00)R("]
    storages = {}
    for i, (name, shape) in enumerate(tensors):
        count = 1
        for n in shape:
            count *= n
        strides, acc = [], 1
        for n in reversed(shape):
            strides.insert(0, acc)
            acc *= n
        offset, numel, glob = 0, count, b"ctorch._utils\n_rebuild_tensor_v2\n"
        if i == victim:
            if what == 0:
                shape = [hostile_number(rng) if rng.chance(0.5) else n for n in shape]
            elif what == 1:
                strides = [hostile_number(rng) for _ in strides]
            elif what == 2:
                offset = hostile_number(rng)
            elif what == 3:
                numel = hostile_number(rng)
            else:
                glob = rng.choice([b"cos\nsystem\n", b"cbuiltins\neval\n", b"c__torch__\nM\n", b"ctorch\nFloatStorage\n"])
        storages[str(i)] = struct.pack("<%df" % count, *[((k * 2654435761) % 1000) / 5000.0 - 0.1 for k in range(count)])
        body.append(pickle_text(name) + glob + b"((" + pickle_text("storage") + b"ctorch\nFloatStorage\n" + pickle_text(str(i))
                    + pickle_text("cpu") + pickle_int(numel) + b"tQ" + pickle_int(offset) + b"(" + b"".join(map(pickle_int, shape))
                    + b"t(" + b"".join(map(pickle_int, strides)) + b"t\x89ccollections\nOrderedDict\n)RtR")
    body.append(b"u.")
    return b"".join(body), storages


def pytorch_case(rng):
    kind = rng.below(6)
    pkl, storages = torch_checkpoint(rng, hostile=kind == 1)
    if kind == 2:
        pkl = mutate_bytes(rng, pkl, protect=2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        z.writestr("student/data.pkl", pkl)
        for key, data in storages.items():
            z.writestr("student/data/" + key, data[:len(data) // 2] if kind == 3 and key == "5" else data)
        z.writestr("student/version", "3\n")
    data = buffer.getvalue()
    if kind == 4:
        data = mutate_bytes(rng, data)
    return data


def config_case(rng):
    c = json.loads(json.dumps(SMALL_CONFIG))
    kind = rng.below(5)
    for _ in range(1 + rng.below(2)):
        section = rng.choice([None, "text_config", "vision_config"])
        target = c if section is None else c[section]
        key = rng.choice([k for k in target if not isinstance(target[k], dict)])
        target[key] = rng.choice([hostile_number(rng), hostile_number(rng), 1e6, 1e30, -0.5, 1.5, "8", None, [], True,
                                  float("nan") if kind == 0 else 0, "gelu_new" if key == "hidden_act" else 2000000])
    text = json.dumps(c, allow_nan=True)
    if kind == 4:
        text = mutate_bytes(rng, text.encode()).decode("latin1")
    return text


# -- text lists ---------------------------------------------------------------------------------

def labels_case(rng):
    lines = ["cat", "dog", "person riding a horse", "7\tsky", "traffic light"]
    kind = rng.below(5)
    if kind == 0:
        lines.insert(rng.below(len(lines)), "x" * rng.choice([300, 5000, 100000]))
    elif kind == 1:
        lines.insert(rng.below(len(lines)), "".join(chr(rng.below(32)) for _ in range(1 + rng.below(20))))
    elif kind == 2:
        lines = rng.choice([[], [""], ["   ", "\t"], ["\r\n"]])
    text = "\n".join(lines).encode("utf-8")
    if kind >= 3:
        text = mutate_bytes(rng, text)
    return text


def images_case(rng, folder, images, special):
    entries = [rng.choice(images) for _ in range(1 + rng.below(3))]
    for _ in range(1 + rng.below(2)):
        kind = rng.below(8)
        if kind == 0:
            entry = rng.choice(special)
        elif kind == 1:
            src = rng.choice(images)
            with open(src, "rb") as f:
                data = f.read()
            entry = os.path.join(folder, "bad%d%s" % (rng.below(1000), os.path.splitext(src)[1]))
            with open(entry, "wb") as f:
                f.write(mutate_bytes(rng, data[: min(len(data), 20000)], protect=rng.choice([0, 8, 64])))
        elif kind == 2:
            entry = "/nonexistent/" + "d" * rng.choice([10, 300, 5000]) + ".jpg"
        elif kind == 3:
            entry = "img\x1b[2J\x07name.jpg"
        elif kind == 4:
            entry = folder
        elif kind == 5:
            entry = ""
        else:
            entry = rng.choice(images)
        entries.insert(rng.below(len(entries) + 1), entry)
    return ("\n".join(entries) + rng.choice(["\n", "", "\r\n"])).encode("utf-8", "surrogateescape")


# -- videos -------------------------------------------------------------------------------------

VIDEO_FILES = ["h264.mp4", "vp9.webm", "mjpeg.avi", "ffv1.mkv", "x264rgb.mkv"]


def video_file_case(rng, data):
    """A damaged video file: byte damage (sparing the first bytes or not), a truncation, a spliced
    copy of another part, or a hostile 32-bit number written over a header field."""
    kind = rng.below(5)
    if kind == 0:
        return mutate_bytes(rng, data, protect=rng.choice([0, 8, 64, 512]))
    if kind == 1:
        return data[: rng.below(len(data))]
    if kind == 2:
        i, j = rng.below(len(data)), rng.below(len(data))
        return data[:i] + data[j:j + 1 + rng.below(2048)] + data[i:]
    if kind == 3:
        out = bytearray(data)
        for _ in range(1 + rng.below(3)):
            pos = rng.below(max(1, min(len(out) - 4, 512)))
            out[pos:pos + 4] = struct.pack(">I" if rng.chance(0.5) else "<I", hostile_number(rng) & 0xFFFFFFFF)
        return bytes(out)
    # Many small flips spread over the whole file (damaged packets rather than headers).
    out = bytearray(data)
    for _ in range(1 + rng.below(40)):
        out[rng.below(len(out))] ^= 1 << rng.below(8)
    return bytes(out)


def frame_folder_case(rng, case_dir, source, index):
    """A copy of a frame folder with one problem: a damaged or truncated frame, a missing frame
    (a gap in the numbering), a foreign file, an empty folder, a frame that is a folder."""
    folder = os.path.join(case_dir, "frames%d" % index)
    os.makedirs(folder)
    names = sorted(n for n in os.listdir(source) if n.endswith((".jpg", ".png")))
    for n in names:
        shutil.copy(os.path.join(source, n), os.path.join(folder, n))
    kind = rng.below(6)
    victim = os.path.join(folder, rng.choice(names))
    if kind == 0:
        with open(victim, "rb") as f:
            data = f.read()
        with open(victim, "wb") as f:
            f.write(mutate_bytes(rng, data, protect=rng.choice([0, 8, 64])))
    elif kind == 1:
        with open(victim, "rb") as f:
            data = f.read()
        with open(victim, "wb") as f:
            f.write(data[: rng.below(len(data))])
    elif kind == 2:
        os.remove(victim)
    elif kind == 3:
        with open(os.path.join(folder, rng.choice(["img_00003.png", "img_99999.jpg", "notes.txt", "img_0000x.jpg"])), "wb") as f:
            f.write(bytes(rng.below(256) for _ in range(rng.below(64))))
    elif kind == 4:
        for n in names:
            os.remove(os.path.join(folder, n))
    else:
        os.remove(victim)
        os.makedirs(victim)
    return folder


def videos_case(rng, case_dir, clips, special):
    """A video list: 1-3 entries, at least one of them damaged or hostile, beside good videos."""
    entries = [os.path.join(clips, rng.choice(VIDEO_FILES + ["folder-jpg", "folder-png"])) for _ in range(rng.below(3))]
    for k in range(1 + rng.below(2)):
        kind = rng.below(8)
        if kind <= 3:
            name = rng.choice(VIDEO_FILES)
            with open(os.path.join(clips, name), "rb") as f:
                data = f.read()
            entry = os.path.join(case_dir, "bad%d%s" % (k, os.path.splitext(name)[1]))
            with open(entry, "wb") as f:
                f.write(video_file_case(rng, data))
        elif kind == 4:
            entry = frame_folder_case(rng, case_dir, os.path.join(clips, rng.choice(["folder-jpg", "folder-png"])), k)
        elif kind == 5:
            entry = rng.choice(special)
        elif kind == 6:
            entry = rng.choice(["/nonexistent/clip.mp4", "clip\x1b[2J\x07.mp4", "", "x" * 5000 + ".webm"])
        else:
            entry = os.path.join(case_dir, "empty%d.mp4" % k)
            open(entry, "wb").close()
        entries.insert(rng.below(len(entries) + 1), entry)
    fields = [e + rng.choice(["", "", " 3", " 9 2", "\t1"]) for e in entries]
    return ("\n".join(fields) + rng.choice(["\n", "", "\r\n"])).encode("utf-8", "surrogateescape")


# -- running and checking -----------------------------------------------------------------------

class Outcome:
    def __init__(self, kind, index, problems, status, seconds, message):
        self.kind, self.index, self.problems = kind, index, problems
        self.status, self.seconds, self.message = status, seconds, message


def run_case(mkt, kind, index, args, out_dir, timeout):
    started = time.time()
    try:
        p = subprocess.run([mkt] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        status = p.returncode
        err = p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return Outcome(kind, index, ["hang (no exit within %ss)" % timeout], None, time.time() - started, "")
    seconds = time.time() - started
    problems = []
    if status < 0 or status >= 128:
        problems.append("crash (exit status %d)" % status)
    for marker in CRASH_MARKERS:
        if marker in err:
            problems.append("crash text on stderr (%r)" % marker)
    lines = [l for l in err.split("\n") if l.strip()]
    message = lines[-1] if lines else ""
    if status != 0:
        errors = [l for l in lines if l.startswith("Error:")]
        if not message.startswith("Error:"):
            problems.append("last stderr line is not the error: %r" % message[:200])
        elif len(errors) != 1:
            problems.append("%d error lines" % len(errors))
        if len(message) > 700:
            problems.append("message of %d characters" % len(message))
        if any(ord(ch) < 32 and ch != "\t" for ch in message):
            problems.append("raw control character in the message")
    left = []
    for dirpath, _, files in os.walk(out_dir):
        for fn in files:
            if status != 0 or fn.endswith(".tmp"):
                left.append(os.path.relpath(os.path.join(dirpath, fn), out_dir))
    if left:
        problems.append("left behind: " + ", ".join(sorted(left)[:3]))
    return Outcome(kind, index, problems, status, seconds, message)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mkt", required=True, help="the built mkt binary")
    ap.add_argument("--cases", type=int, default=int(os.environ.get("MKT_FUZZ_CASES", "200")),
                    help="cases per input kind (default 200, or MKT_FUZZ_CASES)")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("MKT_FUZZ_SEED", "1")))
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before a case counts as a hang")
    ap.add_argument("--kinds", default="npy,safetensors,config,labels,images,pytorch,video")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    args = ap.parse_args()
    mkt = os.path.abspath(args.mkt)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    fixtures = os.path.join(root, "Tests", "Fixtures")
    work = tempfile.mkdtemp(prefix="mkt-fuzz-")

    # A small CLIP folder (tokenizer files from the fixtures) that every model case starts from.
    base = os.path.join(work, "base-model")
    os.makedirs(base)
    header, data = safetensors_parts(small_clip_tensors(), SplitMix64(args.seed))
    base_weights = safetensors_bytes(json.dumps(header), data)
    with open(os.path.join(base, "model.safetensors"), "wb") as f:
        f.write(base_weights)
    with open(os.path.join(base, "config.json"), "w") as f:
        json.dump(SMALL_CONFIG, f)
    tokenizer_files = [os.path.join(fixtures, "tiny-clip", n) for n in ("vocab.json", "merges.txt")]
    for path in tokenizer_files:
        os.symlink(path, os.path.join(base, os.path.basename(path)))
    labels_ok = os.path.join(work, "labels.txt")
    with open(labels_ok, "w") as f:
        f.write("cat\ndog\n")
    images = [os.path.join(fixtures, "images", n) for n in sorted(os.listdir(os.path.join(fixtures, "images")))
              if n.endswith((".jpg", ".png")) and os.path.getsize(os.path.join(fixtures, "images", n)) < 100000]
    clips = os.path.join(fixtures, "video", "clips")
    fifo = os.path.join(work, "fifo.jpg")
    os.mkfifo(fifo)
    video_fifo = os.path.join(work, "fifo.mp4")
    os.mkfifo(video_fifo)
    special = [fifo, "/dev/zero", "/dev/null", work]
    n, l = 6, 4
    good_scores = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (n, l),
                            b"".join(struct.pack("<f", k / 10.0) for k in range(n * l)))
    good_labels = npy_bytes("{'descr': '<i4', 'fortran_order': False, 'shape': (%d, %d), }" % (n, l),
                            b"".join(struct.pack("<i", 1 if (i + j) % 2 else -1) for i in range(n) for j in range(l)))

    def model_folder(case_dir, weights=None, config=None):
        folder = os.path.join(case_dir, "model")
        os.makedirs(folder)
        with open(os.path.join(folder, "model.safetensors"), "wb") as f:
            f.write(weights if weights is not None else base_weights)
        with open(os.path.join(folder, "config.json"), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(config if config is not None else json.dumps(SMALL_CONFIG))
        for path in tokenizer_files:
            os.symlink(path, os.path.join(folder, os.path.basename(path)))
        return folder

    def prepare(kind, index):
        """(args, output folder) of one case; every choice from SplitMix64(seed, kind, index)."""
        rng = SplitMix64(args.seed * 0x1000193 + hash_kind(kind) * 1000003 + index)
        case_dir = os.path.join(work, kind, str(index))
        out_dir = os.path.join(case_dir, "out")
        os.makedirs(out_dir)
        if kind == "npy":
            which, blob = npy_case(rng, n, l)
            paths = {}
            for name, good in (("scores", good_scores), ("labels", good_labels)):
                paths[name] = os.path.join(case_dir, name + ".npy")
                with open(paths[name], "wb") as f:
                    f.write(blob if name == which else good)
            return ["evaluate", "--scores", paths["scores"], "--labels", paths["labels"], "--output",
                    os.path.join(out_dir, "metrics.json")], out_dir
        if kind in ("safetensors", "config", "labels"):
            labels = labels_ok
            if kind == "safetensors":
                folder = model_folder(case_dir, weights=safetensors_case(rng, header, data))
            elif kind == "config":
                folder = model_folder(case_dir, config=config_case(rng))
            else:
                folder = base
                labels = os.path.join(case_dir, "labels.txt")
                with open(labels, "wb") as f:
                    f.write(labels_case(rng))
            return ["embed-text", "--model", folder, "--input", labels, "--output",
                    os.path.join(out_dir, "text.npy")], out_dir
        if kind == "images":
            lst = os.path.join(case_dir, "list.txt")
            with open(lst, "wb") as f:
                f.write(images_case(rng, case_dir, images, special))
            return ["preprocess", "--preset", "clip", "--size", "32", "--input", lst, "--output",
                    os.path.join(out_dir, "pixels.npy")], out_dir
        if kind == "video":
            lst = os.path.join(case_dir, "videos.txt")
            with open(lst, "wb") as f:
                f.write(videos_case(rng, case_dir, clips, special + [video_fifo]))
            return ["embed-videos", "--model", base, "--input", lst, "--output", os.path.join(out_dir, "frames.npy"),
                    "--frames", str(1 + rng.below(4)), "--clips", str(1 + rng.below(2)), "--batch-size", str(1 + rng.below(8))], out_dir
        if kind == "pytorch":
            path = os.path.join(case_dir, "student.pth")
            with open(path, "wb") as f:
                f.write(pytorch_case(rng))
            return ["convert", "--input", path, "--output", os.path.join(out_dir, "student")], out_dir
        raise SystemExit("unknown kind " + kind)

    kinds = [k for k in args.kinds.split(",") if k]
    started = time.time()
    outcomes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = []
        for kind in kinds:
            for index in range(args.cases):
                case_args, out_dir = prepare(kind, index)
                futures.append(pool.submit(run_case, mkt, kind, index, case_args, out_dir, args.timeout))
        for future in futures:
            outcomes.append(future.result())

    failed = [o for o in outcomes if o.problems]
    for kind in kinds:
        mine = [o for o in outcomes if o.kind == kind]
        crashes = sum(any(p.startswith("crash") for p in o.problems) for o in mine)
        hangs = sum(any(p.startswith("hang") for p in o.problems) for o in mine)
        rejected = sum(o.status not in (0, None) for o in mine)
        slowest = max((o.seconds for o in mine), default=0)
        print("fuzz %-12s %4d cases: %3d accepted, %3d rejected, %d crashes, %d hangs, %d other problems, slowest %.1fs"
              % (kind, len(mine), sum(o.status == 0 for o in mine), rejected, crashes, hangs,
                 sum(bool(o.problems) for o in mine) - crashes - hangs, slowest))
    for o in failed[:20]:
        print("FAIL %s #%d (exit %s): %s | %s" % (o.kind, o.index, o.status, "; ".join(o.problems), o.message[:200]))
    print("fuzz: %d cases in %.0fs, %d failed (seed %d; the cases are in %s)"
          % (len(outcomes), time.time() - started, len(failed), args.seed, work if (args.keep or failed) else "a removed folder"))
    if not args.keep and not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


def hash_kind(kind):
    """A stable number per kind (Python's own hash of strings is randomised per process)."""
    h = 0
    for ch in kind.encode():
        h = (h * 131 + ch) & 0xFFFFFFFF
    return h


if __name__ == "__main__":
    sys.exit(main())
