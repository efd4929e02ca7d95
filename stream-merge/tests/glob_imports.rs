//! The four glob imports together leave every data type nameable unqualified: each wire crate
//! names its types as its protocol's source does (OpenAI's API-reference schema names, the Go
//! names of Ollama's `api/types.go`) and stream-merge, the wire-neutral layer, keeps the plain
//! ones.
//!
//! Rust reports an ambiguous glob-imported name only where the name is used, so this file uses
//! the names: the tests below decode and convert values of the types that once collided, and
//! [`EveryDataType`] names every other data type the four globs bring in. A type added to one
//! crate under a name another crate already exports makes this file fail to compile.
//!
//! The globs are those of the four wires' data types: `ollama_wire`, `openai_wire` with
//! `openai_wire::chat` and `openai_wire::responses`, `anthropic_wire` with
//! `anthropic_wire::messages`, and `ollama_stream_merge`.
//!
//! Left out on purpose:
//! - the shared vocabulary (`DecodeError`, `ErrorCategory`, `Encoder`, `Escaping`, `RawJson`
//!   for JSON kept as received, `Violation` and `ProtocolError` for a broken event order,
//!   `EncodeError`, `BodyKind`): the same name in every crate, imported by path (see the root
//!   README); so is `ResponseError`, ollama-wire's body-decode error and the name of the
//!   Responses API's error object;
#![cfg(all(
    feature = "ollama",
    feature = "openai",
    feature = "anthropic",
    feature = "stream"
))]
// Some ambiguous glob names are only a future-incompatibility warning so far: make them errors.
#![deny(ambiguous_glob_imports)]

use anthropic_wire::messages::*;
use anthropic_wire::*;
use ollama_stream_merge::*;
use ollama_wire::*;
use openai_wire::chat::*;
use openai_wire::responses::*;
use openai_wire::*;

const CHUNK: &str = r#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#;

/// A chat request both wires accept: one user message, one tool.
const REQUEST: &str = r#"{"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"type":"function","function":{"name":"get_weather"}}]}"#;

#[test]
fn openai_chunk_types_convert_into_the_plain_merge_types() {
    let chunk: ChatCompletionChunk = serde_json::from_str(CHUNK).unwrap();
    let delta: &ChatCompletionDelta = &chunk.choices[0].delta;
    let call: &ChatCompletionToolCallDelta = &delta.tool_calls.as_deref().unwrap()[0];
    assert_eq!(call.id.as_deref(), Some("call_1"));
    let reason: &ChatCompletionFinishReason = chunk.choices[0].finish_reason.as_ref().unwrap();
    assert_eq!(*reason, ChatCompletionFinishReason::ToolCalls);
    let usage: &CompletionUsage = chunk.usage.as_ref().unwrap();
    assert_eq!(usage.total_tokens, 7);

    // The borrowed twins decode the same values.
    let borrowed: ChatCompletionChunkRef<'_> = serde_json::from_str(CHUNK).unwrap();
    let delta_ref: ChatCompletionDeltaRef<'_> = borrowed.choices.into_iter().next().unwrap().delta;
    let call_ref: &ChatCompletionToolCallDeltaRef<'_> =
        &delta_ref.tool_calls.as_deref().unwrap()[0];
    assert_eq!(call_ref.clone().into_owned(), *call);
    assert_eq!(delta_ref.into_owned(), *delta);

    // stream-merge's plain names: the wire-neutral delta, then the merged call.
    let merged: Delta = chunk.into();
    let fragment: &ToolCallFragment = &merged.tool_calls[0];
    assert_eq!(fragment.name.as_deref(), Some("get_weather"));
    let usage: Usage = merged.usage.unwrap();
    assert_eq!(usage.total_tokens, Some(7));
    let finish: &FinishSignal = merged.finish.as_ref().unwrap();
    assert_eq!(finish.reason, FinishReason::ToolCalls);

    let events = merge([merged], Options::default());
    let calls: Vec<&MergedToolCall> = events
        .iter()
        .filter_map(|e| match e {
            Event::BlockEnd {
                outcome: BlockOutcome::ToolCall(call),
                ..
            } => Some(call),
            _ => None,
        })
        .collect();
    let arguments: &Arguments = calls[0].arguments.as_ref().unwrap();
    assert_eq!(arguments.as_str(), r#"{"city":"Paris"}"#);
}

#[test]
fn an_openai_error_body_becomes_the_plain_upstream_error() {
    let body = br#"{"error":{"message":"model not found","type":"not_found_error","param":null,"code":null}}"#;
    let error: OpenAiError = openai_wire::response::decode_error_body(404, body);
    assert_eq!(error.status, Some(404));
    let upstream = UpstreamError::from(&error);
    assert_eq!(upstream.message, "model not found");
}

#[test]
fn openai_request_and_reply_types_keep_their_schema_names() {
    let request: ChatCompletionRequest = serde_json::from_str(REQUEST).unwrap();
    let message: &ChatCompletionMessage = &request.messages[0];
    assert_eq!(message.role, Role::User);
    let tool: &ChatCompletionTool = &request.tools.as_deref().unwrap()[0];
    assert_eq!(tool.function.name, "get_weather");

    let reply: ChatCompletion = serde_json::from_str(
        r#"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},"finish_reason":"tool_calls","logprobs":{"content":[{"token":"a","logprob":-0.5,"bytes":[97],"top_logprobs":[]}]}}]}"#,
    )
    .unwrap();
    let choice = &reply.choices[0];
    let call: &ChatCompletionToolCall = &choice.message.tool_calls.as_deref().unwrap()[0];
    assert_eq!(call.function.name, "get_weather");
    let logprobs = choice
        .logprobs
        .as_ref()
        .unwrap()
        .content
        .as_deref()
        .unwrap();
    let token: &ChatCompletionTokenLogprob = &logprobs[0];
    assert_eq!(token.token, "a");
}

#[test]
fn ollama_types_keep_their_go_names() {
    let request: ChatRequest = serde_json::from_str(REQUEST).unwrap();
    let message: &Message = &request.messages[0];
    assert_eq!(message.content, "Weather in Paris?");
    let tool: &Tool = &request.tools.as_deref().unwrap()[0];
    assert_eq!(tool.kind, "function");

    let reply = ChatResponse::from_slice(
        br#"{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":true,"logprobs":[{"token":"a","logprob":-0.5,"top_logprobs":[{"token":"b","logprob":-1.5}]}]}"#,
    )
    .unwrap();
    let call: &ToolCall = &reply.message.tool_calls()[0];
    let arguments: &ToolCallFunctionArguments = &call.function.arguments;
    assert_eq!(arguments.as_str(), r#"{"city":"Paris"}"#);
    let top: &TokenLogprob = &reply.logprobs.as_deref().unwrap()[0]
        .top_logprobs
        .as_deref()
        .unwrap()[0];
    assert_eq!(top.token, "b");
}

/// Every other data type the four globs bring in, named unqualified (never built: naming them
/// is the check).
#[allow(dead_code)]
type EveryDataType = (
    // ollama-wire
    (
        BodyKind,
        Capability,
        ChatAccumulator,
        ChatResponseRef<'static>,
        ChatStream<()>,
        ChatStreamDecoder,
        DecodeStream<(), ChatResponse>,
        DoneReason,
        ErrorBody,
        FieldOrder,
        Format,
        GenerateRequest,
        GenerateResponse,
        GenerateStream<()>,
        GenerateStreamDecoder,
        KeepAlive,
        ListModel,
        ListResponse,
    ),
    // ollama-wire: the management, embedding and progress types
    (
        CopyRequest,
        CreateRequest,
        DeleteRequest,
        EmbedInput,
        EmbedRequest,
        EmbedResponse,
        EmbeddingRequest,
        EmbeddingResponse,
        LayerProgress,
        Phase,
        ProcessModel,
        ProcessResponse,
        ProgressAccumulator,
        ProgressOutcome,
        ProgressResponse,
        ProgressStreamDecoder,
        TransferRequest,
    ),
    (
        Logprob,
        MessageRef<'static>,
        Metrics,
        ModelDetails,
        ModelInfo,
        ShowRequest,
        ShowResponse,
        ShowSummary,
        StreamDecoder<ChatResponse>,
        StreamError<()>,
        TensorInfo,
        Think,
        ThinkLevel,
        ToolCallFunction,
        VersionResponse,
    ),
    // openai-wire and openai-wire::chat
    (
        ApiError,
        Choice,
        ChoiceLogprobs,
        ChunkChoice,
        ChunkChoiceRef<'static>,
        Content,
        ContentPart,
        ErrorEnvelope,
        ErrorPayload,
        FunctionCall,
        FunctionDefinition,
        FunctionDelta,
        FunctionDeltaRef<'static>,
        JsonSchemaFormat,
        NamedFunction,
        NamedToolChoice,
        ReasoningEffort,
        ReasoningKey,
        ReasoningOptions,
        ResponseFormat,
    ),
    (Stop, StreamOptions, ToolChoice, ToolChoiceMode, TopLogprob),
    // openai-wire::responses
    (
        Response,
        ResponseContentPartEvent,
        ResponseCreateParams,
        ResponseDeltaEvent,
        ResponseErrorEvent,
        ResponseFormatTextConfig,
        ResponseFunctionCallArgumentsDoneEvent,
        ResponseFunctionCallOutput,
        ResponseFunctionToolCall,
        ResponseIncompleteDetails,
        ResponseInput,
        ResponseInputContent,
        ResponseInputImage,
        ResponseInputItem,
        ResponseInputMessage,
        ResponseInputMessageContent,
        ResponseInputText,
        ResponseInputTokensDetails,
        ResponseItemStatus,
    ),
    (
        ResponseObjectEvent,
        ResponseOutputContent,
        ResponseOutputItem,
        ResponseOutputItemEvent,
        ResponseOutputMessage,
        ResponseOutputRefusal,
        ResponseOutputText,
        ResponseOutputTokensDetails,
        ResponseReasoning,
        ResponseReasoningItem,
        ResponseReasoningPart,
        ResponseReasoningSummaryPartEvent,
        ResponseStatus,
        ResponseStreamEvent,
        ResponseTextConfig,
        ResponseTextDoneEvent,
        ResponseTool,
        ResponseToolChoice,
        ResponseUsage,
        ResponsesEncoder,
    ),
    (ResponsesStreamDecoder,),
    // The shared vocabulary these globs bring in more than once, by path.
    (
        ollama_wire::RawJson,
        ollama_wire::ResponseError,
        ollama_stream_merge::Violation,
        openai_wire::responses::RawJson,
        anthropic_wire::RawJson,
        openai_wire::responses::ResponseError,
        openai_wire::responses::Violation,
    ),
    // anthropic-wire and anthropic-wire::messages
    (
        AnthropicError,
        AnthropicMessage,
        AnthropicUsage,
        ContentBlock,
        ContentBlockDelta,
        ContentBlockDeltaEvent,
        ContentBlockStartEvent,
        ContentBlockStopEvent,
        ErrorObject,
        ErrorResponse,
        ImageBlock,
        ImageSource,
        InputJsonDelta,
        MessageContent,
        MessageCreateParams,
        MessageDelta,
        MessageDeltaEvent,
        MessageDeltaUsage,
        MessageParam,
        MessageRole,
    ),
    (
        MessageStartEvent,
        MessageStopEvent,
        MessageStreamEvent,
        MetadataParam,
        PingEvent,
        RedactedThinkingBlock,
        SignatureDelta,
        StopReason,
        TextBlock,
        TextDelta,
        ThinkingBlock,
        ThinkingConfigParam,
        ThinkingDelta,
        ThinkingType,
        ToolChoiceParam,
        ToolParam,
        ToolResultBlock,
        ToolUseBlock,
        UnknownFields,
    ),
    // ollama-stream-merge
    (
        ArgumentsDelta,
        AssistantMessage,
        BlockKind,
        CallError,
        CallErrorKind,
        Finish,
        Input,
        LateReasoning,
        MergeDecoder<ChatStreamDecoder>,
        MergeError,
        MergeStream<()>,
        Merger,
        OnViolation,
        Reducer,
        ThinkTags,
        ViolationKind,
        WireError,
    ),
);

/// The traits and functions of the four globs, named unqualified.
#[allow(dead_code)]
fn every_trait_and_function(
    _: impl StreamChunk,
    _: impl for<'a> StreamChunkRef<'a>,
    decoder: impl WireDecoder,
) {
    let _ = (classify, decode_error_body, decode_json::<ChatResponse>);
    // `merge` is called by the first test.
    let _ = (merge_body(decoder, b"", Options::default()), validate);
}
