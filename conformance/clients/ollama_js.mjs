// Streams one case from `conformance serve` through the official ollama JS client and prints
// what it read as one JSON line: {"content", "reasoning", "tool_calls": [{"name", "arguments"}],
// "done", "done_reason"} (and "error" when the client threw).
// Usage: node ollama_js.mjs BASE_URL CASE (chat|generate)
import { Ollama } from 'ollama';

const [base, name, kind] = process.argv.slice(2);
const client = new Ollama({ host: base, headers: { 'x-conformance-case': name } });
const out = { content: '', reasoning: '', tool_calls: [], done: false };
try {
  const stream = kind === 'generate'
    ? await client.generate({ model: 'm', prompt: 'p', stream: true })
    : await client.chat({ model: 'm', messages: [{ role: 'user', content: 'p' }], stream: true });
  for await (const part of stream) {
    if (kind === 'generate') {
      out.content += part.response ?? '';
      out.reasoning += part.thinking ?? '';
    } else {
      out.content += part.message?.content ?? '';
      out.reasoning += part.message?.thinking ?? '';
      for (const call of part.message?.tool_calls ?? []) {
        out.tool_calls.push({ name: call.function.name, arguments: call.function.arguments });
      }
    }
    if (part.done) {
      out.done = true;
      out.done_reason = part.done_reason ?? null;
    }
  }
} catch (e) {
  out.error = String(e);
}
console.log(JSON.stringify(out));
