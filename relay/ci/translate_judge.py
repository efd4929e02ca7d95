"""The anthropic SDK and openai's Responses API read a short real completion through
`ollama-relay --upstream-wire openai` in front of llama.cpp's llama-server (translate mode).

Usage: translate_judge.py RELAY_BASE_URL MODEL
Each reply, streamed and not, must be well-formed for the SDK, non-empty, end with the stop
reason the token limit gives, and the stream must say what the SDK's final object says.
"""

import sys

import anthropic
import openai

base, model = sys.argv[1], sys.argv[2]
prompt = "Say hello."
failures = []


def check(what, ok, detail):
    print(("ok   " if ok else "FAIL ") + what + ": " + detail)
    if not ok:
        failures.append(what)


a = anthropic.Anthropic(base_url=base, api_key="unused", max_retries=0)
m = a.messages.create(model=model, max_tokens=16, messages=[{"role": "user", "content": prompt}])
text = "".join(b.text for b in m.content if b.type == "text")
check("anthropic messages.create", bool(text) and m.stop_reason in ("end_turn", "max_tokens")
      and m.model == model, f"{m.stop_reason} {text!r}")

deltas = ""
with a.messages.stream(model=model, max_tokens=16, messages=[{"role": "user", "content": prompt}]) as s:
    for event in s:
        if event.type == "content_block_delta" and event.delta.type == "text_delta":
            deltas += event.delta.text
    final = s.get_final_message()
final_text = "".join(b.text for b in final.content if b.type == "text")
check("anthropic messages.stream", bool(deltas) and deltas == final_text
      and final.stop_reason in ("end_turn", "max_tokens"), f"{final.stop_reason} {deltas!r}")

o = openai.OpenAI(base_url=base + "/v1", api_key="unused", max_retries=0)
r = o.responses.create(model=model, input=prompt, max_output_tokens=16)
check("openai responses.create", bool(r.output_text) and r.status in ("completed", "incomplete")
      and r.model == model, f"{r.status} {r.output_text!r}")

deltas, terminal = "", None
for event in o.responses.create(model=model, input=prompt, max_output_tokens=16, stream=True):
    if event.type == "response.output_text.delta":
        deltas += event.delta
    if event.type in ("response.completed", "response.incomplete"):
        terminal = event.response
check("openai responses stream", terminal is not None and bool(deltas)
      and terminal.output_text == deltas, f"{terminal and terminal.status} {deltas!r}")

sys.exit(1 if failures else 0)
