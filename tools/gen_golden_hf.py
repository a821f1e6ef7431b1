#!/usr/bin/env python3
"""Small Hugging Face checkpoints and their outputs, for test/hf.test.ts.

    /work/.venv-torch/bin/python tools/gen_golden_hf.py

builds a GPT-2 (GPT2LMHeadModel) and a BERT (BertModel) from small random-initialised configs
(no weights can be downloaded here), saves each with save_pretrained (config.json +
model.safetensors) into test/fixtures/hf_gpt2 and test/fixtures/hf_bert, and writes
test/golden/hf.json: the inputs, GPT-2's logits, and BERT's last_hidden_state and
pooler_output, as transformers computes them in float32 (eval mode). The typetorch models in
examples/hf_gpt2.ts and examples/hf_bert.ts load the same directories and must agree.
"""
import json
import os
import sys

import torch
import transformers
from transformers import BertConfig, BertModel, GPT2Config, GPT2LMHeadModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "test", "fixtures")
GOLDEN = os.path.join(ROOT, "test", "golden", "hf.json")


def perturb(model):
    """Random-initialised LayerNorms are exactly 1 and 0, and 0.02-std weights make attention almost
    uniform: move every parameter, so that each one, and the exact activation and epsilon, shows
    in the outputs."""
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.3)
    return model


def main():
    torch.manual_seed(0)
    out = {"transformers": transformers.__version__, "torch": torch.__version__}

    gpt2 = GPT2LMHeadModel(GPT2Config(vocab_size=96, n_positions=16, n_embd=32, n_layer=2, n_head=4))
    gpt2 = perturb(gpt2).eval()
    gpt2.save_pretrained(os.path.join(FIXTURES, "hf_gpt2"), safe_serialization=True)
    ids = torch.tensor([[5, 17, 3, 95, 0, 42, 8], [1, 2, 3, 4, 5, 6, 7]])
    with torch.no_grad():
        logits = gpt2(input_ids=ids).logits
    out["gpt2"] = {"input_ids": ids.tolist(), "logits": enc_tensor(logits)}

    bert = BertModel(BertConfig(vocab_size=96, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                intermediate_size=64, max_position_embeddings=16, type_vocab_size=2))
    bert = perturb(bert).eval()
    bert.save_pretrained(os.path.join(FIXTURES, "hf_bert"), safe_serialization=True)
    ids = torch.tensor([[2, 40, 41, 7, 3, 0, 0], [2, 9, 10, 11, 12, 13, 3]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1]])
    types = torch.tensor([[0, 0, 0, 1, 1, 0, 0], [0, 0, 0, 0, 1, 1, 1]])
    with torch.no_grad():
        o = bert(input_ids=ids, attention_mask=mask, token_type_ids=types)
    out["bert"] = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "token_type_ids": types.tolist(),
                   "last_hidden_state": enc_tensor(o.last_hidden_state), "pooler_output": enc_tensor(o.pooler_output)}

    with open(GOLDEN, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"wrote {GOLDEN} and the checkpoints in {FIXTURES}/hf_gpt2, hf_bert")


if __name__ == "__main__":
    main()
