#!/usr/bin/env python3
"""gpt2-tui bench and llama.cpp side by side, on the same GGUF file, in one run.

    python bench/compare_llama_cpp.py --gguf MODEL.gguf [--threads 2] [--prompt-tokens 128]
        [--new-tokens 128] [--sequences 1 3] [--rounds 3] [--binary .build/release/gpt2-tui]

llama.cpp is driven through the `llama-cpp-python` package and timed by wall clock around its
`eval` calls after one warm-up pass (so its decode figure includes a small Python overhead per
token, reading the logits). Prints a Markdown table; timings on a shared VM swing by ±25%, so
the rounds alternate the two engines and the best of each is kept.
"""

import argparse
import json
import random
import resource
import subprocess
import time

import llama_cpp
import numpy as np


def bench_ours(binary, gguf, threads, prompt_tokens, new_tokens, sequences):
    out = subprocess.run(
        [binary, "bench", "--model", gguf, "--threads", str(threads), "--prompt-tokens", str(prompt_tokens),
         "--new-tokens", str(new_tokens), "--sequences", str(sequences), "--format", "json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def bench_llama_cpp(gguf, threads, prompt_tokens, new_tokens):
    """Peak RSS is the whole Python process's (interpreter and numpy included)."""
    start = time.perf_counter()
    llm = llama_cpp.Llama(model_path=gguf, n_threads=threads, n_threads_batch=threads,
                          n_ctx=prompt_tokens + new_tokens + 16, n_batch=512, n_ubatch=512, verbose=False)
    rng = random.Random(2024)
    tokens = [rng.randrange(llm.n_vocab()) for _ in range(prompt_tokens)]
    llm.eval(tokens)
    first = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    ttft_ms = (time.perf_counter() - start) * 1000
    prefill = 0.0
    for _ in range(3):
        llm.reset()
        t = time.perf_counter()
        llm.eval(tokens)
        prefill = max(prefill, prompt_tokens / (time.perf_counter() - t))
    token = first
    t = time.perf_counter()
    for _ in range(new_tokens):
        llm.eval([token])
        token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    decode = new_tokens / (time.perf_counter() - t)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del llm
    return {"prefill_tokens_per_s": prefill, "decode_tokens_per_s": decode,
            "time_to_first_token_ms": ttft_ms, "peak_rss_mb": rss}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", required=True)
    parser.add_argument("--binary", default=".build/release/gpt2-tui")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--sequences", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    best = {}
    def keep(name, result):
        old = best.get(name)
        if old is None:
            best[name] = dict(result)
            return
        for key in ("prefill_tokens_per_s", "decode_tokens_per_s"):
            old[key] = max(old[key], result[key])
        old["time_to_first_token_ms"] = min(old["time_to_first_token_ms"], result["time_to_first_token_ms"])

    for _ in range(args.rounds):
        keep("llama.cpp (llama-cpp-python), 1 sequence",
             bench_llama_cpp(args.gguf, args.threads, args.prompt_tokens, args.new_tokens))
        for n in args.sequences:
            keep(f"gpt2-tui, {n} sequence{'s' if n > 1 else ''}",
                 bench_ours(args.binary, args.gguf, args.threads, args.prompt_tokens, args.new_tokens, n))

    print(f"{args.gguf}, {args.threads} threads, {args.prompt_tokens}-token prompt, {args.new_tokens} new tokens, "
          f"best of {args.rounds} rounds\n")
    print("| engine | prefill tok/s | decode tok/s | time to first token ms | peak RSS MB |")
    print("|---|---|---|---|---|")
    for name, r in best.items():
        print(f"| {name} | {r['prefill_tokens_per_s']:.0f} | {r['decode_tokens_per_s']:.1f} | "
              f"{r['time_to_first_token_ms']:.0f} | {r['peak_rss_mb']:.0f} |")
    print()
    print(json.dumps(best, indent=1))


if __name__ == "__main__":
    main()
