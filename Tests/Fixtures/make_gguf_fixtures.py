#!/usr/bin/env python3
"""GGUF fixtures for gpt2-tui's tests, and interoperability checks of its GGUF writer.

Needs numpy and the `gguf` package (plus torch, transformers and safetensors for --llama-cpp).

  make_gguf_fixtures.py
      writes gguf/q8_0_cases.json: inputs and the bytes `gguf.quants.quantize(…, Q8_0)` makes of
      them (random normal data, zeros, huge and tiny values, exact .5 ties, fp16-subnormal and
      underflowing scales), plus float32 → float16 conversions as numpy rounds them.

  make_gguf_fixtures.py --llama-cpp DIR
      also writes gguf/tiny-a-f32.gguf and gguf/tiny-a-q8_0.gguf with llama.cpp's own
      convert_hf_to_gguf.py (from the llama.cpp source tree DIR) run on models/tiny-a. Two things
      are worked around, both outside llama.cpp's code: its GPT-2 class reads `n_ctx`, which
      transformers 5 no longer writes to config.json (a copy of the folder gets n_ctx =
      n_positions), and it refuses tokenizers whose pre-tokenizer hash it does not know (a tiny
      vocabulary cannot hash like GPT-2's, so the check is pinned to GPT-2's answer, "gpt-2").

  make_gguf_fixtures.py --check-writer PATH/TO/gpt2-tui [--llama-cpp DIR]
      runs `gpt2-tui quantize` on models/tiny-a for each --type, reads each result with
      gguf.GGUFReader and checks every key and tensor (names, shapes, types, values) against the
      safetensors weights; with --llama-cpp also that the files equal the converter's byte for byte.
"""

import argparse
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "gguf"
TINY_A = HERE / "models" / "tiny-a"
SEED = 20240611


def q8_0_cases():
    from gguf import GGMLQuantizationType
    from gguf.quants import quantize

    rng = np.random.default_rng(SEED)
    blocks = []

    def add(name, values):
        values = np.asarray(values, dtype=np.float32).reshape(-1)
        assert values.size % 32 == 0
        blocks.append((name, values))

    add("random normal", rng.standard_normal(32 * 4))
    add("random normal, small", rng.standard_normal(32 * 2) * 0.02)
    add("zeros", np.zeros(32))
    add("negative zeros and one value", [-0.0] * 31 + [0.5])
    add("huge values", [3e38, -3e38] + list(rng.standard_normal(30)))
    add("scale overflows fp16", [65504.0 * 127] + list(rng.standard_normal(31) * 1e6))
    add("tiny float32 subnormals (1/d overflows)", [1e-40] * 16 + [0.0] * 16)
    add("tiny normals", [1e-36, -5e-37] + [1e-37] * 30)
    add("fp16 subnormal scale", rng.standard_normal(32) * 1e-4)
    add("fp16 scale underflows to zero", rng.standard_normal(32) * 1e-7)
    # max |x| = 127 gives d = 1 and id = 1, so x × id is exact and .5 values are real ties.
    add("exact ties", [127.0, -127.0] + [k + 0.5 for k in range(-15, 15)])
    add("ties of a scaled block", [63.5, -63.5, 0.25, -0.25, 0.75, 31.75] + [0.0] * 26)
    add("all equal", [0.1] * 32)
    add("alternating signs", [((-1) ** i) * (i + 1) * 0.37 for i in range(32)])
    add("near rounding of d", [1.0 + i * 2 ** -20 for i in range(32)])
    add("wide range", [10.0 ** (i / 4 - 4) for i in range(32)])

    cases = []
    for name, values in blocks:
        quantized = quantize(values.reshape(1, -1), GGMLQuantizationType.Q8_0)
        cases.append({
            "name": name,
            "input_bits": [int(b) for b in values.view(np.uint32)],
            "q8_0": quantized.tobytes().hex(),
        })

    halves = np.concatenate([
        rng.standard_normal(64).astype(np.float32) * np.float32(10) ** rng.integers(-9, 6, 64),
        np.array([0.0, -0.0, 1.0, 65504.0, 65519.99, 65520.0, 1e9, -1e9, np.inf, -np.inf,
                  2 ** -24, 2 ** -25, 2 ** -25 * 1.0000001, 3 * 2 ** -25, 2 ** -14, 2 ** -14 * (1 - 2 ** -11),
                  1 + 2 ** -11, 1 + 3 * 2 ** -11, 1e-10, 5.960464477539063e-08], dtype=np.float32),
    ]).astype(np.float32)
    f16 = [{"input_bits": int(x), "f16_bits": int(h)}
           for x, h in zip(halves.view(np.uint32), halves.astype(np.float16).view(np.uint16))]
    return {"seed": SEED, "q8_0": cases, "f16": f16}


def run_converter(llama_cpp, model_dir, outtype, outfile):
    """Runs llama.cpp's convert_hf_to_gguf.py in a child process with the two work-arounds."""
    driver = f"""
import runpy, sys
src = {str(llama_cpp)!r}
sys.argv = [src + "/convert_hf_to_gguf.py", {str(model_dir)!r}, "--outtype", {outtype!r}, "--outfile", {str(outfile)!r}]
sys.path.insert(0, src)
sys.path.insert(1, src + "/gguf-py")
import conversion.base as base
base.TextModel.get_vocab_base_pre = lambda self, tokenizer: "gpt-2"
runpy.run_path(src + "/convert_hf_to_gguf.py", run_name="__main__")
"""
    subprocess.run([sys.executable, "-c", driver], check=True, capture_output=True)


def converter_copy_of_tiny_a(workdir):
    """models/tiny-a in a folder of the same name (general.name comes from it), with n_ctx."""
    folder = Path(workdir) / "tiny-a"
    shutil.copytree(TINY_A, folder)
    config = json.loads((folder / "config.json").read_text())
    config["n_ctx"] = config["n_positions"]
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    return folder


def make_converter_fixtures(llama_cpp):
    with tempfile.TemporaryDirectory() as workdir:
        folder = converter_copy_of_tiny_a(workdir)
        for outtype in ("f32", "q8_0"):
            target = OUT / f"tiny-a-{outtype}.gguf"
            run_converter(llama_cpp, folder, outtype, target)
            print(f"wrote {target.relative_to(HERE)} ({target.stat().st_size} bytes)")


def expected_tensors(outtype):
    """What llama.cpp's converter writes for tiny-a: name → (ggml dims, type, float values)."""
    from gguf import GGMLQuantizationType as T
    from safetensors.numpy import load_file

    weights = {k.removeprefix("transformer."): v for k, v in load_file(TINY_A / "model.safetensors").items()}
    matrix_type = {"f32": T.F32, "f16": T.F16, "q8_0": T.Q8_0}[outtype]
    names = {"wte.weight": "token_embd.weight", "wpe.weight": "position_embd.weight",
             "ln_f.weight": "output_norm.weight", "ln_f.bias": "output_norm.bias"}
    parts = {"ln_1": "attn_norm", "attn.c_attn": "attn_qkv", "attn.c_proj": "attn_output",
             "ln_2": "ffn_norm", "mlp.c_fc": "ffn_up", "mlp.c_proj": "ffn_down"}
    expected = {}
    for hf_name in sorted(weights):
        values = weights[hf_name].astype(np.float32)
        if hf_name.startswith("h."):
            _, block, rest = hf_name.split(".", 2)
            part, kind = rest.rsplit(".", 1)
            name = f"blk.{block}.{parts[part]}.{kind}"
            if kind == "weight" and part not in ("ln_1", "ln_2"):
                values = values.T.copy()  # Conv1D (in, out) → (out, in)
        else:
            name = names[hf_name]
        is_matrix = values.ndim == 2 and name != "position_embd.weight"
        expected[name] = (list(reversed(values.shape)), matrix_type if is_matrix else T.F32, values)
    return expected


def check_writer(binary, llama_cpp):
    import gguf
    from gguf import GGMLQuantizationType as T
    from gguf.quants import dequantize, quantize

    failures = []
    with tempfile.TemporaryDirectory() as workdir:
        for outtype in ("f32", "f16", "q8_0"):
            ours = Path(workdir) / f"ours-{outtype}.gguf"
            subprocess.run([binary, "quantize", "--model", str(TINY_A), "--out", str(ours), "--type", outtype],
                           check=True)
            reader = gguf.GGUFReader(ours)
            fields = {name: field.contents() for name, field in reader.fields.items() if not name.startswith("GGUF.")}
            vocab = json.loads((TINY_A / "vocab.json").read_text(encoding="utf-8"))
            tokens = [t for t, _ in sorted(vocab.items(), key=lambda item: item[1])]
            merges = [line for line in (TINY_A / "merges.txt").read_text(encoding="utf-8").split("\n")[1:] if line]
            config = json.loads((TINY_A / "config.json").read_text())
            expected_fields = {
                "general.architecture": "gpt2", "general.type": "model", "general.name": "Tiny A",
                "general.size_label": "174K", "gpt2.block_count": config["n_layer"],
                "gpt2.context_length": config["n_positions"], "gpt2.embedding_length": config["n_embd"],
                "gpt2.feed_forward_length": 4 * config["n_embd"], "gpt2.attention.head_count": config["n_head"],
                "gpt2.attention.layer_norm_epsilon": float(np.float32(config["layer_norm_epsilon"])),
                "general.file_type": {"f32": 0, "f16": 1, "q8_0": 7}[outtype], "general.quantization_version": 2,
                "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": "gpt-2", "tokenizer.ggml.tokens": tokens,
                "tokenizer.ggml.token_type": [3 if t == "<|endoftext|>" else 1 for t in tokens],
                "tokenizer.ggml.merges": merges, "tokenizer.ggml.bos_token_id": config["bos_token_id"],
                "tokenizer.ggml.eos_token_id": config["eos_token_id"],
            }
            if list(fields) != list(expected_fields):
                failures.append(f"{outtype}: keys {list(fields)}")
            for key, value in expected_fields.items():
                if fields.get(key) != value:
                    failures.append(f"{outtype}: {key} = {str(fields.get(key))[:80]}, expected {str(value)[:80]}")

            expected = expected_tensors(outtype)
            if [t.name for t in reader.tensors] != list(expected):
                failures.append(f"{outtype}: tensor order {[t.name for t in reader.tensors]}")
            for tensor in reader.tensors:
                dims, qtype, values = expected[tensor.name]
                if [int(d) for d in tensor.shape] != dims or tensor.tensor_type != qtype:
                    failures.append(f"{outtype}: {tensor.name} is {tensor.tensor_type.name} {list(tensor.shape)}")
                    continue
                want = quantize(values, qtype)
                if tensor.data.tobytes() != want.tobytes():
                    failures.append(f"{outtype}: {tensor.name} data differs")
                back = dequantize(tensor.data, qtype).reshape(values.shape)
                if qtype == T.F32 and not np.array_equal(back, values):
                    failures.append(f"{outtype}: {tensor.name} values differ")
            print(f"{outtype}: {len(fields)} keys and {len(reader.tensors)} tensors read back by gguf.GGUFReader")

            if llama_cpp and outtype in ("f32", "f16", "q8_0"):
                theirs = Path(workdir) / f"theirs-{outtype}.gguf"
                run_converter(llama_cpp, converter_copy_of_tiny_a(Path(workdir) / outtype), outtype, theirs)
                same = ours.read_bytes() == theirs.read_bytes()
                print(f"{outtype}: {'identical to' if same else 'DIFFERENT from'} llama.cpp's converter output")
                if not same:
                    failures.append(f"{outtype}: bytes differ from the converter's")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("all checks passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--llama-cpp", type=Path, help="a llama.cpp source tree (with convert_hf_to_gguf.py)")
    parser.add_argument("--check-writer", metavar="GPT2_TUI", help="check this gpt2-tui binary's quantize output")
    parser.add_argument("--tiny-a", type=Path, help="the tiny-a model folder (default: models/tiny-a here)")
    args = parser.parse_args()
    if args.tiny_a:
        global TINY_A
        TINY_A = args.tiny_a.resolve()

    if args.check_writer:
        check_writer(args.check_writer, args.llama_cpp)
        return
    OUT.mkdir(exist_ok=True)
    with np.errstate(all="ignore"):  # the huge and tiny cases overflow on purpose
        cases = q8_0_cases()
    lines = [f'{{"seed": {cases["seed"]},', ' "q8_0": [']
    lines += ["  " + json.dumps(case) + ("," if i + 1 < len(cases["q8_0"]) else "") for i, case in enumerate(cases["q8_0"])]
    lines += [" ],", ' "f16": [']
    lines += ["  " + json.dumps(case) + ("," if i + 1 < len(cases["f16"]) else "") for i, case in enumerate(cases["f16"])]
    lines += [" ]", "}"]
    (OUT / "q8_0_cases.json").write_text("\n".join(lines) + "\n")
    print(f"wrote gguf/q8_0_cases.json ({len(cases['q8_0'])} Q8_0 cases, {len(cases['f16'])} F16 cases)")
    if args.llama_cpp:
        make_converter_fixtures(args.llama_cpp)


if __name__ == "__main__":
    main()
