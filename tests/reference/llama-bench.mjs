// llama.cpp's speed on a GGUF through node-llama-cpp (CPU build), measured like `lucent-cli bench`:
// pp = one batch of P tokens from an empty context, tg = N tokens evaluated one at a time from an
// empty context, medians over R runs after one warm-up run. Prints one JSON object.
//
//   node tests/reference/llama-bench.mjs MODEL [-p 512] [-n 128] [-r 3] [--threads T]
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const modelPath = args[0];
const p = option("-p", 512), n = option("-n", 128), r = option("-r", 3);
const threads = option("--threads", 0);

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
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
const result = { backend: "llama.cpp cpu (node-llama-cpp 3.22.1)" };
if (pp.length) result.pp = { tokens: p, tps: median(pp) };
if (tg.length) result.tg = { tokens: n, tps: median(tg) };
console.log(JSON.stringify(result));
await context.dispose();
await model.dispose();
