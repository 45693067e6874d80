#!/usr/bin/env python3
"""Make a GPT-2 124M-shaped model with random weights for benchmarks (never committed).

    python bench/make_bench_model.py --out /tmp/gpt2-bench [--size 124m|355m]

Writes a Hugging Face folder (config.json, model.safetensors, vocab.json, merges.txt) with the
real GPT-2 vocabulary from ../shared/gpt2-vocab/. Convert it with
`gpt2-tui quantize --model OUT --out OUT/model-q8_0.gguf` before benchmarking.
"""

import argparse
import json
import shutil
from pathlib import Path

import torch
from transformers import GPT2Config, GPT2LMHeadModel

SIZES = {
    "124m": dict(n_layer=12, n_head=12, n_embd=768),
    "355m": dict(n_layer=24, n_head=16, n_embd=1024),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--size", choices=SIZES, default="124m")
    parser.add_argument("--vocab", default=str(Path(__file__).resolve().parents[2] / "shared" / "gpt2-vocab"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=50257, n_positions=1024, **SIZES[args.size])
    model = GPT2LMHeadModel(config).eval()
    model.save_pretrained(out)
    # The hub's GPT-2 configs carry n_ctx, which llama.cpp's converter reads; transformers 5
    # no longer writes it.
    config_path = out / "config.json"
    saved = json.loads(config_path.read_text())
    saved["n_ctx"] = saved["n_positions"]
    config_path.write_text(json.dumps(saved, indent=2))
    for name in ("vocab.json", "merges.txt"):
        shutil.copy(Path(args.vocab) / name, out / name)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
