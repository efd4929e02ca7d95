"""Real clients as judges of `conformance serve`.

For every streamed case of the corpus that ends cleanly, the official clients (openai and ollama
for Python, ollama for JavaScript) stream it from `conformance serve` and must read the same
content, reasoning, tool calls and finish reason that `conformance replay` reports for the same
bytes (the finish reason normalized as stream-merge's `FinishReason::from_raw` does; a stream
the client read without a final chunk is `incomplete`).

With JUDGE_VIA=relay, BASE_URL is `ollama-relay` in front of `conformance serve`, and the same
checks run on what the relay hands the clients: every clean stream must still reduce to what
`conformance replay` says of the original bytes. Two more kinds of case are judged there: a
stream that is cut (`truncated`) or carries the server's error (`upstream-error`, status 200)
must make the client raise, because the relay ends it with the wire's in-stream error (an
`{"error":…}` line, an `{"error":{…}}` event then `data: [DONE]`); what the client read before
the error must be what replay reads of the original bytes. Against plain `conformance serve`
those cases are not judged: a cut stream just ends, which the clients do not report.

Usage: python judge.py CONFORMANCE_BIN BASE_URL FIXTURES_DIR CLIENTS_DIR [CASE]
(with CASE = <wire>/<case-id>, only that case is judged)
Prints one line per case and client, and a closing `N passed, N failed` line (`… through the
relay: N passed, N failed` with JUDGE_VIA=relay); exits 1 on any failure. Known client bugs are
listed in KNOWN with their reason (a listed check that passes fails the run, so the list stays
honest); KNOWN_RELAY lists what differs through the relay.
"""

import json
import os
import subprocess
import sys

import ollama
import openai

from corpus import fixture_cases, replayed

BIN, BASE, FIXTURES, CLIENTS = sys.argv[1:5]
ONLY = sys.argv[5] if len(sys.argv) > 5 else None
VIA = os.environ.get("JUDGE_VIA", "")
if VIA not in ("", "relay"):
    sys.exit(f"JUDGE_VIA={VIA!r}: only 'relay' or unset")

# (client, case) -> reason: what the official clients are known to misread.
KNOWN = {
    ("ollama-python", "ollama/chat-stream-blank-lines"):
        "ollama-python 0.6.3 json-decodes every line, blank ones included (Ollama itself never "
        "sends blank lines; the case checks that our decoder tolerates them)",
    ("ollama-js", "ollama/chat-stream-tool-args-order-bigint-escapes"):
        "ollama-js parses with JSON.parse, so the argument 9007199254740993 (above 2^53) becomes "
        "9007199254740992; ollama-wire keeps the argument text exact",
}

# What differs through the relay, the same shape: a reason replaces or adds an entry of KNOWN,
# None removes one (the check is expected to pass through the relay).
KNOWN_RELAY = {
    # The relay decodes the NDJSON and re-encodes every chunk, blank lines dropped, so
    # ollama-python reads the repaired stream.
    ("ollama-python", "ollama/chat-stream-blank-lines"): None,
}

# stream-merge's FinishReason::from_raw, as `conformance replay` prints it (Other keeps the raw);
# `settled` then applies the merger's rule that a stop after tool calls is `tool_calls` (Ollama
# and the OpenAI chat wire as Ollama writes it say `stop` there).
FINISH = {None: "stop", "stop": "stop", "end_turn": "stop", "stop_sequence": "stop",
          "completed": "stop", "length": "length", "max_tokens": "length",
          "max_output_tokens": "length", "tool_calls": "tool_calls",
          "function_call": "tool_calls", "tool_use": "tool_calls", "error": "error"}


def finish(raw):
    return FINISH.get(raw, raw)


def settled(out):
    if out["finish_reason"] == "stop" and out["tool_calls"]:
        out["finish_reason"] = "tool_calls"
    return out


def cases():
    yield from fixture_cases(FIXTURES, ("ollama", "openai"))


def expected(wire, case_dir, meta):
    return replayed(BIN, wire, case_dir, meta)


def comparable(reduced):
    """What every client can report: text, reasoning, each call's name and arguments, and the
    finish reason."""
    return {
        "content": reduced["content"],
        "reasoning": reduced["reasoning"],
        "tool_calls": [{"name": c["name"], "arguments": c["arguments"]}
                       for c in reduced["tool_calls"]],
        "finish_reason": reduced["finish_reason"],
    }


def fresh():
    return {"content": "", "reasoning": "", "tool_calls": [], "finish_reason": "incomplete"}


# Each judge fills `out` as it reads, so what it read before raising is there for the caller.

def ollama_py(name, kind, out):
    client = ollama.Client(host=BASE, headers={"x-conformance-case": name})
    if kind == "generate":
        for part in client.generate(model="m", prompt="p", stream=True):
            out["content"] += part.response or ""
            out["reasoning"] += part.thinking or ""
            if part.done:
                out["finish_reason"] = finish(part.done_reason)
        return
    for part in client.chat(model="m", messages=[{"role": "user", "content": "p"}], stream=True):
        out["content"] += part.message.content or ""
        out["reasoning"] += part.message.thinking or ""
        for call in part.message.tool_calls or []:
            out["tool_calls"].append({"name": call.function.name,
                                      "arguments": dict(call.function.arguments)})
        if part.done:
            out["finish_reason"] = finish(part.done_reason)


def ollama_js(name, kind, out):
    script = os.path.join(CLIENTS, "ollama_js.mjs")
    run = subprocess.run(["node", script, BASE, name, kind], check=True, capture_output=True,
                         cwd=CLIENTS, env={**os.environ, "NODE_PATH": os.path.join(CLIENTS, "node_modules")})
    read = json.loads(run.stdout)
    error = read.pop("error", None)
    done, reason = read.pop("done"), read.pop("done_reason", None)
    out.update(read)
    if done:
        out["finish_reason"] = finish(reason)
    if error is not None:
        raise RuntimeError(error)


def openai_py(name, _kind, out):
    client = openai.OpenAI(base_url=BASE + "/v1", api_key="conformance", max_retries=0)
    stream = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "p"}], stream=True,
        extra_headers={"x-conformance-case": name})
    calls = {}

    def settle():
        out["tool_calls"] = [{"name": c["name"], "arguments": json.loads(c["arguments"] or "{}")}
                             for _, c in sorted(calls.items())]

    try:
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
                if choice.finish_reason is not None:
                    out["finish_reason"] = finish(choice.finish_reason)
    except Exception:
        try:
            settle()
        except ValueError:  # a call cut inside its arguments: report what was read of the rest
            pass
        raise
    settle()


def check_faulty(judge, name, kind, want):
    """Through the relay, a cut or failed stream: the client must raise, after reading what
    replay reads of the original bytes."""
    got = fresh()
    try:
        judge(name, kind, got)
    except Exception as e:
        error = f"{type(e).__name__}: {str(e)[:200]}"
    else:
        return False, f"client read it as a clean stream: {json.dumps(got)[:300]}"
    got["finish_reason"] = want["finish_reason"]  # the client raised: it has no finish reason
    if got != want:
        return False, (f"client raised ({error}) after reading {json.dumps(got)[:300]}, "
                       f"replay says {json.dumps(want)[:300]}")
    return True, f"raised {error}"


def main():
    passed = failed = 0
    known = dict(KNOWN)
    if VIA == "relay":
        for key, reason in KNOWN_RELAY.items():
            if reason is None:
                known.pop(key, None)
            else:
                known[key] = reason
    for wire, case_id, case_dir, meta in cases():
        outcome = meta["expect"]["outcome"]
        streaming = (meta.get("content_type") or "").startswith(("application/x-ndjson",
                                                                 "text/event-stream"))
        if meta["status"] != 200:
            continue
        if outcome == "done":
            faulty = False
        elif VIA == "relay" and outcome in ("truncated", "upstream-error") and streaming:
            faulty = True
        else:
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
            if faulty:
                ok, detail = check_faulty(judge, name, kind, want)
                detail = f"{outcome}: {detail}"
            else:
                got = fresh()
                try:
                    judge(name, kind, got)
                    settled(got)
                    ok, detail = got == want, f"client read {json.dumps(got)[:300]}, replay says {json.dumps(want)[:300]}"
                except Exception as e:  # the client failed to read a clean stream
                    ok, detail = False, f"client raised {type(e).__name__}: {e}"
            reason = known.get((client, name))
            if ok and reason is None:
                passed += 1
                print(f"pass  {client:14} {name}" + (f"  ({detail})" if faulty else ""))
            elif not ok and reason is not None:
                passed += 1
                print(f"xfail {client:14} {name}  ({reason})")
            elif ok:
                failed += 1
                print(f"FAIL  {client:14} {name}  passed but is listed as known: {reason}")
            else:
                failed += 1
                print(f"FAIL  {client:14} {name}  {detail}")
    via = " through the relay" if VIA == "relay" else ""
    print(f"clients{via}: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


main()
