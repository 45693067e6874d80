#!/usr/bin/env python3
"""Regenerate the golden tokenizer fixtures from tiktoken.

Run from anywhere with a Python that has tiktoken, transformers, tokenizers and regex:

    python Tests/Fixtures/make_tokenizer_fixtures.py

It reads the real GPT-2 vocabulary from `../shared/gpt2-vocab/` (next to the repository root)
and the corpus from `../shared/corpus/`, and writes into `Tests/Fixtures/golden/`:

- `tokenizer_gpt2.json`: `[{"text": ..., "ids": [...]}]`, ids from tiktoken's GPT-2 encoding
  with `allowed_special="all"`.
- `tokenizer_gpt2_decode.json`: `[{"ids": [...], "text": ...}]` for id sequences whose bytes
  are not valid UTF-8, decoded with `errors="replace"`.
- `tokenizer_gpt2_corpus.json`: token count and FNV-1a hash of the ids of the whole of
  tinyshakespeare.txt, so the full corpus can be checked without storing its ids.
- `tokenizer_char_classes.json`: the code point ranges that tiktoken's regex engine treats as
  `\\p{L}`, `\\p{N}` and `\\s`, so the Swift scanner can be checked on every code point.

tiktoken cannot download here, so its `Encoding` is built from vocab.json through the GPT-2
byte <-> unicode table. The ids are cross-checked against tiktoken's own r50k pattern, a
re-implementation of OpenAI's original `encoder.py` (Python `regex` module) and Hugging Face's
`GPT2TokenizerFast`; every disagreement is printed.
"""

import json
import random
import sys
from pathlib import Path

import regex
import tiktoken
from transformers import GPT2TokenizerFast

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
VOCAB_DIR = SHARED / "gpt2-vocab"
CORPUS = SHARED / "corpus" / "tinyshakespeare.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
# tiktoken's faster spelling of the same pattern (tiktoken_ext/openai_public.py).
R50K_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""
END_OF_TEXT = "<|endoftext|>"


def bytes_to_unicode():
    """GPT-2's table: printable bytes map to themselves, the rest to U+0100 onwards."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    table = {b: chr(b) for b in printable}
    n = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + n)
            n += 1
    return table


BYTE_TO_CHAR = bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def token_bytes(token):
    return bytes(CHAR_TO_BYTE[c] for c in token)


def load_vocabulary():
    vocab = json.loads((VOCAB_DIR / "vocab.json").read_text(encoding="utf-8"))
    lines = (VOCAB_DIR / "merges.txt").read_text(encoding="utf-8").split("\n")
    if lines and lines[0].startswith("#version"):
        lines = lines[1:]
    merges = [tuple(line.split(" ")) for line in lines if line]
    assert all(len(m) == 2 for m in merges)
    return vocab, merges


def make_tiktoken(vocab, pattern):
    ranks = {token_bytes(t): i for t, i in vocab.items() if t != END_OF_TEXT}
    return tiktoken.Encoding(
        name="gpt2-local",
        pat_str=pattern,
        mergeable_ranks=ranks,
        special_tokens={END_OF_TEXT: vocab[END_OF_TEXT]},
    )


class OpenAIEncoder:
    """OpenAI's original GPT-2 encoder.py, rewritten: merges.txt ranks, all occurrences of
    the best pair merged per step, the pattern run by the `regex` module. The original knows
    no special tokens, so `<|endoftext|>` is split off here the way tiktoken does it."""

    def __init__(self, vocab, merges):
        self.encoder = vocab
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.pattern = regex.compile(GPT2_PATTERN)

    def bpe(self, token):
        word = list(token)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        return word

    def encode_ordinary(self, text):
        ids = []
        for piece in self.pattern.findall(text):
            mapped = "".join(BYTE_TO_CHAR[b] for b in piece.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(mapped))
        return ids

    def encode(self, text):
        ids = []
        for i, part in enumerate(text.split(END_OF_TEXT)):
            if i > 0:
                ids.append(self.encoder[END_OF_TEXT])
            ids.extend(self.encode_ordinary(part))
        return ids


def shakespeare_excerpts():
    corpus = CORPUS.read_text(encoding="utf-8")
    excerpts = []
    for offset, length in [(0, 400), (10_000, 300), (123_457, 500), (500_000, 250), (len(corpus) - 300, 300)]:
        excerpts.append(corpus[offset : offset + length])
    return excerpts


def handwritten_strings():
    s = [
        "",
        "Hello, world!",
        "hello world",
        "The quick brown fox jumps over the lazy dog.",
        "GPT-2 is a large transformer-based language model with 1.5 billion parameters.",
        "a",
        " ",
        "  ",
        "   ",
        "\t",
        "\n",
        "\n\n",
        "\n\n\n",
        "\r\n",
        "\r\n\r\n",
        "line one\r\nline two\r\n",
        "trailing space ",
        "trailing spaces   ",
        "trailing tab\t",
        "trailing newline\n",
        "trailing mixed \t\n ",
        " leading space",
        "  two leading spaces",
        "\tleading tab",
        "\n\nleading newlines",
        "word  word",
        "word   word",
        "word    word",
        "word\tword",
        "word \tword",
        "word\t word",
        "word\t\tword",
        "word \n word",
        "word\n\nword",
        "word \n\n word",
        " \n \n x",
        "a \t \t b",
        "x\n \ny",
        "x  \n  y",
        "tabs\t\t\tand spaces   mixed \t \t end",
        "indented:\n    code()\n        more()\n",
        "def f(x):\n\treturn x\n",
        "    ",
        "\t\t",
        " \t",
        "\t ",
        " \n",
        "\n ",
        # Contractions in every case.
        "I'm", "I'M", "i'm", "you're", "YOU'RE", "You'Re", "they'RE", "they're", "we've", "WE'VE",
        "We'Ve", "I'll", "I'LL", "I'Ll", "he'd", "HE'D", "it's", "IT'S", "It'S", "don't", "DON'T",
        "Don'T", "can't", "won't", "shan't", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T",
        "'RE", "'VE", "'M", "'LL", "'D", "'x", "'", "''", "'''s", "''s", "'ss", "'sss", "'st",
        "'rest", "'very", "'mm", "'lll", "'dd", " 's", " 'll", "x 's", "rock 'n' roll",
        "'tis the season", "o'clock", "O'Brien's", "the '90s", "it's 'quoted'", "'s'", "s's's",
        "'S'T'RE", "a'b'c'd", "he said 'hello'", "'\n's", "' s", "'1", "'é", "'ß",
        "\u2019s", "it\u2019s", "I\u2019m",
        # Digits and numbers.
        "0", "7", "42", "2024", "3.14159", "1,000,000", "12345678901234567890",
        "9" * 60, "-1", "+1", "1e10", "0x1F", "v1.2.3", "a1b2c3", "abc123def", "123abc", " 123", "  123",
        "phone: 555-0100", "2024-01-15T12:34:56Z", "$19.99", "50%", "100km/h", "1st 2nd 3rd 4th",
        "\u0661\u0662\u0663", "\u0967\u0968\u0969", "\u2160\u2161", "\u00bd \u00bc", "\u2460\u2461",
        "\uff11\uff12\uff13", "x\u00b2 + y\u00b2",
        # Punctuation runs.
        "!", "!!", "!!!", "?!", "...", "....", "\u2026", "---", "--", "==>", "<=>", "!=", "->",
        "::", ";;", "(){}[]", "{{}}", "((()))", "\"quoted\"", "\u201csmart quotes\u201d",
        "#hashtag", "@mention", "a@b.com", "https://example.com/path?q=1&r=2#frag", "C:\\Users\\x",
        "~/.config", "**bold**", "_under_", "`code`", "<div class=\"x\">hi</div>", "a+b=c",
        "f(x) = x^2", "[1, 2, 3]", '{"key": "value"}', "!!! ??? ...", " !", "  !", " ! ! !",
        "hello!!!world", "end.", "end. ", "ok,", "$$$", "%%", "&&", "||", "<|", "|>",
        # Letters beyond ASCII, marks, scripts.
        "caf\u00e9", "cafe\u0301", "na\u00efve r\u00e9sum\u00e9", "\u00c5ngstr\u00f6m", "\u212bngstr\u00f6m",
        "Stra\u00dfe", "\u00df", "\u1e9e", "\u0130stanbul", "\u0131", "\ufb01le", "\u01c5",
        "\u4f60\u597d\u4e16\u754c", "\u4f60\u597d\uff0c\u4e16\u754c\uff01", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
        "\u3053\u3093\u306b\u3061\u306f", "\u30ab\u30bf\u30ab\u30ca", "\ud55c\uad6d\uc5b4", "\u1100\u1161\u11a8",
        "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "\u0627\u0644\u0633\u0651\u064e\u0644\u0627\u0645",
        "\u05e9\u05dc\u05d5\u05dd", "\u0928\u092e\u0938\u094d\u0924\u0947", "\u0939\u093f\u0928\u094d\u0926\u0940 \u092d\u093e\u0937\u093e",
        "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440!",
        "\u0393\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5", "\u10d2\u10d0\u10db\u10d0\u10e0\u10ef\u10dd\u10d1\u10d0",
        "\u0531\u0562\u0563", "\u1780\u17d2\u1798\u17c2\u179a", "\u0d2e\u0d32\u0d2f\u0d3e\u0d33\u0d02",
        "a\u0300\u0301\u0302", "\u0301", " \u0301", "e\u0301\u0302x", "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O\u0342\u030c\u030c\u0358\u0328\u0335\u0339\u033b\u031d\u0333",
        "\u02b0\u02b2", "\u3005", "\u16a0\u16a2\u16a6",
        # Emoji.
        "\U0001f600", "\U0001f600\U0001f601\U0001f602", "I \u2764\ufe0f you", "\U0001f44d\U0001f3fd",
        "\U0001f44b\U0001f3ff hi", "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
        "\U0001f3f3\ufe0f\u200d\U0001f308", "\U0001f1fa\U0001f1f8\U0001f1ef\U0001f1f5", "#\ufe0f\u20e3",
        "\U0001f9d1\U0001f3fb\u200d\U0001f4bb", "emoji\U0001f389party", " \U0001f600", "  \U0001f600",
        "\U0001f600 \U0001f600", "\u263a", "\u2603\ufe0f", "\U0001faf6\U0001f3fc",
        # Unicode spaces and separators.
        "a\u00a0b", "a\u00a0\u00a0b", "\u00a0", "\u00a0x", " \u00a0x", "\u00a0 x", "a\u3000b", "\u3000\u3000",
        "a\u2028b", "a\u2029b", "a\u2003b", "a\u2009b", "a\u200ab", "a\u202fb", "a\u205fb", "a\u1680b",
        "a\u0085b", "a\u180eb", "a\u200bb", "a\ufeffb", "a\u200cb\u200dc", "a\u2060b", "\u2000\u2001\u2002x",
        "x\u00a0\n", "x \u3000 y", "\u3000\u3000x",
        # Control characters.
        "\x00", "a\x00b", "\x01\x02\x03", "\x07bell", "\x08", "a\x0bb", "a\x0cb", "\x0b\x0c",
        "a\x1bb", "\x1b[31mred\x1b[0m", "a\x1cb", "a\x1db", "a\x1eb", "a\x1fb", "\x1c\x1d\x1e\x1f",
        "x\x1c y", "\x7f", "a\x7fb", "\x80\x9f", "a\x9fb", "\ufffd", "a\ufffdb", "\uffff", "\U0010ffff",
        "\ue000private", "\U000e0041", "\U0001d400\U0001d401",
        # The special token.
        END_OF_TEXT,
        END_OF_TEXT + END_OF_TEXT,
        "hello" + END_OF_TEXT + "world",
        "hello " + END_OF_TEXT + " world",
        "Document one." + END_OF_TEXT + "\n\nDocument two.",
        "<|endoftext|",
        "|endoftext|>",
        "<|endoftext>",
        "<|ENDOFTEXT|>",
        "<<|endoftext|>>",
        "  " + END_OF_TEXT + "  ",
        "\n" + END_OF_TEXT,
        "it" + END_OF_TEXT + "'s",
        # Long pieces (exercise the merge path for long pre-tokens).
        "a" * 300,
        "ab" * 150,
        "abcdefghijklmnopqrstuvwxyz" * 12,
        "Supercalifragilisticexpialidocious" * 5,
        "!" * 200,
        "=-" * 100,
        " " * 300,
        " " * 100 + "x",
        "\n" * 100,
        "\t" * 50 + "x",
        "0123456789" * 30,
        "\U0001f600" * 50,
        "\u4f60\u597d" * 80,
        "aGVsbG8gd29ybGQhIHRoaXMgaXMgYmFzZTY0IGVuY29kZWQgZGF0YQ==" * 3,
        "https://example.com/" + "very-long-path-segment/" * 8,
        "pneumonoultramicroscopicsilicovolcanoconiosis",
        "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    ]
    return s


def fuzz_strings(rng):
    """Random strings over an alphabet of the characters the pattern cares about."""
    alphabet = [
        "a", "Z", "s", "t", "d", "m", "e", "r", "v", "l", "S", "T", "D", "L", "R", "E", "'", "'", "'",
        " ", " ", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u3000", "\u2028",
        "1", "9", "\u0661", "\u00bd", "!", ".", "-", "\u0301", "\u200d", "\ufe0f", "\u00e9", "\u4e2d",
        "\U0001f600", "\U0001f3fd", "<|endoftext|>", "\x00", "\u2019",
    ]
    out = []
    for _ in range(160):
        n = rng.randint(1, 24)
        out.append("".join(rng.choice(alphabet) for _ in range(n)))
    return out


def random_unicode_strings(rng):
    """Random code points: some from the whole range (mostly unassigned), most from the BMP."""
    def random_scalar():
        while True:
            if rng.random() < 0.2:
                cp = rng.randint(0, 0x10FFFF)
            elif rng.random() < 0.5:
                cp = rng.randint(0, 0x2FFF)
            else:
                cp = rng.randint(0, 0xFFFF)
            if not 0xD800 <= cp <= 0xDFFF:
                return chr(cp)

    return ["".join(random_scalar() for _ in range(rng.randint(1, 16))) for _ in range(40)]


def decode_cases(vocab, rng):
    """Id sequences whose bytes are not all valid UTF-8."""
    byte_id = {b: vocab[BYTE_TO_CHAR[b]] for b in range(256)}
    fixed = [
        [0xE4], [0xE4, 0xB8], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F], [0xF0, 0x9F, 0x98], [0x80], [0xBF, 0x80],
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF], [0xFE, 0xFF], [0x61, 0xE4, 0x62],
        [0xE4, 0xB8, 0x61], [0xF0, 0x9F, 0x98, 0x61], [0xF0, 0x9F, 0x98, 0x80, 0x80], [0xC3],
        [0xC3, 0xA9, 0xC3], [0xE2, 0x82], [0xE2, 0x82, 0xAC, 0xE2],
    ]
    sequences = [[byte_id[b] for b in seq] for seq in fixed]
    for _ in range(60):
        n = rng.randint(1, 8)
        seq = []
        for _ in range(n):
            if rng.random() < 0.7:
                seq.append(byte_id[rng.randint(0x80, 0xFF)])
            else:
                seq.append(rng.randint(0, 50255))
        sequences.append(seq)
    id_bytes = {i: token_bytes(t) for t, i in vocab.items()}
    cases = []
    for seq in sequences:
        text = b"".join(id_bytes[i] for i in seq).decode("utf-8", errors="replace")
        cases.append({"ids": seq, "text": text})
    return cases


def char_classes():
    """Which code points tiktoken's regex engine puts in \\p{L}, \\p{N} and \\s.

    An Encoding with the 256 single bytes as its only tokens encodes only the text its
    pattern matches, so a one-character pattern run over every code point lists the class."""
    everything = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)
    ranks = {bytes([b]): b for b in range(256)}
    classes = {}
    for name, pattern in [("letter", r"\p{L}"), ("number", r"\p{N}"), ("whitespace", r"\s")]:
        enc = tiktoken.Encoding(name=f"class-{name}", pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
        matched = bytes(enc.encode_ordinary(everything)).decode("utf-8")
        classes[name] = sorted(ord(c) for c in matched)
    return classes


def to_ranges(code_points):
    ranges = []
    for cp in code_points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def fnv1a64_of_ids(ids):
    """FNV-1a (64-bit) over the ids as little-endian 32-bit integers."""
    h = 0xCBF29CE484222325
    for i in ids:
        for byte in i.to_bytes(4, "little"):
            h ^= byte
            h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    vocab, merges = load_vocabulary()
    enc = make_tiktoken(vocab, GPT2_PATTERN)
    enc_r50k = make_tiktoken(vocab, R50K_PATTERN)
    openai = OpenAIEncoder(vocab, merges)
    hf = GPT2TokenizerFast(vocab=vocab, merges=merges)
    assert len(hf) == 50257, f"HF tokenizer has {len(hf)} tokens"

    rng = random.Random(20240601)
    strings = handwritten_strings() + shakespeare_excerpts() + fuzz_strings(rng) + random_unicode_strings(rng)
    seen, unique = set(), []
    for s in strings:
        if s not in seen:
            seen.add(s)
            unique.append(s)

    disagreements = 0
    cases = []
    for text in unique:
        ids = enc.encode(text, allowed_special="all")
        others = {
            "tiktoken r50k pattern": enc_r50k.encode(text, allowed_special="all"),
            "OpenAI encoder.py": openai.encode(text),
            "HF GPT2TokenizerFast": hf.encode(text),
        }
        for name, other in others.items():
            if other != ids:
                disagreements += 1
                print(f"DISAGREEMENT {name} on {text!r}:\n  tiktoken {ids}\n  {name} {other}")
        if enc.decode(ids) != text:
            print(f"tiktoken does not round-trip {text!r}")
        cases.append({"text": text, "ids": ids})

    decode = decode_cases(vocab, rng)
    for case in decode:
        hf_text = hf.decode(case["ids"])
        if hf_text != case["text"]:
            disagreements += 1
            print(f"DISAGREEMENT HF decode of {case['ids']}: {hf_text!r} vs {case['text']!r}")

    corpus_ids = enc.encode(CORPUS.read_text(encoding="utf-8"), allowed_special="all")
    if hf.encode(CORPUS.read_text(encoding="utf-8")) != corpus_ids:
        disagreements += 1
        print("DISAGREEMENT HF on the corpus")
    corpus = {"file": CORPUS.name, "count": len(corpus_ids), "fnv1a64": f"{fnv1a64_of_ids(corpus_ids):016x}"}

    classes = char_classes()
    # OpenAI's encoder runs the pattern with the `regex` module, which has its own Unicode tables.
    for name, pattern in [("letter", r"\p{L}"), ("number", r"\p{N}"), ("whitespace", r"\s")]:
        compiled = regex.compile(pattern)
        theirs = {cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and compiled.match(chr(cp))}
        ours = set(classes[name])
        if theirs != ours:
            diff = sorted(theirs ^ ours)
            print(f"NOTE regex module and tiktoken differ on {name} for {len(diff)} code points, "
                  f"e.g. {[hex(c) for c in diff[:12]]}")

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with open(GOLDEN / "tokenizer_gpt2.json", "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]\n")
    with open(GOLDEN / "tokenizer_gpt2_decode.json", "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(c) for c in decode))
        f.write("\n]\n")
    with open(GOLDEN / "tokenizer_gpt2_corpus.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(corpus, indent=2) + "\n")
    with open(GOLDEN / "tokenizer_char_classes.json", "w", encoding="utf-8") as f:
        payload = {name: to_ranges(cps) for name, cps in classes.items()}
        f.write("{\n")
        f.write(",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in payload.items()))
        f.write("\n}\n")

    print(f"{len(cases)} encode cases, {len(decode)} decode cases, "
          f"{sum(len(v) for v in classes.values())} classified code points, {disagreements} disagreements")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
