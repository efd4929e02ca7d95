#!/usr/bin/env bash
# Builds the seed corpora fuzz/corpus/<target>/ from the recorded transcripts in fixtures/.
# Each seed is a fixture's response body behind the header the targets expect (see src/lib.rs):
# flags byte, plan length, plan bytes. Corpora are generated, not committed; re-running is cheap
# and idempotent (libFuzzer adds its own finds next to the seeds).
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../fixtures

# Headers, as printf escapes: byte-at-a-time drip; pieces of 7, 32 and 320 bytes; small limits
# with pieces of 1 and 65 bytes.
headers=('\x00\x00' '\x00\x03\x06\x1f\xc4' '\x01\x02\x00\x40')

seed() { # seed <target> <case-dir> [header...]
    local target=$1 dir=$2
    shift 2
    mkdir -p "corpus/$target"
    local i=0 h
    for h in "$@"; do
        { printf "$h"; cat "$dir/response.body"; } >"corpus/$target/$(basename "$dir")-$i"
        i=$((i + 1))
    done
}

endpoint() { sed -n 's/^endpoint = "\(.*\)"/\1/p' "$1/case.toml"; }
content_type() { sed -n 's/^content_type = "\(.*\)"/\1/p' "$1/case.toml"; }

for dir in "$fixtures"/ollama/*/; do
    dir=${dir%/}
    seed ndjson_framing "$dir" "${headers[@]}"
    case "$(endpoint "$dir")" in
    /api/chat) seed ollama_chat_stream "$dir" "${headers[@]}" ;;
    /api/generate) seed ollama_generate_stream "$dir" "${headers[@]}" ;;
    /api/create | /api/pull | /api/push) seed ollama_progress_stream "$dir" "${headers[@]}" ;;
    /api/show | /api/tags) seed ollama_show_tags "$dir" '\x00\x00' '\x02\x00' ;;
    *) seed ollama_show_tags "$dir" '\x03\x00' ;; # error bodies and plain text
    esac
done

for dir in "$fixtures"/openai/*/; do
    dir=${dir%/}
    case "$(content_type "$dir")" in
    text/event-stream*)
        seed sse_events "$dir" "${headers[@]}" '\x0c\x01\x10'
        seed openai_chunk_stream "$dir" "${headers[@]}" '\x10\x00'
        # /v1/completions streams also as CompletionChunk (flags bit 5).
        case "$(endpoint "$dir")" in
        /v1/completions) seed openai_chunk_stream "$dir" '\x20\x00' '\x21\x03\x06\x1f\xc4' ;;
        esac
        ;;
    esac
done

# The typed event streams of /v1/responses and /v1/messages (recorded and constructed cases),
# also repeated twice (data after the end) with small limits.
for dir in "$fixtures"/responses/*/ "$fixtures"/anthropic/*/; do
    dir=${dir%/}
    case "$(content_type "$dir")" in
    text/event-stream*)
        case "$dir" in
        */responses/*) target=responses_event_stream ;;
        *) target=anthropic_event_stream ;;
        esac
        seed "$target" "$dir" "${headers[@]}" '\x43\x01\x10'
        ;;
    esac
done

# merge_deltas: flags bits 0..=1 pick the source (1 chat NDJSON, 2 generate NDJSON, 3 an SSE
# body: OpenAI chat completions, Responses or Anthropic Messages, told apart by its bytes; 0 the
# compact delta encoding, which any bytes are), bits 2..=5 the options (defer, <think>
# extraction, start in reasoning, multi-byte tags); the plan bytes are where deltas are cut.
merge_headers() { # merge_headers <source 0..3>
    local s=$1
    printf '\\x%02x\\x01\\x05 \\x%02x\\x00 \\x%02x\\x02\\x00\\x11' "$s" $((s | 0x0c)) $((s | 0x38))
}
for dir in "$fixtures"/ollama/*/ "$fixtures"/openai/*/ "$fixtures"/responses/*/ "$fixtures"/anthropic/*/; do
    dir=${dir%/}
    grep -q '^status = 200' "$dir/case.toml" || continue
    # shellcheck disable=SC2046 # one header per word
    case "$(endpoint "$dir"):$(content_type "$dir")" in
    /api/chat:application/x-ndjson*) seed merge_deltas "$dir" $(merge_headers 1) ;;
    /api/generate:application/x-ndjson*) seed merge_deltas "$dir" $(merge_headers 2) ;;
    */chat/completions:text/event-stream*) seed merge_deltas "$dir" $(merge_headers 3) ;;
    /v1/responses:text/event-stream* | /v1/messages:text/event-stream*) seed merge_deltas "$dir" $(merge_headers 3) ;;
    *) continue ;;
    esac
    # The same bytes read as the compact delta encoding.
    { printf '\x00\x01\x07'; cat "$dir/response.body"; } >"corpus/merge_deltas/$(basename "$dir")-compact"
done

# catalog_derive: a tags body, then show bodies, separated by NUL bytes; plan byte j gives show
# j's status (bits 0..=1: 200, 200, 404, 500).
catalog_seed() { # catalog_seed <name> <header> <tags body> [show body...]
    local name=$1 header=$2 tags=$3
    shift 3
    mkdir -p corpus/catalog_derive
    {
        printf "$header"
        cat "$tags"
        local show
        for show in "$@"; do
            printf '\x00'
            cat "$show"
        done
    } >"corpus/catalog_derive/$name"
}
data=../catalog/tests/data
shows=("$fixtures"/ollama/show-*/response.body)
for tags in "$fixtures"/ollama/tags-*/; do
    tags=${tags%/}
    catalog_seed "$(basename "$tags")" '\x00\x00' "$tags/response.body" "${shows[@]}"
    catalog_seed "$(basename "$tags")-404" '\x00\x02\x00\x02' "$tags/response.body" "${shows[@]}"
done
# The catalog crate's constructed bodies, in the order of its tags listing.
data_shows=("$data"/show/gemma4-e4b.json "$data"/show/gpt-oss-20b-cloud.json "$data"/show/qwen3-8b.json
    "$data"/show/gemma3-4b.json "$data"/show/hf-ministral.json "$data"/show/nomic-embed-text.json)
catalog_seed catalog-data '\x00\x00' "$data"/tags.json "${data_shows[@]}"
catalog_seed catalog-data-missing '\x00\x01\x00' "$data"/tags.json "${data_shows[@]:0:3}"
catalog_seed catalog-data-v0-30 '\x00\x03\x00\x03\x80' "$fixtures"/ollama/tags-v0-30-capabilities-and-cloud/response.body "${data_shows[@]}"

for target in corpus/*; do
    echo "$target: $(ls "$target" | wc -l) seeds, $(du -sh "$target" | cut -f1)"
done
