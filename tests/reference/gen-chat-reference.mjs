// Generates the chat-template conformance data: every template of tests/chat/templates rendered by
// @huggingface/jinja (the renderer transformers.js uses) for every conversation of
// tests/chat/data/conversations.json, with and without the generation prompt, plus per-family
// variants (Qwen3 without thinking, tools for the families whose templates take them, Llama 3.2
// with and without a date_string — without one it calls strftime_now, rendered here at a fixed time).
//
//   scripts/install-reference.sh && node tests/reference/gen-chat-reference.mjs
//
// Writes tests/chat/data/expected.json; commit it. A template that refuses a conversation
// (raise_exception, e.g. Mistral's role alternation) is recorded as {"error": …}: Lucent must refuse too.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "@huggingface/jinja";

const here = dirname(fileURLToPath(import.meta.url));
const chatDir = join(here, "..", "chat");
const { conversations, tools } = JSON.parse(readFileSync(join(chatDir, "data", "conversations.json"), "utf8"));

// The fixed "now" strftime_now sees: 2026-11-22 10:30 local time (the C++ test passes the same).
const FixedNow = 1;
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(2026, 10, 22, 10, 30, 0);
    else super(...args);
  }
}

const R1 = { bos_token: "<｜begin▁of▁sentence｜>", eos_token: "<｜end▁of▁sentence｜>" };
const families = {
  "deepseek-r1-distill-qwen": { tokens: R1, variants: [{}] },
  "deepseek-r1-distill-qwen-think": { tokens: R1, variants: [{}] },
  "deepseek-v3": { tokens: R1, variants: [{}] },
  "qwen2.5-instruct": { tokens: { bos_token: "", eos_token: "<|im_end|>" }, variants: [{}, { tools }] },
  "qwen3": { tokens: { bos_token: "", eos_token: "<|im_end|>" }, variants: [{}, { enable_thinking: false }, { tools }] },
  "llama-3-instruct": { tokens: { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" }, variants: [{}] },
  "llama-3.2-instruct": {
    tokens: { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" },
    variants: [{ date_string: "26 Jul 2024" }, { fixed_now: FixedNow }, { date_string: "26 Jul 2024", tools }],
  },
  "mistral-nemo-instruct-2407": { tokens: { bos_token: "<s>", eos_token: "</s>" }, variants: [{}] },
};

const templates = readdirSync(join(chatDir, "templates")).filter((f) => f.endsWith(".jinja")).sort();
const cases = [];
for (const file of templates) {
  const name = file.replace(/\.jinja$/, "");
  const family = families[name];
  if (!family) throw new Error(`no tokens/variants for template ${name}`);
  const template = new Template(readFileSync(join(chatDir, "templates", file), "utf8"));
  for (const variant of family.variants) {
    for (const conversation of conversations) {
      for (const addGenerationPrompt of [true, false]) {
        const { fixed_now, ...extra } = variant;
        const variables = { messages: conversation.messages, ...family.tokens, add_generation_prompt: addGenerationPrompt, ...extra };
        const entry = { template: name, conversation: conversation.name, add_generation_prompt: addGenerationPrompt,
                        ...family.tokens, extra, fixed_now: Boolean(fixed_now) };
        globalThis.Date = fixed_now ? FixedDate : RealDate;
        try {
          entry.text = template.render(JSON.parse(JSON.stringify(variables)));
        } catch (e) {
          entry.error = String(e.message ?? e);
        } finally {
          globalThis.Date = RealDate;
        }
        cases.push(entry);
      }
    }
  }
}
writeFileSync(join(chatDir, "data", "expected.json"), JSON.stringify({ generator: "@huggingface/jinja 0.5.11", cases }, null, 1) + "\n");
const errors = cases.filter((c) => c.error).length;
console.log(`${cases.length} renders (${errors} refused by the template) → tests/chat/data/expected.json`);
