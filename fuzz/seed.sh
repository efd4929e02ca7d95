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
        ;;
    esac
done

for target in corpus/*; do
    echo "$target: $(ls "$target" | wc -l) seeds, $(du -sh "$target" | cut -f1)"
done
