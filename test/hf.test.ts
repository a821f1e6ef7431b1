// Hugging Face checkpoints: a GPT-2 and a BERT saved by transformers' save_pretrained
// (test/fixtures/hf_gpt2, hf_bert: small random configs, made by tools/gen_golden_hf.py) load
// into the models of examples/hf_gpt2.ts and examples/hf_bert.ts and give transformers' outputs
// for the same inputs (test/golden/hf.json) within float32 tolerance.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { mkdtempSync, copyFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import torch from "typetorch";
import { readGolden, assertClose, type GoldenTensor } from "./helpers.js";
import { GPT2LMHeadModel } from "../examples/hf_gpt2.js";
import { BertModel } from "../examples/hf_bert.js";

interface Golden {
  gpt2: { input_ids: number[][]; logits: GoldenTensor };
  bert: { input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][]; last_hidden_state: GoldenTensor; pooler_output: GoldenTensor };
}
const G = readGolden<Golden>("hf.json");
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const ids = (rows: number[][]) => torch.tensor(rows, { dtype: torch.int64 });
// float32 rounding gives ~3e-6 here; the exact (erf) GELU in place of gelu_new is off by 1e-3
const TOL = { rtol: 1e-5, atol: 1e-5 };

test("GPT2LMHeadModel.from_pretrained: transformers' logits", () => {
  const model = GPT2LMHeadModel.from_pretrained(fixture("hf_gpt2"));
  assert.equal(model.lm_head.weight, model.transformer.wte.weight, "tied embeddings");
  assert.ok(!model.training);
  const logits = torch.no_grad(() => model.forward(ids(G.gpt2.input_ids)));
  assertClose(logits, G.gpt2.logits, "logits", TOL);
});

test("BertModel.from_pretrained: transformers' hidden states and pooled output", () => {
  const model = BertModel.from_pretrained(fixture("hf_bert"));
  const out = torch.no_grad(() => model.forward(ids(G.bert.input_ids), {
    attention_mask: ids(G.bert.attention_mask), token_type_ids: ids(G.bert.token_type_ids),
  }));
  assertClose(out.last_hidden_state, G.bert.last_hidden_state, "last_hidden_state", TOL);
  assertClose(out.pooler_output, G.bert.pooler_output, "pooler_output", TOL);
});

test("from_pretrained reads a sharded checkpoint (model.safetensors.index.json)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tt-hf-"));
  try {
    copyFileSync(join(fixture("hf_gpt2"), "config.json"), join(dir, "config.json"));
    torch.safetensors.save_torch_state_dict(torch.safetensors.load_file(join(fixture("hf_gpt2"), "model.safetensors")), dir, { max_shard_size: 40_000 });
    assert.ok(readdirSync(dir).includes("model.safetensors.index.json") && readdirSync(dir).length > 3);
    const logits = torch.no_grad(() => GPT2LMHeadModel.from_pretrained(dir).forward(ids(G.gpt2.input_ids)));
    assertClose(logits, G.gpt2.logits, "logits", TOL);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("from_pretrained: checkpoints with and without the base model's prefix, old names and extra keys", () => {
  const dir = mkdtempSync(join(tmpdir(), "tt-hf-"));
  try {
    // GPT-2 as the hub stores it (GPT2Model's keys, no "transformer."; the old attn.bias buffers)
    const gpt2 = torch.safetensors.load_file(join(fixture("hf_gpt2"), "model.safetensors"));
    const base = Object.fromEntries(Object.entries(gpt2).map(([k, t]) => [k.replace(/^transformer\./, ""), t]));
    base["h.0.attn.bias"] = torch.ones(1, 1, 16, 16);
    copyFileSync(join(fixture("hf_gpt2"), "config.json"), join(dir, "config.json"));
    torch.safetensors.save_file(base, join(dir, "model.safetensors"));
    assertClose(torch.no_grad(() => GPT2LMHeadModel.from_pretrained(dir).forward(ids(G.gpt2.input_ids))), G.gpt2.logits, "gpt2 logits", TOL);
    // BERT as BertForPreTraining stores it: "bert." prefix, LayerNorm gamma/beta, cls.* heads
    const bert = torch.safetensors.load_file(join(fixture("hf_bert"), "model.safetensors"));
    const pre = Object.fromEntries(Object.entries(bert).map(([k, t]) => [`bert.${k.replace(/LayerNorm\.weight$/, "LayerNorm.gamma").replace(/LayerNorm\.bias$/, "LayerNorm.beta")}`, t]));
    pre["cls.predictions.bias"] = torch.zeros(96);
    pre["bert.embeddings.position_ids"] = torch.arange(16, { dtype: torch.int64 }).unsqueeze(0);
    copyFileSync(join(fixture("hf_bert"), "config.json"), join(dir, "config.json"));
    torch.safetensors.save_file(pre, join(dir, "model.safetensors"));
    const out = torch.no_grad(() => BertModel.from_pretrained(dir).forward(ids(G.bert.input_ids), {
      attention_mask: ids(G.bert.attention_mask), token_type_ids: ids(G.bert.token_type_ids),
    }));
    assertClose(out.pooler_output, G.bert.pooler_output, "bert pooler_output", TOL);
    // a checkpoint that lacks a weight is refused, naming it
    delete pre["bert.pooler.dense.weight"];
    torch.safetensors.save_file(pre, join(dir, "model.safetensors"));
    assert.throws(() => BertModel.from_pretrained(dir), /the checkpoint lacks pooler\.dense\.weight/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
