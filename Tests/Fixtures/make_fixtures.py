#!/usr/bin/env python3
"""Regenerate the golden fixtures of the GPT-2 engine from Hugging Face transformers.

Run from the repository root:

    /path/to/venv/bin/python Tests/Fixtures/make_fixtures.py [--corpus PATH]

It writes, under Tests/Fixtures/:
  models/<name>/{config.json, model.safetensors, vocab.json, merges.txt}
      three tiny GPT-2 models (fp32, fp16, bf16 without the `transformer.` prefix),
      trained briefly on the corpus with a 1024-token byte-level BPE vocabulary;
  golden/<name>.json
      last-position logits, generate() outputs (greedy and beam search) and
      logits-processor outputs computed by transformers on those weights.

Everything is deterministic: fixed seeds, one thread, deterministic algorithms.
See README.md in this folder.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import os
import re
import shutil
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402

import tokenizers  # noqa: E402
import transformers  # noqa: E402
from transformers import GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast  # noqa: E402
from transformers.generation.logits_process import (  # noqa: E402
    LogitsProcessorList,
    NoRepeatNGramLogitsProcessor,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "Tests" / "Fixtures"

VOCAB_SIZE = 1024
EOS_ID = VOCAB_SIZE - 1  # <|endoftext|> is the last id, as 50256 is in GPT-2
EOS_TEXT = "<|endoftext|>"
SEED = 1234

# name, layers, heads, width, context, stored dtype, strip `transformer.` prefix, steps
MODELS = [
    dict(name="tiny-a", n_layer=2, n_head=2, n_embd=64, n_positions=128, dtype="float32", strip_prefix=False, steps=700),
    dict(name="tiny-b", n_layer=3, n_head=4, n_embd=96, n_positions=64, dtype="float16", strip_prefix=False, steps=800),
    dict(name="tiny-c", n_layer=1, n_head=4, n_embd=32, n_positions=96, dtype="bfloat16", strip_prefix=True, steps=2000),
]
BATCH = 16
LR = 3e-3
WARMUP = 30
MIN_MARGIN = 0.01  # smallest accepted gap between the best and second-best score on a greedy path

SPEECH_OPENINGS = [
    "ROMEO:\nBut soft, what light through yonder window breaks?",
    "KING RICHARD III:\nNow is the winter of our discontent",
    "First Citizen:\n",
    "DUKE VINCENTIO:\nI love the people,",
    "QUEEN ELIZABETH:\nMy lord,",
    "JULIET:\nO Romeo, Romeo! wherefore art thou Romeo?",
    "MENENIUS:\nI tell you, friends,",
    "PETRUCHIO:\nGood morrow, Kate; for that's your name, I hear.",
    "GLOUCESTER:\nNow, my lord,",
    "LADY CAPULET:\nWhat say you? can you love the gentleman?",
    "KING HENRY VI:\n",
    "CLARENCE:\nO, I have pass'd a miserable night,",
    "BRUTUS:\n",
]
SPEAKERS = ["First Citizen:\n", "KING HENRY VI:\n", "BRUTUS:\n", "ROMEO:\n", "JULIET:\n", "MENENIUS:\n",
            "CORIOLANUS:\n", "GLOUCESTER:\n", "KING RICHARD III:\n", "DUCHESS OF YORK:\n", "PETRUCHIO:\n",
            "LUCIO:\n", "ISABELLA:\n", "ANGELO:\n", "PROSPERO:\n", "MIRANDA:\n", "LEONTES:\n", "HERMIONE:\n",
            "KATHARINA:\n", "Nurse:\n", "MERCUTIO:\n", "BENVOLIO:\n", "FRIAR LAURENCE:\n", "Second Citizen:\n"]
ONE_TOKEN_PROMPTS = ["The", "O", "And", "What", "I", "My", "Come", "How"]


def log(*args):
    print(*args, flush=True)


def setup_determinism():
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    np.random.seed(SEED)


# ---------------------------------------------------------------------------
# Capturing transformers' complaints (Python warnings and its logger)
# ---------------------------------------------------------------------------


class ComplaintCatcher(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(f"{record.name}: {record.getMessage()}")


CATCHER = ComplaintCatcher()


def install_catcher():
    transformers.logging.set_verbosity_warning()
    transformers.logging.disable_progress_bar()
    logging.getLogger("transformers").addHandler(CATCHER)


class expect_no_complaints:
    """Fail loudly if transformers warns inside the block (e.g. about ignored generation flags)."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self):
        self.start = len(CATCHER.records)
        self.cm = warnings.catch_warnings(record=True)
        self.caught = self.cm.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self.cm.__exit__(*exc)
        problems = [str(w.message) for w in self.caught] + CATCHER.records[self.start :]
        if problems and exc[0] is None:
            raise SystemExit(f"transformers complained during {self.what}:\n  " + "\n  ".join(problems))
        return False


# ---------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------


def train_tokenizer(text: str) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE - 1,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=[],
        min_frequency=0,
        show_progress=False,
    )
    tok.train_from_iterator([text], trainer=trainer)
    assert tok.get_vocab_size() == VOCAB_SIZE - 1, tok.get_vocab_size()
    return tok


def write_tokenizer_files(tok: Tokenizer, directory: Path) -> tuple[dict, list[str]]:
    """GPT-2 layout: vocab.json (token -> id, ASCII-escaped like OpenAI's encoder.json),
    merges.txt (`#version: 0.2` then the merges in rank order)."""
    model_json = json.loads(tok.to_str())["model"]
    vocab = dict(sorted(model_json["vocab"].items(), key=lambda kv: kv[1]))
    assert list(vocab.values()) == list(range(VOCAB_SIZE - 1))
    vocab[EOS_TEXT] = EOS_ID
    merges = [m if isinstance(m, str) else " ".join(m) for m in model_json["merges"]]
    assert len(merges) == VOCAB_SIZE - 1 - 256, len(merges)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (directory / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    return vocab, merges


def load_hf_tokenizer(directory: Path) -> GPT2TokenizerFast:
    hf = GPT2TokenizerFast.from_pretrained(str(directory))
    assert len(hf) == VOCAB_SIZE, f"tokenizer loaded with {len(hf)} tokens"
    assert hf.eos_token == EOS_TEXT and hf.eos_token_id == EOS_ID, (hf.eos_token, hf.eos_token_id)
    return hf


def check_tokenizer(tok: Tokenizer, hf: GPT2TokenizerFast, vocab: dict, merges: list[str], text: str):
    # Loading from dicts must give the same tokenizer as loading from the folder.
    merges_pairs = [tuple(m.split(" ")) for m in merges]
    hf2 = GPT2TokenizerFast(vocab=vocab, merges=merges_pairs)
    assert len(hf2) == VOCAB_SIZE and hf2.eos_token_id == EOS_ID, (len(hf2), hf2.eos_token_id)
    samples = [
        text[:5000],
        text[500000:505000],
        "Hello, world!  Two  spaces\tand a tab\n\nand CAPS: ROMEO'S 'tis don't 123 4567",
        "caf\u00e9 \u00fcber na\u00efve \u2014 \u201cquotes\u201d \U0001F600 \u4e2d\u6587",
        " leading space",
        "",
    ]
    for s in samples:
        a = tok.encode(s).ids
        b = hf(s)["input_ids"]
        c = hf2(s)["input_ids"]
        assert a == b == c, f"tokenizers disagree on {s[:40]!r}"
        assert hf.decode(b) == s, f"round trip failed on {s[:40]!r}"
    assert hf(EOS_TEXT)["input_ids"] == [EOS_ID]


# ---------------------------------------------------------------------------
# Training data and training
# ---------------------------------------------------------------------------


def training_stream(text: str, tok: Tokenizer) -> torch.Tensor:
    pieces = [p.strip("\n") for p in re.split(r"\n\s*\n", text)]
    pieces = [p for p in pieces if p.strip()]
    ids: list[int] = []
    for enc in tok.encode_batch(pieces):
        ids.extend(enc.ids)
        ids.append(EOS_ID)
    log(f"  training stream: {len(pieces)} speeches, {len(ids)} tokens")
    return torch.tensor(ids, dtype=torch.long)


def make_config(spec: dict) -> GPT2Config:
    return GPT2Config(
        vocab_size=VOCAB_SIZE,
        n_positions=spec["n_positions"],
        n_embd=spec["n_embd"],
        n_layer=spec["n_layer"],
        n_head=spec["n_head"],
        bos_token_id=EOS_ID,
        eos_token_id=EOS_ID,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
    )


def train_model(spec: dict, stream: torch.Tensor) -> tuple[GPT2LMHeadModel, float]:
    torch.manual_seed(SEED)
    config = make_config(spec)
    model = GPT2LMHeadModel._from_config(config, attn_implementation="eager")
    model.train()
    seq = spec["n_positions"]
    steps = spec["steps"]
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.95), weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: min(1.0, (s + 1) / WARMUP) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps))),
    )
    gen = torch.Generator().manual_seed(SEED)
    losses = []
    t0 = time.time()
    for step in range(steps):
        starts = torch.randint(0, len(stream) - seq - 1, (BATCH,), generator=gen)
        batch = torch.stack([stream[s : s + seq] for s in starts.tolist()])
        logits = model(input_ids=batch).logits
        loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, VOCAB_SIZE).float(),
                                                 batch[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        if (step + 1) % 100 == 0:
            log(f"  step {step + 1}/{steps}: loss {np.mean(losses[-50:]):.3f}")
    final = float(np.mean(losses[-50:]))
    log(f"  trained {spec['name']} in {time.time() - t0:.1f}s, final loss (mean of last 50 steps) {final:.3f}")
    model.eval()
    return model, final


def save_model(model: GPT2LMHeadModel, spec: dict, directory: Path, tok_dir: Path) -> GPT2LMHeadModel:
    """Save in the requested dtype/layout, load it back through transformers and return an fp32 model
    whose weights are exactly the stored values (upcast)."""
    if directory.exists():
        shutil.rmtree(directory)
    dtype = getattr(torch, spec["dtype"])
    to_save = copy.deepcopy(model).to(dtype)
    with expect_no_complaints(f"save_pretrained({spec['name']})"):
        to_save.save_pretrained(str(directory))
    (directory / "generation_config.json").unlink(missing_ok=True)
    for f in ("vocab.json", "merges.txt"):
        shutil.copyfile(tok_dir / f, directory / f)

    path = directory / "model.safetensors"
    tensors = load_file(str(path))
    assert "lm_head.weight" not in tensors, "tied lm_head must not be stored"
    assert all(k.startswith("transformer.") for k in tensors), sorted(tensors)
    assert all(t.dtype == dtype for t in tensors.values())
    if spec["strip_prefix"]:
        # The layout of the original GPT-2 checkpoints on the hub: no `transformer.` prefix,
        # plus the causal-mask buffers `h.N.attn.bias` (float32, 1x1xCxC) that loaders must skip.
        stripped = {k[len("transformer.") :]: v for k, v in tensors.items()}
        n = spec["n_positions"]
        mask = torch.tril(torch.ones((n, n), dtype=torch.float32)).view(1, 1, n, n)
        for i in range(spec["n_layer"]):
            stripped[f"h.{i}.attn.bias"] = mask.clone()
        save_file(dict(sorted(stripped.items())), str(path), metadata={"format": "pt"})

    # Load it back the way a user would, upcast to fp32.
    with expect_no_complaints(f"from_pretrained({spec['name']})"):
        loaded = GPT2LMHeadModel.from_pretrained(str(directory), attn_implementation="eager")
    assert loaded.dtype == dtype, (loaded.dtype, dtype)
    loaded = loaded.float().eval()
    expected = {k: v.to(dtype).float() for k, v in model.state_dict().items()}
    got = loaded.state_dict()
    for k, v in expected.items():
        assert torch.equal(got[k], v), f"{spec['name']}: {k} differs after save/load"
    assert loaded.lm_head.weight.data_ptr() == loaded.transformer.wte.weight.data_ptr(), "lm_head not tied"
    with safe_open(str(path), "pt") as f:
        keys = list(f.keys())
    log(f"  saved {spec['name']}: {spec['dtype']}, {len(keys)} tensors, e.g. {keys[0]}, "
        f"{path.stat().st_size} bytes")
    return loaded


# ---------------------------------------------------------------------------
# Goldens
# ---------------------------------------------------------------------------


def floats(t: torch.Tensor) -> list[float]:
    return [float(x) for x in t.detach().to(torch.float32).reshape(-1).numpy()]


def encode(hf: GPT2TokenizerFast, text: str) -> list[int]:
    return list(hf(text)["input_ids"])


@torch.no_grad()
def last_logits(model, ids: list[int]) -> torch.Tensor:
    return model(input_ids=torch.tensor([ids])).logits[0, -1].float()


def prefix_with_tokens(hf, text: str, n_tokens: int) -> str:
    """Longest prefix of `text`, cut at a character, that encodes to exactly n_tokens tokens."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(encode(hf, text[:mid])) <= n_tokens:
            lo = mid
        else:
            hi = mid - 1
    prefix = text[:lo]
    while len(encode(hf, prefix)) != n_tokens:
        prefix = prefix[:-1]
    return prefix


def passage(text: str, offset: int, length: int = 10000) -> str:
    """Corpus text from the first speech that starts at or after `offset`."""
    start = text.index("\n\n", offset) + 2
    return text[start : start + length]


def new_tokens(row: list[int], prompt_len: int) -> list[int]:
    """New token ids of one returned row: pad == eos here, so everything after the first eos is padding."""
    out = row[prompt_len:]
    if EOS_ID in out:
        out = out[: out.index(EOS_ID) + 1]
    return out


def run_generate(model, ids: list[int], p: dict) -> dict:
    x = torch.tensor([ids])
    kwargs = dict(
        input_ids=x,
        attention_mask=torch.ones_like(x),
        max_new_tokens=p["max_new_tokens"],
        do_sample=False,
        num_beams=p["num_beams"],
        num_return_sequences=p["num_return_sequences"],
        repetition_penalty=p["repetition_penalty"],
        no_repeat_ngram_size=p["no_repeat_ngram_size"],
        pad_token_id=EOS_ID,
        eos_token_id=EOS_ID,
        bos_token_id=EOS_ID,
        output_scores=True,
        return_dict_in_generate=True,
    )
    if p["mode"] == "beam":
        kwargs.update(length_penalty=p["length_penalty"], early_stopping=p["early_stopping"])
    with torch.no_grad(), expect_no_complaints(f"generate({p})"):
        out = model.generate(**kwargs)
    seqs = [new_tokens(r, len(ids)) for r in out.sequences.tolist()]
    result = {"sequences": seqs}
    if p["mode"] == "beam":
        result["sequences_scores"] = floats(out.sequences_scores)
    else:
        # The smallest gap between the best and the second-best processed score along the path:
        # how much float noise the greedy path can take.
        margins = []
        for s in out.scores:
            top2 = torch.topk(s[0].float(), 2).values
            margins.append(float(top2[0] - top2[1]))
        result["min_margin"] = min(margins)
    return result


def gen_params(mode="greedy", max_new_tokens=20, num_beams=1, num_return_sequences=1,
               no_repeat_ngram_size=0, repetition_penalty=1.0) -> dict:
    if mode == "greedy":
        assert num_beams == 1
    return {
        "mode": mode,
        "max_new_tokens": max_new_tokens,
        "num_beams": num_beams,
        "num_return_sequences": num_return_sequences,
        "no_repeat_ngram_size": no_repeat_ngram_size,
        "repetition_penalty": repetition_penalty,
        "length_penalty": 1.0,
        "early_stopping": True,
    }


def speech_candidates(text: str, limit: int = 600) -> list[str]:
    """Prompts that stop just before the end of a speech of the corpus: without its final punctuation
    mark, or without its last one to three words."""
    pieces = [p.strip("\n") for p in re.split(r"\n\s*\n", text)]
    out = []
    for p in pieces[200:]:
        if "\n" not in p:
            continue
        if p[-1] in ".?!;:,":
            out.append(p[:-1])
        words = p.split(" ")
        for k in (1, 2, 3):
            if len(words) > k + 1:
                out.append(" ".join(words[:-k]))
        if len(out) >= limit:
            break
    return out[:limit]


def golden_for_model(spec: dict, model, hf, text: str, with_processors: bool) -> dict:
    name = spec["name"]
    n_pos = spec["n_positions"]
    golden: dict = {"model": name, "logits": [], "generate": []}

    # --- last-position logits -------------------------------------------------------------------
    long_source = passage(text, 100000)
    one_token = "The"
    assert len(encode(hf, one_token)) == 1
    logit_prompts = [
        one_token,
        "ROMEO:\nBut soft",
        "KING RICHARD III:\nNow is the winter of our discontent\nMade glorious summer",
        prefix_with_tokens(hf, passage(text, 200000), n_pos // 2),
        prefix_with_tokens(hf, long_source, n_pos),
    ]
    for prompt in logit_prompts:
        ids = encode(hf, prompt)
        assert 1 <= len(ids) <= n_pos
        golden["logits"].append({"prompt": prompt, "input_ids": ids, "last_logits": floats(last_logits(model, ids))})
    log(f"  logits: prompts of {[len(e['input_ids']) for e in golden['logits']]} tokens")

    # --- generate() ------------------------------------------------------------------------------
    # Every case has a list of candidate prompts; the first one whose result is robust is taken:
    # the same token ids when the model runs in float64, and for greedy a clear margin between the
    # best and the second-best score at every step. So float noise in another implementation
    # cannot flip a token.
    model64 = copy.deepcopy(model).double()

    def default_accept(params):
        """Plain cases must run for all max_new_tokens (greedy) or not stop at once (beam); cases with a
        repetition penalty or an n-gram ban must give a different result than without it."""
        plain = dict(params, repetition_penalty=1.0, no_repeat_ngram_size=0)

        def accept(res, fed):
            seqs = res["sequences"]
            if params == plain:
                if params["mode"] == "greedy":
                    return len(seqs[0]) == params["max_new_tokens"]
                return len(seqs[0]) >= 2
            if len(seqs[0]) < (10 if params["mode"] == "greedy" else 2):
                return False
            return run_generate(model, fed, plain)["sequences"] != seqs

        return accept

    def pick(prompts, params, accept=None, feed=lambda ids: ids, required=True):
        accept = accept or default_accept(params)
        fallback = None
        for prompt in prompts:
            ids = encode(hf, prompt)
            fed = feed(ids)
            if len(fed) + params["max_new_tokens"] > n_pos:
                continue
            res = run_generate(model, fed, params)
            if not accept(res, fed):
                continue
            if run_generate(model64, fed, params)["sequences"] != res["sequences"]:
                continue
            if params["mode"] == "greedy" and res["min_margin"] < MIN_MARGIN:
                if fallback is None or res["min_margin"] > fallback[3]["min_margin"]:
                    fallback = (prompt, ids, fed, res)
                continue
            return prompt, ids, fed, res
        if not required:
            return None
        assert fallback is not None, f"{name}: no prompt fits {params}"
        log(f"  note: no greedy path with a margin >= {MIN_MARGIN} for {params}; "
            f"using the largest, {fallback[3]['min_margin']:.4f}")
        return fallback

    def add(case_name, prompts, params, accept=None, feed=None, required=True):
        got = pick(prompts, params, accept, feed or (lambda ids: ids), required)
        if got is None:
            return None
        prompt, ids, fed, res = got
        case = {"name": case_name, "prompt": prompt, "input_ids": ids}
        if feed is not None:
            case["truncated_input_ids"] = fed
        case["params"] = params
        case.update(res)
        golden["generate"].append(case)
        return case

    def rot(k):
        return SPEECH_OPENINGS[k:] + SPEECH_OPENINGS[:k]

    candidates = speech_candidates(text)
    one_tokens = [p for p in ONE_TOKEN_PROMPTS if len(encode(hf, p)) == 1]
    assert len(one_tokens) >= 3

    add("greedy-basic", rot(0), gen_params(max_new_tokens=20))
    add("greedy-40", rot(1) + candidates, gen_params(max_new_tokens=40))
    add("greedy-speaker", SPEAKERS, gen_params(max_new_tokens=40))
    add("greedy-one-token", one_tokens, gen_params(max_new_tokens=20))
    add("greedy-one-token-40", one_tokens[1:] + one_tokens[:1], gen_params(max_new_tokens=40))
    add("greedy-repetition-penalty", rot(3), gen_params(max_new_tokens=40, repetition_penalty=1.3))
    add("greedy-no-repeat-ngram-2", rot(4), gen_params(max_new_tokens=40, no_repeat_ngram_size=2))
    add("greedy-no-repeat-ngram-3", rot(5), gen_params(max_new_tokens=40, no_repeat_ngram_size=3))

    # A greedy case that stops at <|endoftext|>, preferably after at least two other tokens.

    def ends_at_eos(min_len):
        return lambda res, fed: res["sequences"][0][-1] == EOS_ID and len(res["sequences"][0]) >= min_len

    c = (add("greedy-eos", candidates, gen_params(max_new_tokens=20), ends_at_eos(3), required=False)
         or add("greedy-eos", candidates, gen_params(max_new_tokens=20), ends_at_eos(2)))
    log(f"  greedy-eos: {c['prompt']!r} -> {len(c['sequences'][0])} new tokens ending with <|endoftext|>")

    add("beam-2", rot(6), gen_params("beam", 20, num_beams=2, num_return_sequences=1))
    # Both hypotheses run to max_new_tokens without <|endoftext|>.
    add("beam-2-return-2", rot(7) + SPEAKERS + candidates,
        gen_params("beam", 20, num_beams=2, num_return_sequences=2),
        lambda res, fed: all(len(s) == 20 and s[-1] != EOS_ID for s in res["sequences"]))
    add("beam-4-return-2", rot(8), gen_params("beam", 30, num_beams=4, num_return_sequences=2))
    add("beam-4-return-4-ngram-2", rot(9), gen_params("beam", 30, num_beams=4, num_return_sequences=4,
                                                       no_repeat_ngram_size=2))
    add("beam-5-ngram-2", rot(10), gen_params("beam", 40, num_beams=5, num_return_sequences=1,
                                              no_repeat_ngram_size=2))
    add("beam-5-return-5-ngram-2", rot(11), gen_params("beam", 40, num_beams=5, num_return_sequences=5,
                                                       no_repeat_ngram_size=2))
    add("beam-5-return-5", one_tokens, gen_params("beam", 20, num_beams=5, num_return_sequences=5))
    add("beam-4-repetition-penalty", rot(2), gen_params("beam", 30, num_beams=4, num_return_sequences=2,
                                                        repetition_penalty=1.2))

    # A beam case whose best hypothesis finishes at <|endoftext|> after a few tokens, well before
    # max_new_tokens, while another returned hypothesis differs in length or does not finish.
    eos_params = gen_params("beam", 24, num_beams=4, num_return_sequences=4, no_repeat_ngram_size=2)

    def beam_ends_early(res, fed):
        seqs = res["sequences"]
        return (seqs[0][-1] == EOS_ID and 3 <= len(seqs[0]) < eos_params["max_new_tokens"]
                and len({(len(s), s[-1] == EOS_ID) for s in seqs}) > 1)

    add("beam-eos", candidates, eos_params, beam_ends_early)

    # Truncation: the prompt does not fit; generate() is fed only its last n_positions - max_new_tokens
    # tokens (the oldest tokens are dropped).
    max_new = 20
    keep = n_pos - max_new
    passages = [prefix_with_tokens(hf, passage(text, o), n_pos + 30) for o in range(300000, 400000, 10000)]
    c = add("greedy-truncated", passages, gen_params(max_new_tokens=max_new), feed=lambda ids: ids[-keep:])
    assert len(c["input_ids"]) > keep and c["truncated_input_ids"] == c["input_ids"][-keep:]

    for case in golden["generate"]:
        if case["params"]["mode"] == "beam":
            ends = [i for i, s in enumerate(case["sequences"])
                    if s and s[-1] == EOS_ID and len(s) < case["params"]["max_new_tokens"]]
            if ends:
                log(f"  {case['name']}: returned sequences {ends} finish at <|endoftext|> "
                    f"(lengths {[len(s) for s in case['sequences']]})")
    margins = {c["name"]: round(c["min_margin"], 3) for c in golden["generate"] if "min_margin" in c}
    log(f"  greedy min margins: {margins}")

    # --- logits processors -----------------------------------------------------------------------
    if with_processors:
        golden["processors"] = processor_cases(model, hf)
    return golden


def apply_processors(ids: list[int], logits: torch.Tensor, params: dict) -> torch.Tensor:
    """The processors generate() builds for sampling, in its order, only those that are active."""
    procs = LogitsProcessorList()
    if params["repetition_penalty"] is not None and params["repetition_penalty"] != 1.0:
        procs.append(RepetitionPenaltyLogitsProcessor(float(params["repetition_penalty"])))
    if params["no_repeat_ngram_size"] is not None and params["no_repeat_ngram_size"] > 0:
        procs.append(NoRepeatNGramLogitsProcessor(params["no_repeat_ngram_size"]))
    if params["temperature"] is not None and params["temperature"] != 1.0:
        procs.append(TemperatureLogitsWarper(float(params["temperature"])))
    if params["top_k"] is not None and params["top_k"] != 0:
        procs.append(TopKLogitsWarper(top_k=params["top_k"], min_tokens_to_keep=1))
    if params["top_p"] is not None and params["top_p"] < 1.0:
        procs.append(TopPLogitsWarper(top_p=params["top_p"], min_tokens_to_keep=1))
    with expect_no_complaints("logits processors"):
        scores = procs(torch.tensor([ids]), logits.clone().view(1, -1))
    return torch.softmax(scores[0], dim=-1)


def processor_cases(model, hf) -> list[dict]:
    cases = []

    def add(case_name, ids, logits, **kw):
        params = {"temperature": None, "top_k": None, "top_p": None, "repetition_penalty": None,
                  "no_repeat_ngram_size": None}
        params.update(kw)
        probs = apply_processors(ids, logits, params)
        kept = int((probs > 0).sum())
        cases.append({"name": case_name, "input_ids": ids, "logits": floats(logits), "params": params,
                      "probs": floats(probs)})
        return probs, kept

    ids = encode(hf, "ROMEO:\nBut soft, what light through yonder window")
    logits = last_logits(model, ids)
    add("temperature-0.7", ids, logits, temperature=0.7)
    add("temperature-1.3", ids, logits, temperature=1.3)
    add("top-k-1", ids, logits, top_k=1)
    add("top-k-5", ids, logits, top_k=5)
    add("top-k-50", ids, logits, top_k=50)
    add("top-p-0.5", ids, logits, top_p=0.5)
    add("top-p-0.92", ids, logits, top_p=0.92)
    add("top-p-1.0", ids, logits, top_p=1.0)
    add("temperature-0.7-top-p-0.92", ids, logits, temperature=0.7, top_p=0.92)
    add("temperature-0.8-top-k-40-top-p-0.9", ids, logits, temperature=0.8, top_k=40, top_p=0.9)

    # Repetition penalty with a history that repeats ids (prompt included, once per id).
    rep_ids = encode(hf, "KING HENRY VI:\nO God! O God! the king, the king, the king")
    assert len(rep_ids) != len(set(rep_ids))
    rep_logits = last_logits(model, rep_ids)
    add("repetition-penalty-1.5", rep_ids, rep_logits, repetition_penalty=1.5)
    add("repetition-penalty-1.5-temperature-0.7-top-p-0.92", rep_ids, rep_logits,
        repetition_penalty=1.5, temperature=0.7, top_p=0.92)

    # No-repeat-ngram 2: the last token occurred before, so its earlier successors are banned.
    ng_ids = encode(hf, "GLOUCESTER:\nAnd the king is dead, and the")
    ng_logits = last_logits(model, ng_ids)
    probs, kept = add("no-repeat-ngram-2", ng_ids, ng_logits, no_repeat_ngram_size=2)
    banned = [i for i in range(VOCAB_SIZE) if probs[i] == 0]
    assert banned, "no-repeat-ngram case bans nothing"
    raw = torch.softmax(ng_logits, -1)
    log(f"  no-repeat-ngram-2 bans {[hf.decode([b]) for b in banned]} "
        f"(raw probabilities {[round(float(raw[b]), 4) for b in banned]})")

    # Top-k with exact ties at the k-th value: all tied tokens are kept.
    tied = torch.round(logits * 2) / 2
    srt = torch.sort(tied, descending=True).values
    k = next(k for k in range(5, 200) if srt[k - 1] == srt[k] and srt[k - 2] != srt[k - 1])
    _, kept = add(f"top-k-{k}-ties", ids, tied, top_k=k)
    assert kept > k, (k, kept)
    log(f"  top-k ties: k={k} keeps {kept} tokens")
    _, kept = add(f"temperature-0.7-top-k-{k}-ties", ids, tied, temperature=0.7, top_k=k)
    assert kept > k
    log(f"  processors: {len(cases)} cases")
    return cases


# ---------------------------------------------------------------------------
# JSON output: structure indented, lists of numbers on one line
# ---------------------------------------------------------------------------


def to_json(obj, indent=0) -> str:
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(x, (dict, list)) for x in obj):
            return "[" + ", ".join(json.dumps(x, allow_nan=False) for x in obj) + "]"
        if all(isinstance(x, list) and all(not isinstance(y, (dict, list)) for y in x) for x in obj):
            return "[" + ", ".join(to_json(x) for x in obj) + "]"
        return "[\n" + ",\n".join(inner + to_json(x, indent + 1) for x in obj) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False, ensure_ascii=False)


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="../shared/corpus/tinyshakespeare.txt",
                    help="training text (relative paths are relative to the repository root)")
    ap.add_argument("--out", default=str(FIXTURES), help="output folder (default: Tests/Fixtures)")
    args = ap.parse_args()

    t_start = time.time()
    setup_determinism()
    install_catcher()
    corpus = Path(args.corpus)
    if not corpus.is_absolute():
        corpus = REPO_ROOT / corpus
    out = Path(args.out)
    text = corpus.read_text(encoding="utf-8")
    log(f"torch {torch.__version__}, transformers {transformers.__version__}, tokenizers {tokenizers.__version__}")
    log(f"corpus: {len(text)} characters")

    tok = train_tokenizer(text)
    tok_dir = out / "models" / ".tokenizer"
    vocab, merges = write_tokenizer_files(tok, tok_dir)
    hf = load_hf_tokenizer(tok_dir)
    check_tokenizer(tok, hf, vocab, merges, text)
    log(f"tokenizer: {len(hf)} tokens, eos {hf.eos_token!r} = {hf.eos_token_id}")
    stream = training_stream(text, tok)

    (out / "golden").mkdir(parents=True, exist_ok=True)
    summary = {}
    for i, spec in enumerate(MODELS):
        log(f"{spec['name']}: n_layer {spec['n_layer']}, n_head {spec['n_head']}, n_embd {spec['n_embd']}, "
            f"n_positions {spec['n_positions']}, stored {spec['dtype']}")
        setup_determinism()
        model, loss = train_model(spec, stream)
        directory = out / "models" / spec["name"]
        loaded = save_model(model, spec, directory, tok_dir)
        hf_model = load_hf_tokenizer(directory)
        golden = golden_for_model(spec, loaded, hf_model, text, with_processors=(i == 0))
        (out / "golden" / f"{spec['name']}.json").write_text(to_json(golden) + "\n", encoding="utf-8")
        summary[spec["name"]] = loss
    shutil.rmtree(tok_dir)

    log("final training losses: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.items()))
    log(f"done in {time.time() - t_start:.1f}s")


if __name__ == "__main__":
    sys.exit(main())
