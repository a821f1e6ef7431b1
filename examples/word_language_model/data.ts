// pytorch/examples word_language_model/data.py: a dictionary of the corpus's words and its three
// files as tensors of word ids, translated by the rules of shared/API.md.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import torch, { type Tensor } from "typetorch";

export class Dictionary {
  word2idx = new Map<string, number>();
  idx2word: string[] = [];

  add_word(word: string): number {
    if (!this.word2idx.has(word)) {
      this.idx2word.push(word);
      this.word2idx.set(word, this.idx2word.length - 1);
    }
    return this.word2idx.get(word)!;
  }

  get length(): number {
    return this.idx2word.length;
  }
}

// Python's `for line in f`: the lines with their newlines, the last one without if it has none
const lines = (text: string): string[] => text.split(/(?<=\n)/).filter((l) => l !== "");
// Python's str.split(): split on runs of whitespace, no empty words
const split = (line: string): string[] => line.split(/\s+/).filter((w) => w !== "");

export class Corpus {
  dictionary = new Dictionary();
  train: Tensor;
  valid: Tensor;
  test: Tensor;

  constructor(path: string) {
    this.train = this.tokenize(join(path, "train.txt"));
    this.valid = this.tokenize(join(path, "valid.txt"));
    this.test = this.tokenize(join(path, "test.txt"));
  }

  /** Tokenizes a text file. */
  tokenize(path: string): Tensor {
    if (!existsSync(path)) throw new Error("AssertionError");
    // Add words to the dictionary
    const text = readFileSync(path, "utf8");
    for (const line of lines(text)) {
      const words = [...split(line), "<eos>"];
      for (const word of words) this.dictionary.add_word(word);
    }

    // Tokenize file content
    const idss: Tensor[] = [];
    for (const line of lines(text)) {
      const words = [...split(line), "<eos>"];
      const ids: number[] = [];
      for (const word of words) ids.push(this.dictionary.word2idx.get(word)!);
      idss.push(torch.tensor(ids).type(torch.int64));
    }
    const ids = torch.cat(idss);

    return ids;
  }
}
