#!/usr/bin/env python3
"""Trains the small Shakespeare demo model that ships in weights/demo/.

A GPT-2 (transformers' GPT2LMHeadModel: gelu_new, tied head) with a byte-level BPE vocabulary
of its own, trained on Tiny Shakespeare with the last 10% of the text held out for validation.
Writes a Hugging Face folder (config.json, model.safetensors, vocab.json, merges.txt) to --out
and the training figures to --figures. Convert the folder with `gpt2-tui quantize`.

    python weights/demo/train_demo_model.py --corpus tinyshakespeare.txt --out /tmp/demo-hf \
        --steps 508 --figures weights/demo/training.json

Without --steps, the run is sized to --minutes of wall time: the learning-rate schedule follows
the share of the budget used and training stops when it is spent (the step count is printed and
saved). Seeds are fixed; with --steps the schedule follows the step count and the run is
repeatable.
"""

import argparse
import json
import math
import os
import platform
import random
import time

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GPT2Config, GPT2LMHeadModel

END_OF_TEXT = "<|endoftext|>"


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True, help="Tiny Shakespeare as plain text")
    p.add_argument("--out", required=True, help="folder for the Hugging Face model")
    p.add_argument("--figures", default=None, help="JSON file for the training figures")
    p.add_argument("--vocab-size", type=int, default=4096, help="including <|endoftext|>, the last id")
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=256)
    p.add_argument("--n-positions", type=int, default=256)
    p.add_argument("--block", type=int, default=256, help="tokens per training window")
    p.add_argument("--batch", type=int, default=8, help="windows per step")
    p.add_argument("--steps", type=int, default=None, help="optimizer steps (default: sized to --minutes)")
    p.add_argument("--minutes", type=float, default=25.0, help="wall-time budget when --steps is not given")
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--min-lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--validation-fraction", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1234)
    return p.parse_args()


def split_text(text, fraction):
    """The first (1 - fraction) of the text for training, the rest (from a line start) held out."""
    cut = text.rfind("\n", 0, int(len(text) * (1 - fraction))) + 1
    return text[:cut], text[cut:]


def train_tokenizer(train_text, vocab_size):
    """GPT-2's byte-level BPE (GPT-2 regex, no prefix space) on the training split only, with
    <|endoftext|> appended as the last id as in GPT-2's own vocabulary."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - 1,
        min_frequency=2,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=[],
        show_progress=False,
    )
    tokenizer.train_from_iterator([train_text], trainer=trainer)
    tokenizer.add_special_tokens([END_OF_TEXT])
    vocab = tokenizer.get_vocab(with_added_tokens=True)
    assert vocab[END_OF_TEXT] == vocab_size - 1 and len(vocab) == vocab_size, (len(vocab), vocab[END_OF_TEXT])
    return tokenizer


def save_tokenizer(tokenizer, folder):
    """vocab.json (with <|endoftext|>) and merges.txt in the layout of GPT-2's files."""
    state = json.loads(tokenizer.to_str())
    vocab = dict(state["model"]["vocab"])
    vocab[END_OF_TEXT] = len(vocab)
    merges = state["model"]["merges"]
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for merge in merges:
            f.write((merge if isinstance(merge, str) else " ".join(merge)) + "\n")


def encode(tokenizer, text):
    return torch.tensor(tokenizer.encode(text).ids, dtype=torch.long)


@torch.no_grad()
def evaluate(model, tokens, block, batch):
    """Mean next-token loss over the non-overlapping windows of `tokens`, weighted by token count."""
    model.eval()
    windows = [tokens[i:i + block + 1] for i in range(0, len(tokens) - 1, block)]
    windows = [w for w in windows if len(w) > 1]
    total, count = 0.0, 0
    for i in range(0, len(windows), batch):
        for w in windows[i:i + batch]:
            x, y = w[:-1].unsqueeze(0), w[1:].unsqueeze(0)
            logits = model(input_ids=x).logits
            loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), reduction="sum")
            total += loss.item()
            count += y.numel()
    model.train()
    return total / count


def learning_rate_at(progress, step, args):
    """Linear warmup over the first steps, then cosine decay to min_lr as progress goes 0 → 1."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = max(0.0, progress)
    return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * min(1.0, progress)))


def main():
    args = parse_arguments()
    assert args.n_embd % 32 == 0, "the int8 engine needs n_embd to be a multiple of 32"
    assert args.block <= args.n_positions
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    started = time.time()

    with open(args.corpus, encoding="utf-8") as f:
        text = f.read()
    train_text, validation_text = split_text(text, args.validation_fraction)
    tokenizer = train_tokenizer(train_text, args.vocab_size)
    train_tokens = encode(tokenizer, train_text)
    validation_tokens = encode(tokenizer, validation_text)
    print(f"corpus: {len(text)} characters; train {len(train_tokens)} tokens, validation "
          f"{len(validation_tokens)} tokens ({len(train_text) / len(train_tokens):.2f} characters per token)", flush=True)

    config = GPT2Config(
        vocab_size=args.vocab_size,
        n_positions=args.n_positions,
        n_embd=args.n_embd,
        n_layer=args.n_layer,
        n_head=args.n_head,
        activation_function="gelu_new",
        resid_pdrop=args.dropout,
        embd_pdrop=args.dropout,
        attn_pdrop=args.dropout,
        bos_token_id=args.vocab_size - 1,
        eos_token_id=args.vocab_size - 1,
        tie_word_embeddings=True,
    )
    model = GPT2LMHeadModel(config)
    assert model.lm_head.weight.data_ptr() == model.transformer.wte.weight.data_ptr(), "head is not tied"
    parameters = sum(p.numel() for p in model.parameters())
    print(f"model: {parameters} parameters", flush=True)

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr, betas=(0.9, 0.95), eps=1e-8)

    sampler = torch.Generator().manual_seed(args.seed)
    tokens_per_step = args.batch * args.block
    steps = args.steps
    train_budget = args.minutes * 60 - (time.time() - started) - 90  # leave time for evaluation
    log_every = 50
    recent_losses = []
    model.train()
    train_started = time.time()
    step = 0
    while steps is None or step < steps:
        if steps is None:
            # Budgeted run: the schedule follows the share of the time budget used, so the run
            # ends on time however fast the machine is; it stops once the budget is spent.
            progress = (time.time() - train_started) / train_budget
            if progress >= 1.0:
                break
            lr = learning_rate_at(progress, step, args)
        else:
            lr = learning_rate_at((step - args.warmup) / max(1, steps - args.warmup), step, args)
        for group in optimizer.param_groups:
            group["lr"] = lr
        starts = torch.randint(0, len(train_tokens) - args.block - 1, (args.batch,), generator=sampler)
        x = torch.stack([train_tokens[s:s + args.block] for s in starts])
        y = torch.stack([train_tokens[s + 1:s + args.block + 1] for s in starts])
        logits = model(input_ids=x).logits
        loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        recent_losses = (recent_losses + [loss.item()])[-100:]
        step += 1
        if step % log_every == 0 or step == steps:
            elapsed = time.time() - train_started
            print(f"step {step}/{steps}: loss {loss.item():.3f} (last 100: {sum(recent_losses) / len(recent_losses):.3f}), "
                  f"lr {optimizer.param_groups[0]['lr']:.2e}, {step * tokens_per_step / elapsed:.0f} tokens/s, "
                  f"{elapsed / 60:.1f} min", flush=True)
    train_seconds = time.time() - train_started
    steps = step

    validation_loss = evaluate(model, validation_tokens, args.block, args.batch)
    train_eval_tokens = train_tokens[:len(validation_tokens)] if len(train_tokens) > len(validation_tokens) else train_tokens
    train_loss = evaluate(model, train_eval_tokens, args.block, args.batch)
    print(f"validation loss {validation_loss:.4f} (perplexity {math.exp(validation_loss):.2f}); "
          f"train loss {train_loss:.4f} (perplexity {math.exp(train_loss):.2f})", flush=True)

    os.makedirs(args.out, exist_ok=True)
    model.eval()
    model.save_pretrained(args.out, safe_serialization=True)
    config_path = os.path.join(args.out, "config.json")
    with open(config_path) as f:
        saved = json.load(f)
    saved["n_ctx"] = args.n_positions  # llama.cpp's converter reads n_ctx
    with open(config_path, "w") as f:
        json.dump(saved, f, indent=2)
    save_tokenizer(tokenizer, args.out)

    figures = {
        "corpus": os.path.basename(args.corpus),
        "corpus_characters": len(text),
        "validation_fraction": args.validation_fraction,
        "train_tokens": len(train_tokens),
        "validation_tokens": len(validation_tokens),
        "vocab_size": args.vocab_size,
        "n_layer": args.n_layer,
        "n_head": args.n_head,
        "n_embd": args.n_embd,
        "n_positions": args.n_positions,
        "parameters": parameters,
        "block": args.block,
        "batch": args.batch,
        "steps": steps,
        "tokens_seen": steps * tokens_per_step,
        "epochs": round(steps * tokens_per_step / len(train_tokens), 2),
        "lr": args.lr,
        "min_lr": args.min_lr,
        "warmup": args.warmup,
        "weight_decay": args.weight_decay,
        "dropout": args.dropout,
        "seed": args.seed,
        "threads": args.threads,
        "train_seconds": round(train_seconds),
        "wall_seconds": round(time.time() - started),
        "final_train_loss_last_100_steps": round(sum(recent_losses) / len(recent_losses), 4),
        "train_loss": round(train_loss, 4),
        "validation_loss": round(validation_loss, 4),
        "validation_perplexity": round(math.exp(validation_loss), 2),
        "torch": torch.__version__,
        "python": platform.python_version(),
    }
    print(json.dumps(figures, indent=2))
    if args.figures:
        with open(args.figures, "w") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
