#!/usr/bin/env python3
"""Reference ids for tricky texts, for MKTTokenizer's tests.

A small, independent reference of CLIP's tokenizer semantics (OpenAI CLIP / open_clip
`SimpleTokenizer` with lower-casing): ftfy.fix_text with default options, html.unescape twice,
strip, whitespace collapse (str.split), lower(); the CLIP regular expression (Python `regex`,
case-insensitive); GPT-2 byte-to-unicode; BPE with the merges of a Hugging Face `merges.txt`;
start/end tokens from `vocab.json`; context 77, truncation keeping the end token.

Needs: pip install ftfy==6.3.1 regex numpy. Run from the repository root:

    python3 scripts/make_tokenizer_fixtures.py

It first checks itself against Tests/Fixtures/tokenizer (ids made with open_clip), then writes
Tests/Fixtures/tokenizer-extra/:
    texts.txt         the hand-written tricky texts below, one per line
    ids.npy           <i4 [N, 77]
    ids-16.npy        <i4 [N, 16]
    cleaned.txt       the cleaned text of each line
    clean-random.json generated strings (random characters from the mojibake-prone ranges,
                      synthetic mojibake, HTML fragments) with ftfy.fix_text's and the full
                      cleaning's result: [{"text", "fixed", "cleaned"}, ...]
"""
import html
import json
import os
import random

import ftfy
import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-* codecs)
import numpy as np
import regex

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
MODEL = os.path.join(FIXTURES, "clip-bpe")

SPLIT = regex.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", regex.IGNORECASE)


def byte_alphabet():
    keep = [b for b in range(256) if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF]
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def clean(text):
    text = ftfy.fix_text(text)
    text = html.unescape(html.unescape(text)).strip()
    return " ".join(text.split()).lower()


class Reference:
    def __init__(self, folder):
        with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
            self.vocab = json.load(f)
        with open(os.path.join(folder, "merges.txt"), encoding="utf-8") as f:
            lines = [l for l in f.read().split("\n") if l and not l.startswith("#version")]
        self.rank = {tuple(l.split()): i for i, l in enumerate(lines)}
        self.alphabet = byte_alphabet()
        self.start, self.end = self.vocab["<|startoftext|>"], self.vocab["<|endoftext|>"]

    def word(self, token):
        symbols = [self.alphabet[b] for b in token.encode("utf-8")]
        symbols[-1] += "</w>"
        while len(symbols) > 1:
            ranked = [(self.rank.get((a, b), None), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
            ranked = [(r, i) for r, i in ranked if r is not None]
            if not ranked:
                break
            r, i = min(ranked)
            a, b = symbols[i], symbols[i + 1]
            merged, k = [], 0
            while k < len(symbols):
                if k + 1 < len(symbols) and symbols[k] == a and symbols[k + 1] == b:
                    merged.append(a + b)
                    k += 2
                else:
                    merged.append(symbols[k])
                    k += 1
            symbols = merged
        return [self.vocab[s] for s in symbols]

    def encode(self, text):
        return [i for token in SPLIT.findall(clean(text)) for i in self.word(token)]

    def rows(self, texts, context):
        out = np.zeros((len(texts), context), dtype="<i4")
        for n, text in enumerate(texts):
            ids = [self.start] + self.encode(text) + [self.end]
            if len(ids) > context:
                ids = ids[:context]
                ids[-1] = self.end
            out[n, :len(ids)] = ids
        return out


TEXTS = [
    # accents and case
    "Crème brûlée", "Ångström units", "Ærøskøbing harbour", "Łódź and Kraków", "Dvořák symphony",
    "ÇA VA BIEN", "İstanbul bosphorus", "ΣΊΣΥΦΟΣ ΚΑΙ ΟΔΟΣ", "ὈΔΥΣΣΕΎΣ", "Straße STRASSE",
    "Ünïcödé ñandú", "Ελληνικά γράμματα",
    # scripts
    "東京タワー", "北京 天安门", "한국어 텍스트", "ｶﾀｶﾅ half-width katakana", "日本語のテキスト。",
    "中文，标点！", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "สวัสดีครับ", "Привет, мир", "ᄀ\u1161 jamo",
    # emoji
    "I ❤️ NY", "👍🏽 thumbs up", "family 👨\u200d👩\u200d👧\u200d👦", "🇫🇷 flag", "🐶🐱 pets", "keycap 1️⃣",
    # combining marks
    "cafe\u0301 au lait", "n\u0303 and a\u0308\u0301", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǒ̿͋", "α\u0345 iota subscript", "x\u0345y lone ypogegrammeni",
    # widths and ligatures
    "ＦＵＬＬＷＩＤＴＨ\u3000ｔｅｘｔ", "１２３４５ ！？＃", "ﬁsh and ﬂowers", "oﬃce eﬄuent ﬀ", "ĳssel ǅemal Ǳ",
    # quotes
    "\u201cHello,\u201d she said \u2014 \u2018it\u2019s fine\u2019", "don\u2019t stop", "it\u2018s", "ʼokina",
    "\u201eGerman quotes\u201c", "\u00abguillemets\u00bb",
    # mojibake
    "cafÃ©", "CafÃ© crÃ¨me", "donâ€™t", "â€œquotedâ€\x9d", "SÃ£o Paulo", "ZÃ¼rich", "naÃ¯ve faÃ§ade",
    "Ã  la carte", "Ã©tÃ©", "ÃƒÂ©", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "Ã°Å¸â€˜Â\x8d", "the cafÃ© on the corner",
    "Ã¤Ã¶Ã¼ umlauts", "â€“ dash", "Ã‰cole", "â€¦ ellipsis", "\x93quoted\x94", "price 100\x80",
    "ÐšÐ¸Ñ—Ð²", "cafÃ© and café together", "Ã", "Â£5", "Ã¢â‚¬â„¢",
    # HTML entities
    "Tom &amp; Jerry", "&lt;b&gt;bold&lt;/b&gt;", "&quot;quoted&quot;", "caf&eacute;", "&#39;apostrophe&#39;",
    "&#x41;&#x42;", "&amp;amp; double", "&amp;lt;", "&nbsp;space", "&EACUTE;cole", "5 &lt 6",
    "&notit; and &notebook", "&#0; zero", "&#128; euro", "&#xD800; surrogate", "<b> &amp; </b>",
    "&hearts; love", "&#128512;", "AT&T and Q&A", "&copy2024", "fish &chips", "&rsquo;curly&rsquo;",
    "https://example.com/path?q=1&r=2", "&#1114112; too big", "&#99999999999999999999;",
    # numbers
    "3.14159 and 1,000,000", "٣ ١٢٣ Arabic-Indic", "½ ⅓ ¼ cup", "10⁵ x² H₂O", "①②③ Ⅻ",
    # contractions
    "I'M HERE", "you'RE welcome", "it\u2019S", "rock'n'roll", "'''", "''s", "y'all'd've", "O'Neill's",
    "ſ test 'ſ", "WE'LL SEE, THEY'VE GONE, I'D GO",
    # controls and spaces
    "tab\tinside", "bell\x07char", "zero\u200bwidth", "soft\u00adhyphen", "BOM\ufeffhere",
    "\x1b[31mred\x1b[0m text", "nbsp\u00a0here", "ideographic\u3000space", "\x0c formfeed",
    "vertical\x0btab", "\x1c separator", "line\u2028separator", "next\x85line", "  \t  ",
    # symbols
    "℃ ℉ Ω Å K", "ℌ𝔢𝔩𝔩𝔬 𝐁𝐨𝐥𝐝", "Ⓐ circled ⓑ", "™ ® ©", "€100 ¥ £ $", "→ ← ↑ ↓", "∑ ∫ √ ∞",
    "a" * 100, "supercalifragilisticexpialidocious " * 4, "1234567890" * 10,
    "🎉" * 40,
    "a very long caption " + " ".join(["with many words about a street scene at night"] * 12),
]


def random_strings(seed, count):
    rng = random.Random(seed)
    pools = [
        [chr(c) for c in range(0x20, 0x7F)],
        [chr(c) for c in range(0x80, 0x250)],
        list("‘’‚‛“”„‟ʼ–—―…•†‡‰‹›€™¢£¥§¶°±²³µ·×÷ŒœŠšŸŽžƒˆ˜"),
        list("ΑΒΓΔΞΟαβγδπσάέ‚ÄÂÃÎÐØÙвЂВГРСўЂ√≈ā│┌═╬▀▄█░▒▓ﬁﬂĳ"),
        [chr(c) for c in range(0x400, 0x460)],
        ["&amp;", "&lt;", "&#", ";", "<", "&", "&eacute;", "&#x", "\t", " ", "\u00a0", "\u3000", "\ufeff"],
        ["\u0301", "\u0308", "\u0345", "\u200b", "\uff21", "\uff41", "\uff11", "\uff76", "\x1b[1m"],
    ]
    words = ["café", "naïve", "Zürich", "São", "straße", "Ελλάδα", "Москва", "東京", "👍", "—", "“x”", "à la",
             "Łódź", "€5", "ﬁ", "œuvre", "Ærø", "I’m", "niño", "français"]
    codecs_ = ["latin-1", "sloppy-windows-1252", "sloppy-windows-1251", "sloppy-windows-1250",
               "sloppy-windows-1253", "sloppy-windows-1254", "sloppy-windows-1257", "iso-8859-2",
               "macroman", "cp437", "windows-1252"]
    out = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            pool = rng.choice(pools) + rng.choice(pools)
            text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        else:
            pieces = []
            for _ in range(rng.randint(1, 4)):
                word = rng.choice(words)
                if rng.random() < 0.7:
                    codec = rng.choice(codecs_)
                    try:
                        word = word.encode("utf-8").decode(codec)
                        if rng.random() < 0.2:
                            word = word.encode("utf-8").decode(rng.choice(codecs_))
                    except (UnicodeDecodeError, UnicodeEncodeError):
                        pass
                if rng.random() < 0.2:
                    word = word.replace("\u00a0", " ")
                pieces.append(word)
            sep = rng.choice([" ", "", "-", " the "])
            text = sep.join(pieces)
        out.append(text)
    return out


def main():
    ref = Reference(MODEL)
    with open(os.path.join(FIXTURES, "tokenizer", "texts.txt"), encoding="utf-8") as f:
        public = f.read().split("\n")[:-1]
    for name, context in [("ids.npy", 77), ("ids-16.npy", 16)]:
        expected = np.load(os.path.join(FIXTURES, "tokenizer", name))
        assert np.array_equal(ref.rows(public, context), expected), f"reference disagrees with tokenizer/{name}"
    print(f"reference agrees with Tests/Fixtures/tokenizer ({len(public)} texts)")

    for text in TEXTS:
        assert "\n" not in text and "\r" not in text, repr(text)
    out = os.path.join(FIXTURES, "tokenizer-extra")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "texts.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(t + "\n" for t in TEXTS))
    with open(os.path.join(out, "texts.txt"), encoding="utf-8", newline="") as f:
        assert f.read().split("\n")[:-1] == TEXTS
    np.save(os.path.join(out, "ids.npy"), ref.rows(TEXTS, 77))
    np.save(os.path.join(out, "ids-16.npy"), ref.rows(TEXTS, 16))
    with open(os.path.join(out, "cleaned.txt"), "w", encoding="utf-8", newline="\n") as f:
        for text in TEXTS:
            cleaned = clean(text)
            assert "\n" not in cleaned and "\r" not in cleaned
            f.write(cleaned + "\n")
    samples = random_strings(0, 3000)
    records = [{"text": t, "fixed": ftfy.fix_text(t), "cleaned": clean(t)} for t in samples]
    with open(os.path.join(out, "clean-random.json"), "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=True, indent=0)
    changed = sum(r["fixed"] != r["text"] for r in records)
    print(f"wrote {len(TEXTS)} texts and {len(records)} random strings ({changed} changed by ftfy) to {out}")


if __name__ == "__main__":
    main()
