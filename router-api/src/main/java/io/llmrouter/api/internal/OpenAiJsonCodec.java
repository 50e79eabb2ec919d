package io.llmrouter.api.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Internal: not API, may change in any release. The tree-level OpenAI JSON codec behind the public
 * {@link io.llmrouter.api.json.OpenAiJson}, used by the adapters, which build and read Jackson
 * trees directly; callers outside the library use the string-level {@code OpenAiJson}.
 *
 * <p>Reads and writes the chat-completions types as OpenAI's exact JSON.
 *
 * <p><b>Writing</b> uses OpenAI's snake_case names and omits absent values (never {@code null}),
 * with the exceptions OpenAI itself makes: an assistant message without content is written with
 * {@code "content": null}, and in a response every message carries {@code refusal} and every
 * choice {@code logprobs}, {@code null} when absent. A request's {@link ChatRequest#extraBody()}
 * is merged into the top level; its {@link ChatRequest#tags()} are never written. Usage is written
 * with {@code prompt_tokens_details.cached_tokens} and {@code completion_tokens_details.reasoning_tokens},
 * and {@code prompt_tokens_details.cache_creation_tokens} when it is not zero. The finish reason
 * written is the provider's raw value when that maps to the same {@link FinishReason} (so unknown
 * values survive a round trip), else the OpenAI value (so Anthropic's {@code end_turn} becomes
 * {@code stop}).
 *
 * <p><b>Reading</b> keeps what the types do not model: unknown top-level request fields go to
 * {@link ChatRequest#extraBody()}, unknown response, choice and message fields to their
 * {@code extraFields()}. LiteLLM-style {@code metadata.tags} (and a top-level {@code tags} array)
 * become {@link ChatRequest#tags()}; other metadata values that are not strings are skipped.
 * Unmodelled usage details (e.g. {@code audio_tokens}) and content-part fields (e.g.
 * {@code cache_control}) are skipped. A known field whose value is {@code null} counts as absent.
 * Token counts may be integral floating-point numbers ({@code 18.0}); a missing {@code usage} or
 * count is empty or 0, and a missing {@code created} is 0. An assistant message in a response with
 * no content, tool calls, refusal or other field is read as having empty content.
 *
 * <p><b>Embeddings</b> ({@code /v1/embeddings}): a request is written with
 * {@code "encoding_format": "base64"}, as openai-python does; a response's {@code embedding} may be
 * a base64 string of little-endian float32 values or an array of numbers, decided per item (some
 * OpenAI-compatible servers ignore the requested format).
 *
 * <p><b>Errors</b>: every malformed input (not JSON, a wrong type, a missing required field, a value
 * a builder rejects) throws {@link IllegalArgumentException} whose message starts with the JSON
 * path, e.g. {@code choices[0].message.tool_calls[1].function.arguments: expected a string, was an
 * object}; {@code $} is the document itself. Adapters wrap it into their own exception.
 *
 * <p>All methods are static and thread-safe; one shared Jackson mapper is used inside. Reading and
 * writing use Jackson's tree model, with no reflection; for the adapters' hot path,
 * {@link #writeRequestBytes} writes a chat request's bytes straight with a streaming generator and
 * {@link #readResponseFast} reads a common chat answer straight from its bytes with a streaming
 * parser (giving up, for the tree reader, on anything else).
 *
 * @since 0.1.0
 */
public final class OpenAiJsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();
    private static final ResponseBytesReader BYTES_READER = new ResponseBytesReader(MAPPER);

    private OpenAiJsonCodec() {
    }

    // ---------------------------------------------------------------------------------------- parsing

    /**
     * Parses JSON text into a tree.
     *
     * @param json the text
     * @return the tree, never null
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException if the text is empty, not JSON, or has content after the JSON value
     */
    public static JsonNode parse(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return checkedTree(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
    }

    /**
     * Parses UTF-8 encoded JSON into a tree, without decoding it to a string first.
     *
     * @param utf8 the bytes (not modified)
     * @return the tree, never null
     * @throws NullPointerException if {@code utf8} is null
     * @throws IllegalArgumentException if the input is empty, not JSON, or has content after the JSON value
     */
    public static JsonNode parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        try {
            return checkedTree(MAPPER.readTree(utf8));
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array does no I/O
        }
    }

    private static JsonNode checkedTree(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException(Path.ROOT + ": not valid JSON: the input is empty");
        }
        return node;
    }

    private static IllegalArgumentException notJson(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new IllegalArgumentException(Path.ROOT + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
    }

    private static String toJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serializes; this would be a Jackson bug.
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------- requests

    /**
     * The request as OpenAI's JSON body; the caller may change the returned tree.
     *
     * @param request the request
     * @return a new tree
     * @throws NullPointerException if {@code request} is null
     */
    public static ObjectNode writeRequest(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode o = NODES.objectNode();
        o.put("model", request.model());
        ArrayNode messages = o.putArray("messages");
        for (Message m : request.messages()) {
            messages.add(writeMessage(m, false));
        }
        if (request.temperature().isPresent()) {
            o.put("temperature", request.temperature().getAsDouble());
        }
        if (request.topP().isPresent()) {
            o.put("top_p", request.topP().getAsDouble());
        }
        if (request.maxTokens().isPresent()) {
            o.put("max_tokens", request.maxTokens().getAsInt());
        }
        if (request.maxCompletionTokens().isPresent()) {
            o.put("max_completion_tokens", request.maxCompletionTokens().getAsInt());
        }
        List<String> stop = request.stop();
        if (!stop.isEmpty()) {
            if (request.isStopString()) {
                o.put("stop", stop.get(0));
            } else {
                ArrayNode a = o.putArray("stop");
                stop.forEach(a::add);
            }
        }
        if (request.n().isPresent()) {
            o.put("n", request.n().getAsInt());
        }
        if (request.seed().isPresent()) {
            o.put("seed", request.seed().getAsLong());
        }
        if (request.presencePenalty().isPresent()) {
            o.put("presence_penalty", request.presencePenalty().getAsDouble());
        }
        if (request.frequencyPenalty().isPresent()) {
            o.put("frequency_penalty", request.frequencyPenalty().getAsDouble());
        }
        request.user().ifPresent(u -> o.put("user", u));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = o.putArray("tools");
            for (Tool t : request.tools()) {
                tools.add(writeTool(t));
            }
        }
        request.toolChoice().ifPresent(c -> o.set("tool_choice", writeToolChoice(c)));
        request.parallelToolCalls().ifPresent(p -> o.put("parallel_tool_calls", p));
        request.responseFormat().ifPresent(f -> o.set("response_format", writeResponseFormat(f)));
        if (request.stream()) {
            o.put("stream", true);
        }
        request.streamOptions().ifPresent(s -> o.putObject("stream_options").put("include_usage", s.includeUsage()));
        if (!request.metadata().isEmpty()) {
            ObjectNode metadata = o.putObject("metadata");
            request.metadata().forEach(metadata::put);
        }
        request.extraBody().forEach(o::set);
        return o;
    }

    /**
     * How {@link #writeRequestBytes} shapes a chat-completions body: what {@link #writeRequest(ChatRequest)}
     * would give, edited as the OpenAI-family adapters edit it, but written straight with a
     * {@link JsonGenerator} (no tree). The bytes are exactly those of the edited tree serialized.
     *
     * @param stream {@link StreamMode#AS_REQUEST}: {@code stream} and {@code stream_options} as the
     *     request has them; {@link StreamMode#NON_STREAMING}: neither; {@link StreamMode#STREAMING}:
     *     {@code "stream": true} and, unless the request sets its own, {@code "stream_options":
     *     {"include_usage": true}}, appended after the request's fields when the request lacks them
     * @param tokenLimit which token limit field is kept: {@code max_tokens} or
     *     {@code max_completion_tokens} (the other renamed to it, moved last, or dropped when both are set),
     *     or {@link TokenLimit#AS_GIVEN}
     * @param developerAsSystem whether {@code developer} messages are sent with role {@code system}
     * @param seedField the seed's wire name; any other than {@code seed} is moved last (or replaces an
     *     extra body field of that name in place)
     * @param droppedFields top-level fields never written
     */
    public record RequestShape(StreamMode stream, TokenLimit tokenLimit, boolean developerAsSystem, String seedField,
            java.util.Set<String> droppedFields) {

        /**
         * Checks and copies the values.
         *
         * @throws NullPointerException if a value is null
         */
        public RequestShape {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(tokenLimit, "tokenLimit");
            Objects.requireNonNull(seedField, "seedField");
            droppedFields = java.util.Set.copyOf(droppedFields);
        }

        /** The request as it is: what {@link #writeRequest(ChatRequest)} gives. */
        public static final RequestShape AS_REQUEST =
                new RequestShape(StreamMode.AS_REQUEST, TokenLimit.AS_GIVEN, false, "seed", java.util.Set.of());

        private boolean keeps(String field) {
            return droppedFields.isEmpty() || !droppedFields.contains(field);
        }
    }

    /** How {@link RequestShape} treats {@code stream} and {@code stream_options}. */
    public enum StreamMode {
        /** As the request has them. */
        AS_REQUEST,
        /** Never written. */
        NON_STREAMING,
        /** {@code "stream": true}, and {@code stream_options} asking for usage unless the request sets it. */
        STREAMING
    }

    /** Which token limit field {@link RequestShape} keeps. */
    public enum TokenLimit {
        /** Both as the request has them. */
        AS_GIVEN,
        /** {@code max_tokens} only. */
        MAX_TOKENS,
        /** {@code max_completion_tokens} only. */
        MAX_COMPLETION_TOKENS
    }

    /**
     * The request as OpenAI's JSON body, shaped by {@code shape}, as UTF-8 bytes written with a
     * streaming generator: the same bytes as {@link #writeRequest(ChatRequest)}'s tree edited the same
     * way and serialized, without building the tree.
     *
     * @param request the request
     * @param shape the adapter's edits
     * @return compact UTF-8 JSON
     * @throws NullPointerException if an argument is null
     * @throws UncheckedIOException if a value cannot be written (not expected for a built request)
     */
    public static byte[] writeRequestBytes(ChatRequest request, RequestShape shape) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(shape, "shape");
        ByteArrayBuilder out = BODY_BUFFER.get();
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            writeRequest(request, shape, g);
        } catch (IOException e) {
            out.reset();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            out.reset();
            throw e;
        }
        return takeBody(out);
    }

    /** The body written into {@code out}, which is then emptied for the thread's next body. */
    private static byte[] takeBody(ByteArrayBuilder out) {
        byte[] body = out.toByteArray(); // the one array the body needs; the buffer is reused
        if (out.getCurrentSegment().length > MAX_KEPT_BUFFER) {
            BODY_BUFFER.remove(); // a huge body's buffer is not kept for the thread's life
        } else {
            out.reset();
        }
        return body;
    }

    /** The per-thread buffer request bodies are written into (no lock; nothing calls out while it is in use). */
    private static final ThreadLocal<ByteArrayBuilder> BODY_BUFFER =
            ThreadLocal.withInitial(() -> new ByteArrayBuilder(2048));
    /** The largest buffer kept for reuse, in bytes. */
    private static final int MAX_KEPT_BUFFER = 16 * 1024;

    // The names and values every request writes, encoded and escaped once.
    private static final SerializedString MODEL_FIELD = new SerializedString("model");
    private static final SerializedString MESSAGES_FIELD = new SerializedString("messages");
    private static final SerializedString ROLE_FIELD = new SerializedString("role");
    private static final SerializedString CONTENT_FIELD = new SerializedString("content");
    private static final SerializedString SYSTEM_ROLE = new SerializedString("system");
    private static final SerializedString[] ROLE_VALUES = Arrays.stream(Role.values())
            .map(role -> new SerializedString(role.wireValue())).toArray(SerializedString[]::new);

    private static void writeRequest(ChatRequest r, RequestShape shape, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (shape.keeps("model")) {
            g.writeFieldName(MODEL_FIELD);
            g.writeString(r.model());
        }
        if (shape.keeps("messages")) {
            g.writeFieldName(MESSAGES_FIELD);
            g.writeStartArray();
            for (Message m : r.messages()) {
                writeMessage(m, shape.developerAsSystem(), g);
            }
            g.writeEndArray();
        }
        if (r.temperature().isPresent() && shape.keeps("temperature")) {
            g.writeNumberField("temperature", r.temperature().getAsDouble());
        }
        if (r.topP().isPresent() && shape.keeps("top_p")) {
            g.writeNumberField("top_p", r.topP().getAsDouble());
        }
        boolean hasMax = r.maxTokens().isPresent();
        boolean hasMaxCompletion = r.maxCompletionTokens().isPresent();
        TokenLimit limit = shape.tokenLimit();
        // A renamed limit is moved last, as the tree edit (remove, then set) does.
        String movedLimit = null;
        int movedLimitValue = 0;
        if (hasMax) {
            if (limit != TokenLimit.MAX_COMPLETION_TOKENS) {
                if (shape.keeps("max_tokens")) {
                    g.writeNumberField("max_tokens", r.maxTokens().getAsInt());
                }
            } else if (!hasMaxCompletion) {
                movedLimit = "max_completion_tokens";
                movedLimitValue = r.maxTokens().getAsInt();
            }
        }
        if (hasMaxCompletion) {
            if (limit != TokenLimit.MAX_TOKENS) {
                if (shape.keeps("max_completion_tokens")) {
                    g.writeNumberField("max_completion_tokens", r.maxCompletionTokens().getAsInt());
                }
            } else if (!hasMax) {
                movedLimit = "max_tokens";
                movedLimitValue = r.maxCompletionTokens().getAsInt();
            }
        }
        List<String> stop = r.stop();
        if (!stop.isEmpty() && shape.keeps("stop")) {
            if (r.isStopString()) {
                g.writeStringField("stop", stop.get(0));
            } else {
                g.writeArrayFieldStart("stop");
                for (String s : stop) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
        }
        if (r.n().isPresent() && shape.keeps("n")) {
            g.writeNumberField("n", r.n().getAsInt());
        }
        String seedField = shape.seedField();
        boolean seedRenamed = !"seed".equals(seedField);
        boolean seedPending = r.seed().isPresent() && seedRenamed;
        if (r.seed().isPresent() && !seedRenamed && shape.keeps("seed")) {
            g.writeNumberField("seed", r.seed().getAsLong());
        }
        if (r.presencePenalty().isPresent() && shape.keeps("presence_penalty")) {
            g.writeNumberField("presence_penalty", r.presencePenalty().getAsDouble());
        }
        if (r.frequencyPenalty().isPresent() && shape.keeps("frequency_penalty")) {
            g.writeNumberField("frequency_penalty", r.frequencyPenalty().getAsDouble());
        }
        if (r.user().isPresent() && shape.keeps("user")) {
            g.writeStringField("user", r.user().get());
        }
        if (!r.tools().isEmpty() && shape.keeps("tools")) {
            g.writeArrayFieldStart("tools");
            for (Tool t : r.tools()) {
                writeTool(t, g);
            }
            g.writeEndArray();
        }
        if (r.toolChoice().isPresent() && shape.keeps("tool_choice")) {
            g.writeFieldName("tool_choice");
            writeToolChoice(r.toolChoice().get(), g);
        }
        if (r.parallelToolCalls().isPresent() && shape.keeps("parallel_tool_calls")) {
            g.writeBooleanField("parallel_tool_calls", r.parallelToolCalls().get());
        }
        if (r.responseFormat().isPresent() && shape.keeps("response_format")) {
            g.writeFieldName("response_format");
            writeResponseFormat(r.responseFormat().get(), g);
        }
        StreamMode streamMode = shape.stream();
        if (r.stream() && streamMode != StreamMode.NON_STREAMING && shape.keeps("stream")) {
            g.writeBooleanField("stream", true);
        }
        if (r.streamOptions().isPresent() && streamMode != StreamMode.NON_STREAMING && shape.keeps("stream_options")) {
            g.writeObjectFieldStart("stream_options");
            g.writeBooleanField("include_usage", r.streamOptions().get().includeUsage());
            g.writeEndObject();
        }
        if (!r.metadata().isEmpty() && shape.keeps("metadata")) {
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> e : r.metadata().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        Map<String, JsonNode> extra = r.extraBody();
        for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
            String key = e.getKey();
            if (!shape.keeps(key)) {
                continue;
            }
            if (seedPending && key.equals(seedField)) {
                g.writeNumberField(key, r.seed().getAsLong()); // the renamed seed replaces it in place
                seedPending = false;
            } else {
                g.writeFieldName(key);
                g.writeTree(e.getValue());
            }
        }
        if (streamMode == StreamMode.STREAMING) {
            if (!r.stream() && shape.keeps("stream")) {
                g.writeBooleanField("stream", true);
            }
            if (r.streamOptions().isEmpty() && shape.keeps("stream_options")) {
                g.writeObjectFieldStart("stream_options");
                g.writeBooleanField("include_usage", true);
                g.writeEndObject();
            }
        }
        if (movedLimit != null && shape.keeps(movedLimit)) {
            g.writeNumberField(movedLimit, movedLimitValue);
        }
        if (seedPending && shape.keeps(seedField)) {
            g.writeNumberField(seedField, r.seed().getAsLong());
        }
        g.writeEndObject();
    }

    private static void writeMessage(Message m, boolean developerAsSystem, JsonGenerator g) throws IOException {
        g.writeStartObject();
        Role role = m.role();
        g.writeFieldName(ROLE_FIELD);
        g.writeString(developerAsSystem && "developer".equals(role.wireValue()) ? SYSTEM_ROLE
                : ROLE_VALUES[role.ordinal()]);
        if (m.isMultipart()) {
            g.writeArrayFieldStart("content");
            for (ContentPart part : m.contentParts()) {
                g.writeStartObject();
                g.writeStringField("type", part.type());
                if (part instanceof TextPart t) {
                    g.writeStringField("text", t.text());
                } else if (part instanceof ImagePart i) {
                    g.writeObjectFieldStart("image_url");
                    g.writeStringField("url", i.url());
                    if (i.detail().isPresent()) {
                        g.writeStringField("detail", i.detail().get().wireValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (m.hasContent()) {
            g.writeFieldName(CONTENT_FIELD);
            g.writeString(m.text());
        } else if (role == Role.ASSISTANT) {
            g.writeNullField("content");
        }
        if (m.name().isPresent()) {
            g.writeStringField("name", m.name().get());
        }
        if (m.refusal().isPresent()) {
            g.writeStringField("refusal", m.refusal().get());
        }
        if (m.reasoningContent().isPresent()) {
            g.writeStringField(Message.REASONING_CONTENT, m.reasoningContent().get());
        }
        if (!m.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                g.writeStringField("type", c.type());
                g.writeObjectFieldStart("function");
                g.writeStringField("name", c.name());
                g.writeStringField("arguments", c.arguments());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (m.toolCallId().isPresent()) {
            g.writeStringField("tool_call_id", m.toolCallId().get());
        }
        Map<String, JsonNode> extra = m.extraFields();
        if (!extra.isEmpty()) {
            for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
        }
        g.writeEndObject();
    }

    private static void writeTool(Tool tool, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", tool.type());
        g.writeObjectFieldStart("function");
        g.writeStringField("name", tool.name());
        if (tool.description().isPresent()) {
            g.writeStringField("description", tool.description().get());
        }
        if (tool.parameters().isPresent()) {
            g.writeFieldName("parameters");
            g.writeTree(tool.parameters().get());
        }
        if (tool.strict().isPresent()) {
            g.writeBooleanField("strict", tool.strict().get());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeToolChoice(ToolChoice choice, JsonGenerator g) throws IOException {
        switch (choice.mode()) {
            case NONE -> g.writeString("none");
            case AUTO -> g.writeString("auto");
            case REQUIRED -> g.writeString("required");
            case FUNCTION -> {
                g.writeStartObject();
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", choice.functionName().orElseThrow());
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }

    private static void writeResponseFormat(ResponseFormat format, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", format.type().wireValue());
        if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
            g.writeObjectFieldStart("json_schema");
            if (format.name().isPresent()) {
                g.writeStringField("name", format.name().get());
            }
            if (format.description().isPresent()) {
                g.writeStringField("description", format.description().get());
            }
            if (format.schema().isPresent()) {
                g.writeFieldName("schema");
                g.writeTree(format.schema().get());
            }
            if (format.strict().isPresent()) {
                g.writeBooleanField("strict", format.strict().get());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * The request as OpenAI's JSON body text.
     *
     * @param request the request
     * @return compact JSON
     * @throws NullPointerException if {@code request} is null
     */
    public static String requestToJson(ChatRequest request) {
        return toJson(writeRequest(request));
    }

    /**
     * Reads an OpenAI chat-completions request body.
     *
     * @param json the body
     * @return the request
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     */
    public static ChatRequest readRequest(String json) {
        return readRequest(parse(json));
    }

    /**
     * Reads an OpenAI chat-completions request body.
     *
     * @param json the body's tree; not changed
     * @return the request
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     */
    public static ChatRequest readRequest(JsonNode json) {
        Objects.requireNonNull(json, "json");
        ObjectNode root = object(json, Path.ROOT);
        String model = string(required(root, "model", Path.ROOT), Path.ROOT.field("model"));
        ChatRequest.Builder b;
        try {
            b = ChatRequest.builder(model);
        } catch (IllegalArgumentException e) {
            throw error(Path.ROOT.field("model"), e);
        }
        required(root, "messages", Path.ROOT);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull() && !ChatRequest.TYPED_FIELDS.contains(key) && !"tags".equals(key)) {
                b.putExtraBody(key, v);
                continue;
            }
            if (v.isNull()) {
                continue;
            }
            Path p = Path.ROOT.field(key);
            try {
                switch (key) {
                    case "model" -> {
                        // read above
                    }
                    case "messages" -> {
                        ArrayNode a = array(v, p);
                        List<Message> messages = new ArrayList<>(a.size());
                        for (int i = 0; i < a.size(); i++) {
                            messages.add(readMessage(a.get(i), p.index(i), false));
                        }
                        b.messages(messages);
                    }
                    case "temperature" -> b.temperature(number(v, p));
                    case "top_p" -> b.topP(number(v, p));
                    case "max_tokens" -> b.maxTokens(integer(v, p));
                    case "max_completion_tokens" -> b.maxCompletionTokens(integer(v, p));
                    case "stop" -> readStop(v, p, b);
                    case "n" -> b.n(integer(v, p));
                    case "seed" -> b.seed(longInteger(v, p));
                    case "presence_penalty" -> b.presencePenalty(number(v, p));
                    case "frequency_penalty" -> b.frequencyPenalty(number(v, p));
                    case "user" -> b.user(string(v, p));
                    case "tools" -> {
                        ArrayNode a = array(v, p);
                        List<Tool> tools = new ArrayList<>(a.size());
                        for (int i = 0; i < a.size(); i++) {
                            tools.add(readTool(a.get(i), p.index(i)));
                        }
                        b.tools(tools);
                    }
                    case "tool_choice" -> b.toolChoice(readToolChoice(v, p));
                    case "parallel_tool_calls" -> b.parallelToolCalls(bool(v, p));
                    case "response_format" -> b.responseFormat(readResponseFormat(v, p));
                    case "stream" -> b.stream(bool(v, p));
                    case "stream_options" -> {
                        JsonNode include = object(v, p).get("include_usage");
                        boolean includeUsage = include != null && !include.isNull()
                                && bool(include, p.field("include_usage"));
                        b.streamOptions(StreamOptions.includeUsage(includeUsage));
                    }
                    case "metadata" -> readMetadata(v, p, b);
                    case "tags" -> readTags(v, p, b);
                    default -> b.putExtraBody(key, v);
                }
            } catch (PathException ex) {
                throw ex;
            } catch (IllegalArgumentException | IllegalStateException ex) {
                throw error(p, ex);
            }
        }
        return b.build();
    }

    private static void readStop(JsonNode v, Path p, ChatRequest.Builder b) {
        if (v.isTextual()) {
            b.stop(v.textValue());
            return;
        }
        ArrayNode a = array(v, p, "a string or an array of strings");
        List<String> stop = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            stop.add(string(a.get(i), p.index(i)));
        }
        b.stop(stop);
    }

    private static void readMetadata(JsonNode v, Path p, ChatRequest.Builder b) {
        for (Map.Entry<String, JsonNode> e : object(v, p).properties()) {
            JsonNode value = e.getValue();
            if ("tags".equals(e.getKey()) && value.isArray()) {
                readTags(value, p.field("tags"), b);
            } else if (value.isTextual()) {
                try {
                    b.putMetadata(e.getKey(), value.textValue());
                } catch (IllegalArgumentException ex) {
                    throw error(p.field(e.getKey()), ex);
                }
            }
        }
    }

    private static void readTags(JsonNode v, Path p, ChatRequest.Builder b) {
        ArrayNode a = array(v, p);
        for (int i = 0; i < a.size(); i++) {
            try {
                b.addTag(string(a.get(i), p.index(i)));
            } catch (PathException ex) {
                throw ex;
            } catch (IllegalArgumentException ex) {
                throw error(p.index(i), ex);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- messages

    private static ObjectNode writeMessage(Message m, boolean inResponse) {
        ObjectNode o = NODES.objectNode();
        o.put("role", m.role().wireValue());
        if (m.isMultipart()) {
            ArrayNode parts = o.putArray("content");
            for (ContentPart part : m.contentParts()) {
                parts.add(writePart(part));
            }
        } else if (m.hasContent()) {
            o.put("content", m.text());
        } else if (m.role() == Role.ASSISTANT) {
            o.putNull("content");
        }
        m.name().ifPresent(n -> o.put("name", n));
        if (m.refusal().isPresent()) {
            o.put("refusal", m.refusal().get());
        } else if (inResponse) {
            o.putNull("refusal");
        }
        m.reasoningContent().ifPresent(r -> o.put(Message.REASONING_CONTENT, r));
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = o.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                ObjectNode call = calls.addObject();
                call.put("id", c.id());
                call.put("type", c.type());
                ObjectNode function = call.putObject("function");
                function.put("name", c.name());
                function.put("arguments", c.arguments());
            }
        }
        m.toolCallId().ifPresent(id -> o.put("tool_call_id", id));
        m.extraFields().forEach(o::set);
        return o;
    }

    private static ObjectNode writePart(ContentPart part) {
        ObjectNode o = NODES.objectNode();
        o.put("type", part.type());
        if (part instanceof TextPart t) {
            o.put("text", t.text());
        } else if (part instanceof ImagePart i) {
            ObjectNode image = o.putObject("image_url");
            image.put("url", i.url());
            i.detail().ifPresent(d -> image.put("detail", d.wireValue()));
        }
        return o;
    }

    private static Message readMessage(JsonNode n, Path p, boolean inResponse) {
        ObjectNode o = object(n, p);
        JsonNode roleNode = o.get("role");
        Role role;
        if (roleNode == null || roleNode.isNull()) {
            if (!inResponse) {
                throw error(p.field("role"), "is missing");
            }
            role = Role.ASSISTANT;
        } else {
            try {
                role = Role.fromWire(string(roleNode, p.field("role")));
            } catch (PathException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw error(p.field("role"), e);
            }
        }
        Message.Builder b = Message.builder(role);
        boolean hasSomething = false;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            Path fp = p.field(key);
            try {
                switch (key) {
                    case "role" -> {
                        // read above
                    }
                    case "content" -> {
                        if (v.isTextual()) {
                            b.content(v.textValue());
                            hasSomething = true;
                        } else if (v.isArray()) {
                            List<ContentPart> parts = new ArrayList<>(v.size());
                            for (int i = 0; i < v.size(); i++) {
                                parts.add(readPart(v.get(i), fp.index(i)));
                            }
                            b.contentParts(parts);
                            hasSomething = true;
                        } else if (!v.isNull()) {
                            throw error(fp, "expected a string, an array or null, was " + describe(v));
                        }
                    }
                    case "name" -> {
                        if (!v.isNull()) {
                            b.name(string(v, fp));
                        }
                    }
                    case "refusal" -> {
                        if (!v.isNull()) {
                            b.refusal(string(v, fp));
                            hasSomething = true;
                        }
                    }
                    case "tool_calls" -> {
                        if (!v.isNull()) {
                            ArrayNode a = array(v, fp);
                            for (int i = 0; i < a.size(); i++) {
                                b.addToolCall(readToolCall(a.get(i), fp.index(i)));
                                hasSomething = true;
                            }
                        }
                    }
                    case "tool_call_id" -> {
                        if (!v.isNull()) {
                            b.toolCallId(string(v, fp));
                        }
                    }
                    case Message.REASONING_CONTENT -> {
                        if (!v.isNull()) {
                            b.reasoningContent(string(v, fp));
                            hasSomething = true;
                        }
                    }
                    default -> {
                        b.putExtraField(key, v);
                        hasSomething = true;
                    }
                }
            } catch (PathException ex) {
                throw ex;
            } catch (IllegalArgumentException | IllegalStateException ex) {
                throw error(fp, ex);
            }
        }
        if (inResponse && !hasSomething) {
            // No content, tool call, refusal or other field (e.g. a content-filtered answer): empty text.
            b.content("");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw error(p, ex);
        }
    }

    private static ContentPart readPart(JsonNode n, Path p) {
        ObjectNode o = object(n, p);
        String type = string(required(o, "type", p), p.field("type"));
        switch (type) {
            case TextPart.TYPE -> {
                return TextPart.of(string(required(o, "text", p), p.field("text")));
            }
            case ImagePart.TYPE -> {
                Path ip = p.field("image_url");
                ObjectNode image = object(required(o, "image_url", p), ip);
                String url = string(required(image, "url", ip), ip.field("url"));
                JsonNode detail = image.get("detail");
                try {
                    if (detail == null || detail.isNull()) {
                        return ImagePart.of(url);
                    }
                    return ImagePart.of(url, ImageDetail.fromWire(string(detail, ip.field("detail"))));
                } catch (PathException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw error(detail == null ? ip.field("url") : ip.field("detail"), e);
                }
            }
            default -> throw error(p.field("type"), "unsupported content part type '" + type
                    + "', expected text or image_url");
        }
    }

    private static ToolCall readToolCall(JsonNode n, Path p) {
        ObjectNode o = object(n, p);
        String id = string(required(o, "id", p), p.field("id"));
        JsonNode type = o.get("type");
        if (type != null && !type.isNull() && !ToolCall.TYPE_FUNCTION.equals(string(type, p.field("type")))) {
            throw error(p.field("type"), "unsupported tool call type '" + type.textValue() + "', expected function");
        }
        Path fp = p.field("function");
        ObjectNode function = object(required(o, "function", p), fp);
        String name = string(required(function, "name", fp), fp.field("name"));
        String arguments = string(required(function, "arguments", fp), fp.field("arguments"));
        try {
            return ToolCall.of(id, name, arguments);
        } catch (IllegalArgumentException e) {
            throw error(p, e);
        }
    }

    // ---------------------------------------------------------------------------------------- tools

    private static ObjectNode writeTool(Tool tool) {
        ObjectNode o = NODES.objectNode();
        o.put("type", tool.type());
        ObjectNode function = o.putObject("function");
        function.put("name", tool.name());
        tool.description().ifPresent(d -> function.put("description", d));
        tool.parameters().ifPresent(s -> function.set("parameters", s));
        tool.strict().ifPresent(s -> function.put("strict", s));
        return o;
    }

    private static Tool readTool(JsonNode n, Path p) {
        ObjectNode o = object(n, p);
        JsonNode type = o.get("type");
        if (type != null && !type.isNull() && !Tool.TYPE_FUNCTION.equals(string(type, p.field("type")))) {
            throw error(p.field("type"), "unsupported tool type '" + type.textValue() + "', expected function");
        }
        Path fp = p.field("function");
        ObjectNode function = object(required(o, "function", p), fp);
        Path np = fp.field("name");
        Tool.Builder b;
        try {
            b = Tool.builder(string(required(function, "name", fp), np));
        } catch (PathException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(np, e);
        }
        JsonNode description = function.get("description");
        if (description != null && !description.isNull()) {
            b.description(string(description, fp.field("description")));
        }
        JsonNode parameters = function.get("parameters");
        if (parameters != null && !parameters.isNull()) {
            b.parameters(object(parameters, fp.field("parameters")));
        }
        JsonNode strict = function.get("strict");
        if (strict != null && !strict.isNull()) {
            b.strict(bool(strict, fp.field("strict")));
        }
        return b.build();
    }

    private static JsonNode writeToolChoice(ToolChoice choice) {
        return switch (choice.mode()) {
            case NONE -> NODES.textNode("none");
            case AUTO -> NODES.textNode("auto");
            case REQUIRED -> NODES.textNode("required");
            case FUNCTION -> {
                ObjectNode o = NODES.objectNode();
                o.put("type", "function");
                o.putObject("function").put("name", choice.functionName().orElseThrow());
                yield o;
            }
        };
    }

    private static ToolChoice readToolChoice(JsonNode v, Path p) {
        if (v.isTextual()) {
            return switch (v.textValue()) {
                case "none" -> ToolChoice.none();
                case "auto" -> ToolChoice.auto();
                case "required" -> ToolChoice.required();
                default -> throw error(p, "unknown tool choice '" + v.textValue()
                        + "', expected none, auto, required or a function object");
            };
        }
        ObjectNode o = object(v, p, "a string or an object");
        String type = string(required(o, "type", p), p.field("type"));
        if (!"function".equals(type)) {
            throw error(p.field("type"), "unsupported tool choice type '" + type + "', expected function");
        }
        Path fp = p.field("function");
        ObjectNode function = object(required(o, "function", p), fp);
        return ToolChoice.function(string(required(function, "name", fp), fp.field("name")));
    }

    private static ObjectNode writeResponseFormat(ResponseFormat format) {
        ObjectNode o = NODES.objectNode();
        o.put("type", format.type().wireValue());
        if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
            ObjectNode schema = o.putObject("json_schema");
            format.name().ifPresent(n -> schema.put("name", n));
            format.description().ifPresent(d -> schema.put("description", d));
            format.schema().ifPresent(s -> schema.set("schema", s));
            format.strict().ifPresent(s -> schema.put("strict", s));
        }
        return o;
    }

    private static ResponseFormat readResponseFormat(JsonNode v, Path p) {
        ObjectNode o = object(v, p);
        Path tp = p.field("type");
        ResponseFormat.Type type;
        try {
            type = ResponseFormat.Type.fromWire(string(required(o, "type", p), tp));
        } catch (PathException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(tp, e);
        }
        switch (type) {
            case TEXT -> {
                return ResponseFormat.text();
            }
            case JSON_OBJECT -> {
                return ResponseFormat.jsonObject();
            }
            default -> {
                Path sp = p.field("json_schema");
                ObjectNode js = object(required(o, "json_schema", p), sp);
                Path np = sp.field("name");
                ResponseFormat.Builder b;
                try {
                    b = ResponseFormat.builder(string(required(js, "name", sp), np));
                } catch (PathException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw error(np, e);
                }
                JsonNode description = js.get("description");
                if (description != null && !description.isNull()) {
                    b.description(string(description, sp.field("description")));
                }
                JsonNode schema = js.get("schema");
                if (schema != null && !schema.isNull()) {
                    b.schema(object(schema, sp.field("schema")));
                }
                JsonNode strict = js.get("strict");
                if (strict != null && !strict.isNull()) {
                    b.strict(bool(strict, sp.field("strict")));
                }
                return b.build();
            }
        }
    }

    // ---------------------------------------------------------------------------------------- responses

    /**
     * The response as OpenAI's JSON body; the router's cost and routing are not written. The caller
     * may change the returned tree.
     *
     * @param response the response
     * @return a new tree
     * @throws NullPointerException if {@code response} is null
     */
    public static ObjectNode writeResponse(ChatResponse response) {
        Objects.requireNonNull(response, "response");
        ObjectNode o = NODES.objectNode();
        o.put("id", response.id());
        o.put("object", response.object());
        o.put("created", response.created());
        o.put("model", response.model());
        ArrayNode choices = o.putArray("choices");
        for (Choice c : response.choices()) {
            ObjectNode choice = choices.addObject();
            choice.put("index", c.index());
            choice.set("message", writeMessage(c.message(), true));
            choice.set("logprobs", c.logprobs().orElseGet(NODES::nullNode));
            choice.put("finish_reason", finishReasonToWrite(c));
            c.extraFields().forEach(choice::set);
        }
        response.usage().ifPresent(u -> o.set("usage", writeUsage(u)));
        response.systemFingerprint().ifPresent(f -> o.put("system_fingerprint", f));
        response.serviceTier().ifPresent(t -> o.put("service_tier", t));
        response.extraFields().forEach(o::set);
        return o;
    }

    private static String finishReasonToWrite(Choice c) {
        String raw = c.rawFinishReason();
        return FinishReason.fromWire(raw) == c.finishReason() ? raw : c.finishReason().wireValue();
    }

    /**
     * The response as OpenAI's JSON body text.
     *
     * @param response the response
     * @return compact JSON
     * @throws NullPointerException if {@code response} is null
     */
    public static String responseToJson(ChatResponse response) {
        return toJson(writeResponse(response));
    }

    /**
     * Reads an OpenAI chat-completions response body (not a stream chunk).
     *
     * @param json the body
     * @return the response, with the default (unpriced) cost and no routing information
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     */
    public static ChatResponse readResponse(String json) {
        return readResponse(parse(json));
    }

    /**
     * Reads an OpenAI chat-completions response body (not a stream chunk).
     *
     * @param json the body's tree; not changed
     * @return the response, with the default (unpriced) cost and no routing information
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     */
    public static ChatResponse readResponse(JsonNode json) {
        Objects.requireNonNull(json, "json");
        ObjectNode root = object(json, Path.ROOT);
        ChatResponse.Builder b = ChatResponse.builder();
        Path idPath = Path.ROOT.field("id");
        Path modelPath = Path.ROOT.field("model");
        try {
            b.id(string(required(root, "id", Path.ROOT), idPath));
        } catch (PathException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(idPath, e);
        }
        try {
            b.model(string(required(root, "model", Path.ROOT), modelPath));
        } catch (PathException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(modelPath, e);
        }
        Path choicesPath = Path.ROOT.field("choices");
        ArrayNode choices = array(required(root, "choices", Path.ROOT), choicesPath);
        if (choices.isEmpty()) {
            throw error(choicesPath, "expected at least one choice, was empty");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            Path p = Path.ROOT.field(key);
            try {
                switch (key) {
                    case "id", "model", "object" -> {
                        // id and model read above; object is always chat.completion
                    }
                    case "created" -> {
                        if (!v.isNull()) {
                            b.created(longInteger(v, p));
                        }
                    }
                    case "choices" -> {
                        for (int i = 0; i < choices.size(); i++) {
                            b.addChoice(readChoice(choices.get(i), p.index(i), i));
                        }
                    }
                    case "usage" -> {
                        if (!v.isNull()) {
                            b.usage(readUsage(v, p, root.get("service_tier")));
                        }
                    }
                    case "system_fingerprint" -> {
                        if (!v.isNull()) {
                            b.systemFingerprint(string(v, p));
                        }
                    }
                    case "service_tier" -> {
                        if (!v.isNull()) {
                            b.serviceTier(string(v, p));
                        }
                    }
                    default -> b.putExtraField(key, v);
                }
            } catch (PathException ex) {
                throw ex;
            } catch (IllegalArgumentException | IllegalStateException ex) {
                throw error(p, ex);
            }
        }
        return b.build();
    }

    /**
     * Reads a common OpenAI chat-completions answer straight from its UTF-8 bytes with a streaming
     * parser, without building a tree of the whole body: the adapters' hot path. The result, when
     * there is one, equals {@code readResponse(parse(utf8))} (with {@code model} set as described
     * below). It is null whenever the body is not the common shape or is wrong in any way (content
     * parts, a floating-point count, a key given twice, a null {@code finish_reason}, malformed JSON,
     * trailing content...): the caller then reads the same bytes with {@link #parse(byte[])} and
     * {@link #readResponse(JsonNode)}, which give the exact result or the exact error with its JSON
     * path. No JSON path is built while reading.
     *
     * @param utf8 the body (not modified)
     * @param missingModel the model taken when the body's {@code model} is missing, null or empty
     *     (as Azure's {@code AzureCalls.withModel} does), or null when the body must name it
     * @param keepUsageTree whether to keep the {@code usage} object as a tree in the result, for
     *     vendor fields read from it
     * @return the answer, or null to read the bytes with the tree reader instead
     * @throws NullPointerException if {@code utf8} is null
     */
    public static FastResponse readResponseFast(byte[] utf8, String missingModel, boolean keepUsageTree) {
        Objects.requireNonNull(utf8, "utf8");
        return BYTES_READER.read(utf8, missingModel, keepUsageTree);
    }

    /**
     * An answer read by {@link #readResponseFast}.
     *
     * @param response the response, as {@link #readResponse(JsonNode)} reads it
     * @param usage the {@code usage} object as a tree when asked for and present, else null
     */
    public record FastResponse(ChatResponse response, JsonNode usage) {
    }

    /** The usage tree read with the answer's {@code service_tier} node (or null), for the bytes reader. */
    static Usage readUsage(JsonNode usage, JsonNode answerTier) {
        return readUsage(usage, Path.ROOT.field("usage"), answerTier);
    }

    private static Choice readChoice(JsonNode n, Path p, int position) {
        ObjectNode o = object(n, p);
        Choice.Builder b = Choice.builder().index(position);
        object(required(o, "message", p), p.field("message"));
        JsonNode finish = o.get("finish_reason");
        if (finish == null || finish.isNull()) {
            throw error(p.field("finish_reason"), finish == null ? "is missing"
                    : "must not be null in a complete (non-streamed) response");
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            Path fp = p.field(key);
            try {
                switch (key) {
                    case "index" -> {
                        if (!v.isNull()) {
                            b.index(integer(v, fp));
                        }
                    }
                    case "message" -> b.message(readMessage(v, fp, true));
                    case "finish_reason" -> {
                        String raw = string(v, fp);
                        b.finishReason(FinishReason.fromWire(raw)).rawFinishReason(raw);
                    }
                    case "logprobs" -> {
                        if (!v.isNull()) {
                            b.logprobs(v);
                        }
                    }
                    default -> b.putExtraField(key, v);
                }
            } catch (PathException ex) {
                throw ex;
            } catch (IllegalArgumentException | IllegalStateException ex) {
                throw error(fp, ex);
            }
        }
        return b.build();
    }

    // ---------------------------------------------------------------------------------------- embeddings

    /** The {@code encoding_format} written into every embeddings request. */
    public static final String EMBEDDING_ENCODING_FORMAT = "base64";

    /**
     * The embeddings request as OpenAI's {@code /v1/embeddings} body:
     * {@code {"model","input":[...],"dimensions"?,"encoding_format":"base64","user"?}} with the
     * request's {@link EmbeddingRequest#extraBody()} merged into the top level; tags are never
     * written. {@code input} is always an array, even for one text. The caller may change the
     * returned tree.
     *
     * @param request the request, whose model is the provider's model name
     * @return a new tree
     * @throws NullPointerException if {@code request} is null
     * @since 0.1.0
     */
    public static ObjectNode writeEmbeddingRequest(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode o = NODES.objectNode();
        o.put("model", request.model());
        ArrayNode input = o.putArray("input");
        request.inputs().forEach(input::add);
        if (request.dimensions().isPresent()) {
            o.put("dimensions", request.dimensions().getAsInt());
        }
        o.put("encoding_format", EMBEDDING_ENCODING_FORMAT);
        request.user().ifPresent(u -> o.put("user", u));
        request.extraBody().forEach(o::set);
        return o;
    }

    /**
     * The embeddings request as OpenAI's {@code /v1/embeddings} body, as UTF-8 bytes written with a
     * streaming generator: the same bytes as {@link #writeEmbeddingRequest(EmbeddingRequest)}'s tree
     * serialized, without building the tree.
     *
     * @param request the request, whose model is the provider's model name
     * @return compact UTF-8 JSON
     * @throws NullPointerException if {@code request} is null
     * @throws UncheckedIOException if a value cannot be written (not expected for a built request)
     */
    public static byte[] writeEmbeddingRequestBytes(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        ByteArrayBuilder out = BODY_BUFFER.get();
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", request.model());
            g.writeArrayFieldStart("input");
            for (String input : request.inputs()) {
                g.writeString(input);
            }
            g.writeEndArray();
            if (request.dimensions().isPresent()) {
                g.writeNumberField("dimensions", request.dimensions().getAsInt());
            }
            g.writeStringField("encoding_format", EMBEDDING_ENCODING_FORMAT);
            if (request.user().isPresent()) {
                g.writeStringField("user", request.user().get());
            }
            for (Map.Entry<String, JsonNode> e : request.extraBody().entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            out.reset();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            out.reset();
            throw e;
        }
        return takeBody(out);
    }

    /**
     * The embeddings request as OpenAI's {@code /v1/embeddings} body text; see
     * {@link #writeEmbeddingRequest(EmbeddingRequest)}.
     *
     * @param request the request, whose model is the provider's model name
     * @return compact JSON
     * @throws NullPointerException if {@code request} is null
     */
    public static String embeddingRequestToJson(EmbeddingRequest request) {
        return toJson(writeEmbeddingRequest(request));
    }

    /**
     * Reads an OpenAI {@code /v1/embeddings} response body. Each item's {@code embedding} is decoded
     * from base64 (little-endian float32, as openai-python decodes it) when it is a string, and read
     * as numbers when it is an array. A missing {@code index} is the item's position. {@code usage}
     * becomes a {@link Usage} with {@code prompt_tokens}, no completion tokens and the stated
     * {@code total_tokens}; an absent or null {@code usage} leaves it empty. Other fields
     * ({@code object}) are ignored.
     *
     * @param json the body's tree; not changed
     * @return the response, with the default (unpriced) cost and no routing information
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed, e.g.
     *     {@code data[0].embedding: base64 text of 6 bytes is not a whole number of float32 values}
     * @since 0.1.0
     */
    public static EmbeddingResponse readEmbeddingResponse(JsonNode json) {
        Objects.requireNonNull(json, "json");
        ObjectNode root = object(json, Path.ROOT);
        EmbeddingResponse.Builder b = EmbeddingResponse.builder();
        Path modelPath = Path.ROOT.field("model");
        b.model(string(required(root, "model", Path.ROOT), modelPath));
        Path dataPath = Path.ROOT.field("data");
        ArrayNode data = array(required(root, "data", Path.ROOT), dataPath);
        for (int i = 0; i < data.size(); i++) {
            b.addEmbedding(readEmbedding(data.get(i), dataPath.index(i), i));
        }
        JsonNode usage = root.get("usage");
        if (usage != null && !usage.isNull()) {
            b.usage(readUsage(usage, Path.ROOT.field("usage"), null));
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw error(dataPath, e);
        }
    }

    /**
     * Reads an OpenAI {@code /v1/embeddings} response body; see {@link #readEmbeddingResponse(JsonNode)}.
     *
     * @param json the body
     * @return the response
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the JSON path when the body is malformed
     * @since 0.1.0
     */
    public static EmbeddingResponse readEmbeddingResponse(String json) {
        return readEmbeddingResponse(parse(json));
    }

    private static Embedding readEmbedding(JsonNode n, Path p, int position) {
        ObjectNode o = object(n, p);
        int index = position;
        JsonNode indexNode = o.get("index");
        if (indexNode != null && !indexNode.isNull()) {
            index = integer(indexNode, p.field("index"));
            if (index < 0) {
                throw error(p.field("index"), "must not be negative, was " + index);
            }
        }
        Path ep = p.field("embedding");
        JsonNode embedding = required(o, "embedding", p);
        float[] vector;
        if (embedding.isTextual()) {
            vector = decodeBase64Floats(embedding.textValue(), ep);
        } else if (embedding.isArray()) {
            vector = new float[embedding.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) number(embedding.get(i), ep.index(i));
            }
        } else {
            throw error(ep, "expected a base64 string or an array of numbers, was " + describe(embedding));
        }
        return Embedding.of(index, vector);
    }

    private static float[] decodeBase64Floats(String text, Path p) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw error(p, "not valid base64: " + e.getMessage());
        }
        if (bytes.length % Float.BYTES != 0) {
            throw error(p, "base64 text of " + bytes.length + " bytes is not a whole number of float32 values");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    // ---------------------------------------------------------------------------------------- usage

    /**
     * OpenAI's {@code usage} object for a usage: the three counts,
     * {@code prompt_tokens_details.cached_tokens} (and {@code cache_creation_tokens} and {@code audio_tokens}
     * when not zero), {@code completion_tokens_details.reasoning_tokens} (and {@code audio_tokens} when not
     * zero), and, when reported, Perplexity's {@code citation_tokens}, {@code num_search_queries} and
     * {@code search_context_size}. The service tier is not written: OpenAI states it on the response
     * ({@code service_tier}), from which {@link #readResponse} gives it back to the usage.
     *
     * @param usage the usage
     * @return a new tree
     * @throws NullPointerException if {@code usage} is null
     */
    public static ObjectNode writeUsage(Usage usage) {
        Objects.requireNonNull(usage, "usage");
        ObjectNode o = NODES.objectNode();
        o.put("prompt_tokens", usage.promptTokens());
        o.put("completion_tokens", usage.completionTokens());
        o.put("total_tokens", usage.totalTokens());
        ObjectNode prompt = o.putObject("prompt_tokens_details");
        prompt.put("cached_tokens", usage.cachedTokens());
        if (usage.cacheCreationTokens() != 0) {
            prompt.put("cache_creation_tokens", usage.cacheCreationTokens());
        }
        if (usage.audioPromptTokens() != 0) {
            prompt.put("audio_tokens", usage.audioPromptTokens());
        }
        ObjectNode completion = o.putObject("completion_tokens_details");
        completion.put("reasoning_tokens", usage.reasoningTokens());
        if (usage.audioCompletionTokens() != 0) {
            completion.put("audio_tokens", usage.audioCompletionTokens());
        }
        if (usage.citationTokens() != 0) {
            o.put("citation_tokens", usage.citationTokens());
        }
        if (usage.searchQueries() != 0) {
            o.put("num_search_queries", usage.searchQueries());
        }
        usage.searchContextSize().ifPresent(size -> o.put("search_context_size", size));
        return o;
    }

    /**
     * Reads OpenAI's {@code usage} object (also found on the last chunk of a stream). Missing or null
     * counts and details are 0; integral floating-point counts such as {@code 18.0} are accepted.
     *
     * <p>Besides OpenAI's fields it reads {@code prompt_tokens_details.audio_tokens} and
     * {@code completion_tokens_details.audio_tokens} (audio), Perplexity's top-level {@code citation_tokens},
     * {@code num_search_queries}, {@code search_context_size} and {@code reasoning_tokens} (the latter only
     * when {@code completion_tokens_details.reasoning_tokens} is absent), and a {@code service_tier} inside
     * {@code usage}. Counts are taken as reported: whether reasoning is inside {@code completion_tokens} is
     * the vendor's convention, which its adapter normalizes (see {@link Usage}).
     *
     * @param json the {@code usage} object
     * @return the usage
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the path (from {@code usage}) when it is malformed
     */
    public static Usage readUsage(JsonNode json) {
        Objects.requireNonNull(json, "json");
        return readUsage(json, Path.ROOT.field("usage"), null);
    }

    /**
     * The usage with the answer's {@code service_tier} (a top-level field of OpenAI's responses and chunks),
     * unless the usage already states one; the usage itself when {@code tier} is null, JSON null or not text.
     *
     * @param usage the usage read from the answer
     * @param tier  the answer's {@code service_tier} node, or null when absent
     * @return the usage, carrying the tier that selects its prices
     * @throws NullPointerException if {@code usage} is null
     */
    public static Usage withServiceTier(Usage usage, JsonNode tier) {
        Objects.requireNonNull(usage, "usage");
        if (tier == null || !tier.isTextual() || usage.serviceTier().isPresent()) {
            return usage;
        }
        return usage.toBuilder().serviceTier(tier.asText()).build();
    }

    /**
     * The usage at {@code p}; {@code answerTier} is the answer's top-level {@code service_tier} node (or
     * null), taken when the usage states none, read here so the usage is built once.
     */
    private static Usage readUsage(JsonNode n, Path p, JsonNode answerTier) {
        ObjectNode o = object(n, p);
        Usage.Builder u = Usage.builder();
        u.promptTokens(count(o, "prompt_tokens", p));
        u.completionTokens(count(o, "completion_tokens", p));
        JsonNode total = o.get("total_tokens");
        if (total != null && !total.isNull()) {
            u.totalTokens(count(o, "total_tokens", p));
        }
        JsonNode prompt = o.get("prompt_tokens_details");
        if (prompt != null && !prompt.isNull()) {
            Path dp = p.field("prompt_tokens_details");
            ObjectNode details = object(prompt, dp);
            u.cachedTokens(count(details, "cached_tokens", dp));
            u.cacheCreationTokens(count(details, "cache_creation_tokens", dp));
            u.audioPromptTokens(count(details, "audio_tokens", dp));
        }
        boolean reasoningInDetails = false;
        JsonNode completion = o.get("completion_tokens_details");
        if (completion != null && !completion.isNull()) {
            Path dp = p.field("completion_tokens_details");
            ObjectNode details = object(completion, dp);
            JsonNode reasoning = details.get("reasoning_tokens");
            reasoningInDetails = reasoning != null && !reasoning.isNull();
            u.reasoningTokens(count(details, "reasoning_tokens", dp));
            u.audioCompletionTokens(count(details, "audio_tokens", dp));
        }
        if (!reasoningInDetails) {
            u.reasoningTokens(count(o, "reasoning_tokens", p));
        }
        u.citationTokens(count(o, "citation_tokens", p));
        u.searchQueries(count(o, "num_search_queries", p));
        JsonNode size = o.get("search_context_size");
        if (size != null && !size.isNull()) {
            u.searchContextSize(string(size, p.field("search_context_size")));
        }
        JsonNode tier = o.get("service_tier");
        if (tier != null && !tier.isNull()) {
            u.serviceTier(string(tier, p.field("service_tier")));
        } else if (answerTier != null && answerTier.isTextual()) {
            u.serviceTier(answerTier.asText());
        }
        return u.build();
    }

    /** A non-negative token count; 0 when missing or null. */
    private static int count(ObjectNode o, String field, Path parent) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        Path p = parent.field(field);
        int count = integer(v, p);
        if (count < 0) {
            throw error(p, "must not be negative, was " + count);
        }
        return count;
    }

    // ---------------------------------------------------------------------------------------- typed access

    private static JsonNode required(ObjectNode o, String field, Path parent) {
        JsonNode v = o.get(field);
        if (v == null) {
            throw error(parent.field(field), "is missing");
        }
        if (v.isNull()) {
            throw error(parent.field(field), "must not be null");
        }
        return v;
    }

    private static ObjectNode object(JsonNode v, Path p) {
        return object(v, p, "an object");
    }

    private static ObjectNode object(JsonNode v, Path p, String expected) {
        if (v instanceof ObjectNode o) {
            return o;
        }
        throw error(p, "expected " + expected + ", was " + describe(v));
    }

    private static ArrayNode array(JsonNode v, Path p) {
        return array(v, p, "an array");
    }

    private static ArrayNode array(JsonNode v, Path p, String expected) {
        if (v instanceof ArrayNode a) {
            return a;
        }
        throw error(p, "expected " + expected + ", was " + describe(v));
    }

    private static String string(JsonNode v, Path p) {
        if (v.isTextual()) {
            return v.textValue();
        }
        throw error(p, "expected a string, was " + describe(v));
    }

    private static boolean bool(JsonNode v, Path p) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        throw error(p, "expected a boolean, was " + describe(v));
    }

    private static double number(JsonNode v, Path p) {
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw error(p, "expected a number, was " + describe(v));
    }

    private static int integer(JsonNode v, Path p) {
        if (v.isNumber() && v.canConvertToExactIntegral()) {
            if (v.canConvertToInt()) {
                return v.intValue();
            }
            throw error(p, "integer out of range, was " + describe(v));
        }
        throw error(p, "expected an integer, was " + describe(v));
    }

    private static long longInteger(JsonNode v, Path p) {
        if (v.isNumber() && v.canConvertToExactIntegral()) {
            if (v.canConvertToLong()) {
                return v.longValue();
            }
            throw error(p, "integer out of range, was " + describe(v));
        }
        throw error(p, "expected an integer, was " + describe(v));
    }

    /** A short description of a node for error messages; strings are not quoted, to keep content out of logs. */
    private static String describe(JsonNode v) {
        return switch (v.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING, BINARY -> "a string";
            case NUMBER -> "the number " + v.numberValue();
            case BOOLEAN -> v.booleanValue() ? "true" : "false";
            case NULL -> "null";
            case MISSING -> "missing";
        };
    }

    private static PathException error(Path p, String message) {
        return new PathException(p + ": " + message, null);
    }

    private static PathException error(Path p, RuntimeException cause) {
        return new PathException(p + ": " + cause.getMessage(), cause);
    }

    /** An input error that already names its JSON path, so outer levels pass it on unchanged. */
    private static final class PathException extends IllegalArgumentException {
        PathException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A JSON path, built cheaply while reading and turned into text only for an error message. */
    private static final class Path {
        static final Path ROOT = new Path(null, null, -1);

        private final Path parent;
        private final String field;
        private final int index;

        private Path(Path parent, String field, int index) {
            this.parent = parent;
            this.field = field;
            this.index = index;
        }

        Path field(String name) {
            return new Path(this, name, -1);
        }

        Path index(int i) {
            return new Path(this, null, i);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "$";
            }
            StringBuilder sb = new StringBuilder();
            append(sb);
            return sb.toString();
        }

        private void append(StringBuilder sb) {
            if (parent == null) {
                return;
            }
            parent.append(sb);
            if (field != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(field);
            } else {
                sb.append('[').append(index).append(']');
            }
        }
    }
}
