"""The official typed-event SDKs as judges of `conformance serve`: anthropic (Messages) and
openai's Responses API.

Three parts:
0. Each wire's own replies that are not streams. Every non-streamed reply (status 200, JSON) of
   fixtures/anthropic is read with `anthropic.Anthropic().messages.create(...)`, of
   fixtures/responses with `openai.OpenAI().responses.create(...)`, and must reduce to what
   `conformance replay` says of the same bytes. Every error reply (any other status, of any
   endpoint: `/v1/messages/count_tokens` is asked with `messages.count_tokens`) must make the
   SDK raise its `APIStatusError` with the recorded status and with replay's error message in
   its text.
1. Each wire's own streams. For every successful (status 200) stream of fixtures/anthropic,
   `anthropic.Anthropic().messages.stream(...)` reads it from `conformance serve`; for every one
   of fixtures/responses, `openai.OpenAI().responses.create(stream=True, ...)`. A stream whose
   case says `done` must reduce to what `conformance replay` says of the same bytes; one that is
   cut (`truncated`), carries an error (`upstream-error`) or breaks the protocol (`violation`)
   must make the SDK raise or report it (an error event, no terminal event, no stop reason).
2. Every wire through each SDK. Every successful stream that ends cleanly (`done`) of every
   wire (ollama chat and generate, openai chat and completions, responses, anthropic) is
   requested with `x-conformance-translate: anthropic` and `…: responses`: re-encoded by
   stream-merge's AnthropicEncoder and ResponsesEventEncoder. The SDK's final message must reduce
   to what `conformance replay` says of the *original* bytes, except where the target wire
   cannot carry a field (`carried`, the same rules as conformance/tests/translate.rs). Every
   stream that does not end cleanly is translated too, and the SDK must raise or report the
   fault as on its own wire: the server's error (`upstream-error`) ends the translation with the
   wire's in-stream error (an Anthropic `error` event, `response.failed`), a cut (`truncated`)
   ends it without a stop reason or terminal event. A stream that breaks the protocol
   (`violation`) is repaired by the translation, so the SDK must read a message.

The reduction is `conformance replay`'s shape without `error`: reasoning, content, tool_calls
[{id, name, arguments}], finish_reason (Anthropic's stop reasons end_turn→stop,
max_tokens→length, tool_use→tool_calls, stop_sequence→stop; a Responses reply completed→stop,
or tool_calls when it made calls; incomplete for max_output_tokens→length), usage
{input_tokens, output_tokens} or null.

With JUDGE_VIA=relay, BASE_URL is `ollama-relay` in front of `conformance serve` and both parts
run on what the relay hands the SDKs (the translations too: `x-conformance-translate` is a
header the relay forwards, and it repairs the translated stream as any other). What the relay
changes, encoded exactly:
- a stream that breaks the protocol (`violation`: ollama#17101) is repaired, so the SDK must read
  it as a clean message equal to what `conformance replay` reduces of the original bytes (the
  `direct` KNOWN entry for that case does not apply: it passes through the relay);
- a cut stream (`truncated`) or one carrying the server's error (`upstream-error`) is ended with
  the wire's in-stream error (an Anthropic `error` event, `response.failed`), so the SDK must
  raise or report an error: ending without a stop reason or without a terminal event, which
  counts as reporting it against plain serve, is a failure here.

Usage: python judge_typed.py CONFORMANCE_BIN BASE_URL FIXTURES_DIR [CASE...]
(with CASE = <wire>/<case-id>, only those cases are judged, in both parts; the expected
messages are replayed from FIXTURES_DIR, which is normally the corpus the server serves)
Prints one line per check and a closing `N passed, N failed` line per SDK and source wire (`…
through the relay: N passed, N failed` with JUDGE_VIA=relay);
exits 1 on any failure, or when nothing was judged. Known SDK behaviours are listed in KNOWN with
their reason (a listed check that passes fails the run, so the list stays honest).

With JUDGE_STRICT=1 every event the SDK yields is also validated against the SDK's own pydantic
type (`type(event).model_validate(event.to_dict())`): the SDKs build events without validating
them, so a field their types require but the bytes lack is not an error when reading, only here.
Off in CI: Ollama's own recorded bytes miss such fields too (see conformance/README.md).
"""

import collections
import json
import os
import sys

import anthropic
import openai
import pydantic

from corpus import fixture_cases, replayed

BIN, BASE, FIXTURES = sys.argv[1:4]
ONLY = set(sys.argv[4:]) or None
STRICT = os.environ.get("JUDGE_STRICT") == "1"
VIA = os.environ.get("JUDGE_VIA", "")
if VIA not in ("", "relay"):
    sys.exit(f"JUDGE_VIA={VIA!r}: only 'relay' or unset")
RELAY = VIA == "relay"


def strict(event):
    """With JUDGE_STRICT=1: the event must validate as its SDK type."""
    if STRICT:
        type(event).model_validate(event.to_dict())

WIRES = ("ollama", "openai", "responses", "anthropic")
STREAM_TYPES = ("text/event-stream", "application/x-ndjson")
# Streams that carry a message (the progress streams of /api/create, /api/pull and /api/push
# do not, and do not translate).
MESSAGE_ENDPOINTS = {
    "ollama": ("/api/chat", "/api/generate"),
    "openai": ("/v1/chat/completions", "/v1/completions"),
    "responses": ("/v1/responses",),
    "anthropic": ("/v1/messages",),
}

# (sdk, case, how) -> reason: what the SDKs are known to do with bytes that break the protocol.
KNOWN = {
    ("anthropic-python", "anthropic/issue-17101-thinking-block-over-open-text-block", "direct"):
        "anthropic 2.15.0's MessageStream appends every content_block_start to the content list "
        "and applies a delta to content[index] only when its type matches, so a thinking block "
        "started at the index of the open text block (ollama#17101) is read without an error: "
        "its thinking_delta lands on the text block and is dropped (reasoning '' where replay "
        "reports the violation)",
    ("openai-responses", "responses/ollama033-resp-missing-input-accepted-stream", "direct"):
        "Ollama 0.33.0-rc2 (recorded) ends a reply without input with a response.completed whose "
        "response has \"output\":null; openai 3.57.0 types Response.output as a list and builds "
        "the event without validating it, so output is None and iterating it (as the SDK's own "
        "Response.output_text does) raises TypeError. Our translation of the same case writes "
        "\"output\":[] and passes (via-responses)",
}

# Through the relay, the same shape: a reason replaces or adds an entry of KNOWN, None removes
# one (the check is expected to pass through the relay).
KNOWN_RELAY = {
    # The relay repairs the stream (it closes text block 0 and starts the thinking block at
    # index 1), so the SDK reads both blocks and the message replay reduces.
    ("anthropic-python", "anthropic/issue-17101-thinking-block-over-open-text-block", "direct"):
        None,
    # The relay re-encodes response.completed with "output":[] where Ollama wrote null (as our
    # translation does), so the SDK reads the empty reply.
    ("openai-responses", "responses/ollama033-resp-missing-input-accepted-stream", "direct"):
        None,
}

ANTHROPIC_STOP = {"end_turn": "stop", "max_tokens": "length", "tool_use": "tool_calls",
                  "stop_sequence": "stop"}


def is_stream(meta):
    return meta["status"] == 200 and (meta.get("content_type") or "").startswith(STREAM_TYPES)


def cases():
    """The successful message streams of every wire."""
    for wire, case_id, case_dir, meta in fixture_cases(FIXTURES, WIRES):
        if is_stream(meta) and meta["endpoint"] in MESSAGE_ENDPOINTS[wire]:
            yield wire, case_id, case_dir, meta


def bodies():
    """The replies of the SDKs' own wires that are not streams: non-streamed messages and
    responses, and error replies of any endpoint."""
    for wire, case_id, case_dir, meta in fixture_cases(FIXTURES, SDKS):
        if is_stream(meta):
            continue
        if meta["status"] == 200 and meta["endpoint"] not in MESSAGE_ENDPOINTS[wire]:
            continue
        yield wire, case_id, case_dir, meta


def expected(wire, case_dir, meta):
    reduced = replayed(BIN, wire, case_dir, meta)
    return {k: reduced[k] for k in ("reasoning", "content", "tool_calls", "finish_reason", "usage")}


def carried(want, target):
    """What a translation to `target` can carry of a clean (`done`) stream; the rules of
    conformance/tests/translate.rs `carried` that apply to a clean stream."""
    want = json.loads(json.dumps(want))
    if target == "anthropic":
        # message_start requires usage and message_delta requires usage.output_tokens: a source
        # without usage reads back as zeros.
        if want["usage"] is None:
            want["usage"] = {"input_tokens": 0, "output_tokens": 0}
        # A content-filter finish is Anthropic's stop reason `refusal`.
        if want["finish_reason"] == "content_filter":
            want["finish_reason"] = "refusal"
    return want


def request(case_dir, defaults):
    """The case's request.json (as keyword arguments, the rest as extra_body), or a minimal one."""
    path = os.path.join(case_dir, "request.json")
    body = {}
    if os.path.exists(path):
        try:
            with open(path, "rb") as f:
                body = json.load(f)
        except ValueError:
            body = {}
    if not isinstance(body, dict):
        body = {}
    body.pop("stream", None)
    return {**defaults, **body}


# --- anthropic -----------------------------------------------------------------------------

ANTHROPIC = anthropic.Anthropic(base_url=BASE, api_key="x", max_retries=0)


def anthropic_read(headers, body):
    """Streams a message through the SDK; returns (final message reduced, the message)."""
    kwargs = {k: body.pop(k) for k in ("model", "max_tokens", "messages") if k in body}
    with ANTHROPIC.messages.stream(**kwargs, extra_body=body, extra_headers=headers) as stream:
        for event in stream:
            strict(event)
        message = stream.get_final_message()
    return reduce_message(message), message


def anthropic_create(headers, body, endpoint="/v1/messages"):
    """Asks `endpoint` without streaming; returns the message reduced (count_tokens: its
    answer, which no fixture reaches with status 200)."""
    if endpoint == "/v1/messages/count_tokens":
        kwargs = {k: body.pop(k) for k in ("model", "messages") if k in body}
        return ANTHROPIC.messages.count_tokens(**kwargs, extra_headers=headers)
    kwargs = {k: body.pop(k) for k in ("model", "max_tokens", "messages") if k in body}
    message = ANTHROPIC.messages.create(**kwargs, extra_body=body, extra_headers=headers)
    strict(message)
    return reduce_message(message)


def reduce_message(message):
    out = {"reasoning": "", "content": "", "tool_calls": []}
    for block in message.content:
        if block.type == "thinking":
            out["reasoning"] += block.thinking
        elif block.type == "text":
            out["content"] += block.text
        elif block.type == "tool_use":
            out["tool_calls"].append({"id": block.id, "name": block.name, "arguments": block.input})
    reason = message.stop_reason
    out["finish_reason"] = "incomplete" if reason is None else ANTHROPIC_STOP.get(reason, reason)
    usage = message.usage
    out["usage"] = None if usage is None else {"input_tokens": usage.input_tokens or 0,
                                               "output_tokens": usage.output_tokens or 0}
    return out


def anthropic_request(case_dir):
    return request(case_dir, {"model": "m", "max_tokens": 1024,
                              "messages": [{"role": "user", "content": "p"}]})


# --- openai Responses ----------------------------------------------------------------------

OPENAI = openai.OpenAI(base_url=BASE + "/v1", api_key="x", max_retries=0)


def responses_read(headers, body):
    """Streams a response through the SDK; returns (the terminal response reduced or None,
    the event types seen, the terminal event)."""
    kwargs = {k: body.pop(k) for k in ("model", "input", "instructions") if k in body}
    stream = OPENAI.responses.create(**kwargs, stream=True, extra_body=body, extra_headers=headers)
    types, terminal = [], None
    for event in stream:
        strict(event)
        types.append(event.type)
        if event.type in ("response.completed", "response.incomplete", "response.failed"):
            terminal = event
    if terminal is None or terminal.type == "response.failed":
        return None, types, terminal
    return reduce_response(terminal.response), types, terminal


def responses_create(headers, body, endpoint="/v1/responses"):
    """Asks for a response without streaming; returns it reduced."""
    kwargs = {k: body.pop(k) for k in ("model", "input", "instructions") if k in body}
    response = OPENAI.responses.create(**kwargs, extra_body=body, extra_headers=headers)
    strict(response)
    return reduce_response(response)


def reduce_response(response):
    out = {"reasoning": "", "content": "", "tool_calls": []}
    for item in response.output:
        if item.type == "reasoning":
            out["reasoning"] += "".join(s.text for s in item.summary or [])
            out["reasoning"] += "".join(c.text for c in item.content or [])
        elif item.type == "message":
            out["content"] += "".join(c.text for c in item.content if c.type == "output_text")
        elif item.type == "function_call":
            out["tool_calls"].append({"id": item.call_id, "name": item.name,
                                      "arguments": json.loads(item.arguments or "{}")})
    if response.status == "incomplete":
        reason = response.incomplete_details.reason if response.incomplete_details else None
        out["finish_reason"] = {"max_output_tokens": "length"}.get(reason, reason or "incomplete")
    else:
        out["finish_reason"] = "tool_calls" if out["tool_calls"] else "stop"
    usage = response.usage
    out["usage"] = None if usage is None else {"input_tokens": usage.input_tokens,
                                               "output_tokens": usage.output_tokens}
    return out


def responses_request(case_dir):
    return request(case_dir, {"model": "m", "input": "p"})


# --- the checks ------------------------------------------------------------------------------

def check_clean(read, headers, body, want):
    """A clean stream: the SDK's reduction must equal `want`."""
    try:
        got = read(headers, body)[0]
    except Exception as e:  # the SDK failed to read a clean stream
        return False, f"SDK raised {type(e).__name__}: {str(e)[:400]}"
    if got == want:
        return True, ""
    diff = {k: {"sdk": got.get(k) if got else None, "replay": want[k]}
            for k in want if not got or got.get(k) != want[k]}
    return False, f"SDK read differs: {json.dumps(diff)[:600]}"


def check_repaired(read, headers, body):
    """A stream that broke the protocol, repaired by the translation: the SDK must read a
    message (what the repair keeps is checked by conformance/tests/translate.rs)."""
    try:
        got = read(headers, body)[0]
    except Exception as e:
        return False, f"SDK raised {type(e).__name__}: {str(e)[:400]}"
    if got is None:
        return False, "no terminal response"
    return True, "repaired: read as a message"


def check_anthropic_faulty(headers, body, _outcome):
    """A cut, failed or broken stream: the SDK must raise, or end without a stop reason."""
    try:
        got, _ = anthropic_read(headers, body)
    except pydantic.ValidationError as e:  # JUDGE_STRICT: not the SDK reporting the fault
        return False, f"strict: {str(e)[:400]}"
    except Exception as e:
        return True, f"raised {type(e).__name__}"
    if got["finish_reason"] == "incomplete" and not RELAY:
        return True, "no message_delta: stop_reason None"
    return False, f"SDK read it as a clean message: {json.dumps(got)[:400]}"


def check_responses_faulty(headers, body, _outcome):
    """A cut, failed or broken stream: the SDK must raise, yield an `error` or
    `response.failed` event, or end without a terminal event."""
    try:
        got, types, terminal = responses_read(headers, body)
    except pydantic.ValidationError as e:  # JUDGE_STRICT: not the SDK reporting the fault
        return False, f"strict: {str(e)[:400]}"
    except Exception as e:
        return True, f"raised {type(e).__name__}"
    if "error" in types:
        return True, "error event"
    if terminal is not None and terminal.type == "response.failed":
        return True, "response.failed"
    if terminal is None and not RELAY:
        return True, "no terminal event"
    return False, f"SDK read it as a clean response: {json.dumps(got)[:400]}"


def check_error(sdk_error, call, headers, body, meta, replay_error):
    """An error reply: the SDK must raise its APIStatusError with the recorded status and with
    the message replay reads from the body in its text."""
    try:
        got = call(headers, body, meta["endpoint"])
    except pydantic.ValidationError as e:  # JUDGE_STRICT
        return False, f"strict: {str(e)[:400]}"
    except sdk_error as e:
        message = (replay_error or "").removeprefix("upstream error: ")
        if e.status_code != meta["status"]:
            return False, f"status {e.status_code}, recorded {meta['status']}"
        if message not in str(e):
            return False, f"the SDK's error {str(e)[:300]!r} lacks replay's {message!r}"
        return True, f"{type(e).__name__} {e.status_code}"
    except Exception as e:
        return False, f"raised {type(e).__name__}, not an APIStatusError: {str(e)[:300]}"
    return False, f"no error raised: {json.dumps(got, default=str)[:300]}"


def check_body(create, headers, body, want):
    """A non-streamed reply: the SDK's reduction must equal `want`."""
    return check_clean(lambda h, b: (create(h, b),), headers, body, want)


SDKS = {
    "anthropic": ("anthropic-python", anthropic_read, check_anthropic_faulty, anthropic_request),
    "responses": ("openai-responses", responses_read, check_responses_faulty, responses_request),
}

# The non-stream side of each SDK: its create call and its status error.
SDK_BODIES = {
    "anthropic": (anthropic_create, anthropic.APIStatusError),
    "responses": (responses_create, openai.APIStatusError),
}


def main():
    counts = collections.defaultdict(lambda: [0, 0])  # (sdk, how, source wire) -> [pass, fail]
    failed_lines = []
    known = dict(KNOWN)
    if RELAY:
        for key, reason in KNOWN_RELAY.items():
            if reason is None:
                known.pop(key, None)
            else:
                known[key] = reason

    def record(sdk, how, wire, name, ok, detail):
        key = (sdk, name, how)
        reason = known.get(key)
        label = f"{sdk:16} {how:9} {name}"
        if ok and reason is None:
            counts[(sdk, how, wire)][0] += 1
            print(f"pass  {label}" + (f"  ({detail})" if detail else ""))
        elif not ok and reason is not None:
            counts[(sdk, how, wire)][0] += 1
            print(f"xfail {label}  ({reason})")
        else:
            counts[(sdk, how, wire)][1] += 1
            why = f"passed but is listed as known: {reason}" if ok else detail
            line = f"FAIL  {label}  {why}"
            failed_lines.append(line)
            print(line)

    # Part 0: each SDK's own wire, the replies that are not streams.
    for wire, case_id, case_dir, meta in bodies():
        name = f"{wire}/{case_id}"
        if ONLY is not None and name not in ONLY:
            continue
        sdk, _, _, make_request = SDKS[wire]
        create, sdk_error = SDK_BODIES[wire]
        headers = {"x-conformance-case": name}
        reduced = replayed(BIN, wire, case_dir, meta)
        if meta["status"] == 200:
            want = {k: reduced[k] for k in ("reasoning", "content", "tool_calls",
                                            "finish_reason", "usage")}
            ok, detail = check_body(create, headers, make_request(case_dir), want)
        else:
            ok, detail = check_error(sdk_error, create, headers, make_request(case_dir), meta,
                                     reduced["error"])
        record(sdk, "body", wire, name, ok, detail)

    for wire, case_id, case_dir, meta in cases():
        name = f"{wire}/{case_id}"
        if ONLY is not None and name not in ONLY:
            continue
        outcome = meta["expect"]["outcome"]
        want = expected(wire, case_dir, meta)
        # Part 1: the wire's own SDK reads the recorded bytes.
        if wire in SDKS:
            sdk, read, faulty, make_request = SDKS[wire]
            headers = {"x-conformance-case": name}
            if outcome == "done" or (RELAY and outcome == "violation"):
                ok, detail = check_clean(read, headers, make_request(case_dir), want)
                if outcome != "done" and ok:
                    detail = f"{outcome}: repaired by the relay"
            else:
                ok, detail = faulty(headers, make_request(case_dir), outcome)
                detail = f"{outcome}: {detail}"
            record(sdk, "direct", wire, name, ok, detail)
        # Part 2: every stream, translated to each SDK's wire.
        for target, (sdk, read, faulty, make_request) in SDKS.items():
            headers = {"x-conformance-case": name, "x-conformance-translate": target}
            if outcome == "done":
                ok, detail = check_clean(read, headers, make_request(case_dir),
                                         carried(want, target))
            elif outcome == "violation":
                ok, detail = check_repaired(read, headers, make_request(case_dir))
                detail = f"{outcome}: {detail}"
            else:
                ok, detail = faulty(headers, make_request(case_dir), outcome)
                detail = f"{outcome}: {detail}"
            record(sdk, f"via-{target}", wire, name, ok, detail)

    print()
    total_pass = total_fail = 0
    for (sdk, how, wire), (p, f) in sorted(counts.items()):
        total_pass += p
        total_fail += f
        print(f"{sdk:16} {how:14} from {wire:9}: {p} passed, {f} failed")
    via = " through the relay" if RELAY else ""
    print(f"typed SDKs{via}: {total_pass} passed, {total_fail} failed")
    if failed_lines:
        print("failures:")
        for line in failed_lines:
            print("  " + line)
    sys.exit(1 if total_fail or not total_pass else 0)


main()
