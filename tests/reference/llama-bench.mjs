// llama.cpp's speed on a GGUF through node-llama-cpp, measured like `lucent-cli bench`:
// pp = one batch of P tokens from an empty context, tg = N tokens evaluated one at a time from an
// empty context, medians over R runs after one warm-up run. Prints one JSON object with the backend
// and the device llama.cpp ran on (and, on a GPU, how many layers it offloaded).
//
//   node tests/reference/llama-bench.mjs MODEL [-p 512] [-n 128] [-r 3] [--threads T] [--gpu vulkan [--device I]]
//
// The CPU build is the default. `--gpu vulkan` takes node-llama-cpp's prebuilt Vulkan build with
// every layer offloaded. llama.cpp ignores CPU Vulkan devices (lavapipe) unless
// GGML_VK_VISIBLE_DEVICES names them; `--device I` sets it to I (the index in the Vulkan loader's
// order, as `lucent-cli devices` lists them), and without it the script sets it to 0 when unset.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const modelPath = args[0];
const p = option("-p", 512), n = option("-n", 128), r = option("-r", 3);
const threads = option("--threads", 0);
const gpu = args.includes("--gpu") ? args[args.indexOf("--gpu") + 1] : false;
if (gpu && gpu !== "vulkan") throw new Error("--gpu takes only vulkan");
if (gpu && args.includes("--device")) process.env.GGML_VK_VISIBLE_DEVICES = String(option("--device", 0));
if (gpu) process.env.GGML_VK_VISIBLE_DEVICES ??= "0";
const version = JSON.parse(readFileSync(new URL("node_modules/node-llama-cpp/package.json", import.meta.url), "utf8")).version;

const llama = await getLlama({ gpu, build: "never", logLevel: LlamaLogLevel.error });
if (llama.gpu !== gpu) throw new Error(`node-llama-cpp loaded its ${llama.gpu || "cpu"} build, not ${gpu || "cpu"}`);
const devices = gpu ? await llama.getGpuDeviceNames() : [];
if (gpu && devices.length === 0) throw new Error("llama.cpp's Vulkan build sees no device (GGML_VK_VISIBLE_DEVICES=" + process.env.GGML_VK_VISIBLE_DEVICES + ")");
const model = await llama.loadModel({ modelPath, ...(gpu ? { gpuLayers: "max" } : {}) });
const context = await model.createContext({ contextSize: Math.max(p, n) + 16, batchSize: Math.max(p, 1), threads, flashAttention: false });
const sequence = context.getSequence();
const vocab = model.tokens.length ?? 32000;
const prompt = Array.from({ length: p }, (_, i) => (i * 7919 + 1) % vocab);
const greedy = { generateNext: { token: true, options: { temperature: 0 } } };
const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const pp = [], tg = [];
for (let rep = 0; rep <= r; ++rep) { // rep 0 warms up and is not counted
  if (p > 0) {
    await sequence.clearHistory();
    const start = performance.now();
    await sequence.controlledEvaluate(prompt.map((t, i) => (i === p - 1 ? [t, greedy] : t)));
    if (rep > 0) pp.push(p / ((performance.now() - start) / 1000));
  }
  if (n > 0) {
    await sequence.clearHistory();
    let token = 1;
    const start = performance.now();
    for (let i = 0; i < n; ++i) {
      const [step] = await sequence.controlledEvaluate([[token, greedy]]);
      token = step.next.token;
    }
    if (rep > 0) tg.push(n / ((performance.now() - start) / 1000));
  }
}
const result = { backend: `llama.cpp ${gpu || "cpu"} (node-llama-cpp ${version})`, device: gpu ? devices.join(", ") : "cpu" };
if (gpu) result.gpuLayers = model.gpuLayers;
if (pp.length) result.pp = { tokens: p, tps: median(pp) };
if (tg.length) result.tg = { tokens: n, tps: median(tg) };
console.log(JSON.stringify(result));
await context.dispose();
await model.dispose();
