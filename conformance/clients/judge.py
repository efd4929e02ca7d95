"""Real clients as judges of `conformance serve`.

For every streamed case of the corpus that ends cleanly, the official clients (openai and ollama
for Python, ollama for JavaScript) stream it from `conformance serve` and must read the same
content, reasoning and tool calls that `conformance replay` reports for the same bytes.

Usage: python judge.py CONFORMANCE_BIN BASE_URL FIXTURES_DIR CLIENTS_DIR [CASE]
(with CASE = <wire>/<case-id>, only that case is judged)
Prints one line per case and client, and a closing `N passed, N failed` line; exits 1 on any
failure. Known client bugs are listed in KNOWN with their reason (a listed check that passes
fails the run, so the list stays honest).
"""

import json
import os
import subprocess
import sys
import tomllib

import ollama
import openai

BIN, BASE, FIXTURES, CLIENTS = sys.argv[1:5]
ONLY = sys.argv[5] if len(sys.argv) > 5 else None

# (client, case) -> reason: what the official clients are known to misread.
KNOWN = {
    ("ollama-python", "ollama/chat-stream-blank-lines"):
        "ollama-python 0.6.3 json-decodes every line, blank ones included (Ollama itself never "
        "sends blank lines; the case checks that our decoder tolerates them)",
    ("ollama-js", "ollama/chat-stream-tool-args-order-bigint-escapes"):
        "ollama-js parses with JSON.parse, so the argument 9007199254740993 (above 2^53) becomes "
        "9007199254740992; ollama-wire keeps the argument text exact",
}


def cases():
    for wire in ("ollama", "openai"):
        root = os.path.join(FIXTURES, wire)
        for case_id in sorted(os.listdir(root)):
            case_dir = os.path.join(root, case_id)
            with open(os.path.join(case_dir, "case.toml"), "rb") as f:
                meta = tomllib.load(f)
            yield wire, case_id, case_dir, meta


def expected(wire, case_dir, meta):
    args = [BIN, "replay", "--wire", wire, "--status", str(meta["status"])]
    if meta.get("content_type"):
        args += ["--content-type", meta["content_type"]]
    out = subprocess.run(args + [os.path.join(case_dir, "response.body")],
                         check=True, capture_output=True)
    return json.loads(out.stdout)


def comparable(reduced):
    """What every client can report: text, reasoning, and each call's name and arguments."""
    return {
        "content": reduced["content"],
        "reasoning": reduced["reasoning"],
        "tool_calls": [{"name": c["name"], "arguments": c["arguments"]}
                       for c in reduced["tool_calls"]],
    }


def ollama_py(name, kind):
    client = ollama.Client(host=BASE, headers={"x-conformance-case": name})
    out = {"content": "", "reasoning": "", "tool_calls": []}
    if kind == "generate":
        for part in client.generate(model="m", prompt="p", stream=True):
            out["content"] += part.response or ""
            out["reasoning"] += part.thinking or ""
        return out
    for part in client.chat(model="m", messages=[{"role": "user", "content": "p"}], stream=True):
        out["content"] += part.message.content or ""
        out["reasoning"] += part.message.thinking or ""
        for call in part.message.tool_calls or []:
            out["tool_calls"].append({"name": call.function.name,
                                      "arguments": dict(call.function.arguments)})
    return out


def ollama_js(name, kind):
    script = os.path.join(CLIENTS, "ollama_js.mjs")
    run = subprocess.run(["node", script, BASE, name, kind], check=True, capture_output=True,
                         cwd=CLIENTS, env={**os.environ, "NODE_PATH": os.path.join(CLIENTS, "node_modules")})
    out = json.loads(run.stdout)
    if "error" in out:
        raise RuntimeError(out["error"])
    return out


def openai_py(name, _kind):
    client = openai.OpenAI(base_url=BASE + "/v1", api_key="conformance", max_retries=0)
    stream = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "p"}], stream=True,
        extra_headers={"x-conformance-case": name})
    out = {"content": "", "reasoning": ""}
    calls = {}
    for chunk in stream:
        for choice in chunk.choices:
            if choice.index != 0:
                continue
            delta = choice.delta
            out["content"] += delta.content or ""
            extra = delta.model_extra or {}
            out["reasoning"] += (extra.get("reasoning") or extra.get("reasoning_content")
                                 or extra.get("reasoning_text") or "")
            for t in delta.tool_calls or []:
                call = calls.setdefault(t.index, {"name": "", "arguments": ""})
                if t.function and t.function.name and call["name"] != t.function.name:
                    call["name"] += t.function.name
                if t.function and t.function.arguments:
                    call["arguments"] += t.function.arguments
    out["tool_calls"] = [{"name": c["name"], "arguments": json.loads(c["arguments"] or "{}")}
                         for _, c in sorted(calls.items())]
    return out


def main():
    passed = failed = 0
    for wire, case_id, case_dir, meta in cases():
        streamed = meta["expect"]["outcome"] == "done" and meta["status"] == 200
        if not streamed:
            continue
        endpoint = meta["endpoint"]
        name = f"{wire}/{case_id}"
        if ONLY is not None and name != ONLY:
            continue
        if wire == "ollama" and endpoint in ("/api/chat", "/api/generate"):
            kind = "generate" if endpoint == "/api/generate" else "chat"
            judges = [("ollama-python", ollama_py), ("ollama-js", ollama_js)]
        elif wire == "openai" and endpoint == "/v1/chat/completions":
            kind = "chat"
            judges = [("openai-python", openai_py)]
        else:
            continue
        want = comparable(expected(wire, case_dir, meta))
        for client, judge in judges:
            try:
                got = judge(name, kind)
                ok, detail = got == want, f"client read {json.dumps(got)[:300]}, replay says {json.dumps(want)[:300]}"
            except Exception as e:  # the client failed to read a clean stream
                ok, detail = False, f"client raised {type(e).__name__}: {e}"
            reason = KNOWN.get((client, name))
            if ok and reason is None:
                passed += 1
                print(f"pass  {client:14} {name}")
            elif not ok and reason is not None:
                passed += 1
                print(f"xfail {client:14} {name}  ({reason})")
            elif ok:
                failed += 1
                print(f"FAIL  {client:14} {name}  passed but is listed as known: {reason}")
            else:
                failed += 1
                print(f"FAIL  {client:14} {name}  {detail}")
    print(f"clients: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


main()
