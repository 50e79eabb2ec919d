package io.llmrouter.providers.ollama.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.providers.internal.JsonKind;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Translates the library's OpenAI-shaped requests into Ollama's native {@code POST /api/chat} and
 * {@code POST /api/embed} bodies, and Ollama's answers back.
 *
 * <p>Request: {@code messages} stay in the list ({@code developer} → {@code system}); text parts
 * are joined with newlines into {@code content}; image parts go to the message's {@code images}
 * array as bare base64 (a {@code data:} URL's payload; an http(s) URL is refused: Ollama wants
 * the bytes); assistant tool calls as {@code tool_calls[{function{name, arguments: <object>}}]} (the
 * argument string parsed); tool results as {@code {"role":"tool","content","tool_name"}} (the name
 * found from the {@code tool_call_id} among the earlier assistant tool calls); assistant
 * {@code reasoningContent()} as {@code thinking}. {@code tools} in OpenAI's function format;
 * {@code tool_choice} {@code none} drops the tools, {@code auto} is the default, {@code required} and
 * a named function are refused (Ollama cannot force a call). {@code response_format}
 * {@code json_object} → {@code format: "json"}, {@code json_schema} → {@code format: <schema>};
 * {@code temperature}, {@code top_p}, {@code max_tokens} (else {@code max_completion_tokens}) as
 * {@code num_predict}, {@code stop}, {@code seed}, {@code presence_penalty},
 * {@code frequency_penalty} in {@code options}; {@code keep_alive} from the deployment; then
 * {@code stream}, then {@link ChatRequest#extraBody()} merged over the top level.
 *
 * <p>Stateless and thread-safe.
 */
public final class OllamaChatCodec {

    /** The prefix of generated tool-call ids (Ollama sends none): {@value}. */
    public static final String TOOL_CALL_ID_PREFIX = "call_";

    /** The prefix of generated response ids (Ollama sends none): {@value}. */
    public static final String RESPONSE_ID_PREFIX = "ollama-";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ID_LENGTH = 24;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final Set<String> READ_FIELDS = Set.of("model", "created_at", "message", "done", "done_reason",
            "prompt_eval_count", "eval_count");

    private OllamaChatCodec() {
    }

    // ------------------------------------------------------------------------------ chat request

    /**
     * The {@code /api/chat} body for {@code request}.
     *
     * @param request the request; its model is Ollama's model name
     * @param keepAlive the deployment's {@code keep_alive}, or null for none
     * @param stream whether the call streams
     * @return a new tree
     * @throws IllegalArgumentException naming the field when the request asks for something
     *     Ollama cannot do: an image by http(s) URL, a forced tool call, {@code n} above 1, tool-call
     *     arguments that are not a JSON object
     */
    public static ObjectNode writeRequest(ChatRequest request, String keepAlive, boolean stream) {
        ObjectNode o = NODES.objectNode();
        o.put("model", request.model());
        ArrayNode messages = o.putArray("messages");
        Map<String, String> toolNames = new HashMap<>();
        List<Message> list = request.messages();
        for (int i = 0; i < list.size(); i++) {
            messages.add(writeMessage(list.get(i), "messages[" + i + "]", toolNames));
        }
        writeTools(request, o);
        request.responseFormat().ifPresent(f -> writeFormat(f, o));
        ObjectNode options = NODES.objectNode();
        request.temperature().ifPresent(t -> options.put("temperature", t));
        request.topP().ifPresent(p -> options.put("top_p", p));
        if (request.maxTokens().isPresent()) {
            options.put("num_predict", request.maxTokens().getAsInt());
        } else if (request.maxCompletionTokens().isPresent()) {
            options.put("num_predict", request.maxCompletionTokens().getAsInt());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            request.stop().forEach(stop::add);
        }
        request.seed().ifPresent(s -> options.put("seed", s));
        request.presencePenalty().ifPresent(p -> options.put("presence_penalty", p));
        request.frequencyPenalty().ifPresent(p -> options.put("frequency_penalty", p));
        if (!options.isEmpty()) {
            o.set("options", options);
        }
        if (request.n().isPresent() && request.n().getAsInt() > 1) {
            throw new IllegalArgumentException("n " + request.n().getAsInt()
                    + " is not supported: Ollama returns one answer per request");
        }
        if (keepAlive != null) {
            o.put("keep_alive", keepAlive);
        }
        o.put("stream", stream);
        request.extraBody().forEach(o::set);
        return o;
    }

    private static ObjectNode writeMessage(Message m, String path, Map<String, String> toolNames) {
        ObjectNode o = NODES.objectNode();
        switch (m.role()) {
            case SYSTEM, DEVELOPER -> o.put("role", "system");
            case USER -> o.put("role", "user");
            case ASSISTANT -> o.put("role", "assistant");
            case TOOL -> o.put("role", "tool");
            default -> throw new AssertionError(m.role());
        }
        String content = m.isMultipart() ? null : m.text();
        if (m.isMultipart()) {
            StringBuilder text = new StringBuilder();
            ArrayNode images = NODES.arrayNode();
            List<ContentPart> parts = m.contentParts();
            for (int i = 0; i < parts.size(); i++) {
                ContentPart part = parts.get(i);
                if (part instanceof TextPart t) {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(t.text());
                } else if (part instanceof ImagePart image) {
                    images.add(base64Image(image.url(), path + ".content[" + i + "]"));
                }
            }
            content = text.toString();
            o.put("content", content);
            if (!images.isEmpty()) {
                o.set("images", images);
            }
        } else {
            o.put("content", content);
        }
        if (m.role() == Role.ASSISTANT) {
            if (m.text().isEmpty() && !m.isMultipart() && m.toolCalls().isEmpty() && m.refusal().isPresent()) {
                o.put("content", m.refusal().get());
            }
            m.reasoningContent().filter(r -> !r.isEmpty()).ifPresent(r -> o.put("thinking", r));
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = o.putArray("tool_calls");
                for (int i = 0; i < m.toolCalls().size(); i++) {
                    ToolCall c = m.toolCalls().get(i);
                    toolNames.put(c.id(), c.name());
                    ObjectNode function = calls.addObject().putObject("function");
                    function.put("name", c.name());
                    function.set("arguments", argumentsObject(c.arguments(), path + ".tool_calls[" + i + "]"));
                }
            }
        }
        if (m.role() == Role.TOOL) {
            String name = m.toolCallId().map(toolNames::get).orElse(null);
            if (name != null) {
                o.put("tool_name", name);
            }
        }
        return o;
    }

    /** The bare base64 of a {@code data:} URL; an http(s) URL is refused (Ollama takes bytes only). */
    static String base64Image(String url, String path) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            if (comma < 0 || !url.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw new IllegalArgumentException(path + ": a data: URL image must be base64-encoded "
                        + "(data:<type>;base64,<data>)");
            }
            return url.substring(comma + 1);
        }
        throw new IllegalArgumentException(path + ": Ollama takes images as bytes only; send the image as a "
                + "data: URL (data:image/png;base64,...), not by http(s) URL");
    }

    private static JsonNode argumentsObject(String arguments, String path) {
        JsonNode tree;
        try {
            tree = JSON.readTree(arguments.isBlank() ? "{}" : arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + ".function.arguments: not valid JSON", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(path + ".function.arguments: expected a JSON object (Ollama sends "
                    + "arguments as an object)");
        }
        return tree;
    }

    private static void writeTools(ChatRequest request, ObjectNode o) {
        ToolChoice choice = request.toolChoice().orElse(null);
        if (choice != null) {
            switch (choice.mode()) {
                case NONE -> {
                    return; // no tools: the model cannot call one
                }
                case AUTO -> {
                    // Ollama's only behaviour
                }
                case REQUIRED, FUNCTION -> throw new IllegalArgumentException("tool_choice "
                        + (choice.mode() == ToolChoice.Mode.REQUIRED ? "required"
                                : "naming function '" + choice.functionName().orElse("") + "'")
                        + " is not supported: Ollama cannot force a tool call (use auto or none)");
                default -> throw new AssertionError(choice.mode());
            }
        }
        if (request.tools().isEmpty()) {
            return;
        }
        ArrayNode array = o.putArray("tools");
        for (Tool t : request.tools()) {
            ObjectNode tool = array.addObject();
            tool.put("type", "function");
            ObjectNode function = tool.putObject("function");
            function.put("name", t.name());
            t.description().ifPresent(d -> function.put("description", d));
            t.parameters().ifPresent(p -> function.set("parameters", p.deepCopy()));
        }
    }

    private static void writeFormat(ResponseFormat format, ObjectNode o) {
        switch (format.type()) {
            case TEXT -> {
                // Ollama's default
            }
            case JSON_OBJECT -> o.put("format", "json");
            case JSON_SCHEMA -> {
                JsonNode schema = format.schema()
                        .orElseThrow(() -> new IllegalArgumentException("response_format json_schema has no schema"));
                o.set("format", schema.deepCopy());
            }
            default -> throw new AssertionError(format.type());
        }
    }

    // ------------------------------------------------------------------------------ chat answer

    /**
     * The normalized response of a non-streamed {@code /api/chat} answer. Content from
     * {@code message.content}; {@code message.thinking} as {@code reasoningContent()}; tool calls
     * with generated ids ({@value #TOOL_CALL_ID_PREFIX} + 24 letters and digits) and their argument
     * objects serialized compactly in received order; finish {@code done_reason} {@code stop} →
     * stop (tool_calls when the message has tool calls), {@code length} → length, absent → stop,
     * other → other, the raw value kept; usage {@code prompt_eval_count} (absent: 0) and
     * {@code eval_count}; {@code created} from {@code created_at}, else {@code now}; the other
     * top-level fields (durations) as response extra fields.
     *
     * @param tree the parsed answer
     * @param model the model to report when the answer names none
     * @param now the time the answer was read, seconds since the epoch
     * @param random for the generated ids
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed
     */
    public static ChatResponse readResponse(JsonNode tree, String model, long now, RandomGenerator random) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException("$: expected an object, was " + kind(tree));
        }
        JsonNode message = tree.get("message");
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("message: expected an object, was " + kind(message));
        }
        Message.Builder m = Message.builder(Role.ASSISTANT);
        m.content(optionalText(message, "content", "message.content"));
        String thinking = optionalText(message, "thinking", "message.thinking");
        if (!thinking.isEmpty()) {
            m.reasoningContent(thinking);
        }
        List<ToolCall> calls = readToolCalls(message.get("tool_calls"), "message.tool_calls", random,
                new HashSet<>());
        m.toolCalls(calls);
        String raw = doneReason(tree);
        Choice.Builder choice = Choice.builder().message(m.build()).finishReason(finishReason(raw, !calls.isEmpty()));
        if (raw != null) {
            choice.rawFinishReason(raw);
        }
        ChatResponse.Builder b = ChatResponse.builder().id(RESPONSE_ID_PREFIX + id(random))
                .model(modelOf(tree, model)).created(createdAt(tree).orElse(now)).addChoice(choice.build());
        usage(tree).ifPresent(b::usage);
        for (Map.Entry<String, JsonNode> f : tree.properties()) {
            if (!READ_FIELDS.contains(f.getKey())) {
                b.putExtraField(f.getKey(), f.getValue().deepCopy());
            }
        }
        return b.build();
    }

    /** The answer's {@code model}, else {@code fallback}. */
    static String modelOf(JsonNode tree, String fallback) {
        JsonNode v = tree.get("model");
        return v != null && v.isTextual() && !v.textValue().isBlank() ? v.textValue() : fallback;
    }

    /** {@code done_reason} when it is a non-blank string, else null. */
    static String doneReason(JsonNode tree) {
        JsonNode v = tree.get("done_reason");
        return v != null && v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
    }

    /** The finish reason for {@code done_reason}: stop (tool_calls with calls), length; absent → stop. */
    static FinishReason finishReason(String raw, boolean hasToolCalls) {
        if (raw == null || raw.equals("stop")) {
            return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return raw.equals("length") ? FinishReason.LENGTH : FinishReason.OTHER;
    }

    /** Usage from {@code prompt_eval_count} and {@code eval_count}; empty when both are absent. */
    static java.util.Optional<Usage> usage(JsonNode tree) {
        JsonNode prompt = tree.get("prompt_eval_count");
        JsonNode completion = tree.get("eval_count");
        if ((prompt == null || prompt.isNull()) && (completion == null || completion.isNull())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Usage.builder()
                .promptTokens(count(prompt, "prompt_eval_count"))
                .completionTokens(count(completion, "eval_count"))
                .build());
    }

    /** {@code created_at} in seconds since the epoch, when present and parseable. */
    static OptionalLong createdAt(JsonNode tree) {
        JsonNode v = tree.get("created_at");
        if (v == null || !v.isTextual()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(OffsetDateTime.parse(v.textValue()).toEpochSecond());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Ollama's tool calls ({@code [{function{name, arguments: <object>}}]}) with generated ids,
     * unique among {@code usedIds}.
     */
    static List<ToolCall> readToolCalls(JsonNode calls, String path, RandomGenerator random, Set<String> usedIds) {
        if (calls == null || calls.isNull()) {
            return List.of();
        }
        if (!calls.isArray()) {
            throw new IllegalArgumentException(path + ": expected an array, was " + kind(calls));
        }
        List<ToolCall> result = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            String p = path + "[" + i + "]";
            JsonNode function = calls.get(i).path("function");
            if (!function.isObject()) {
                throw new IllegalArgumentException(p + ".function: expected an object, was " + kind(function));
            }
            JsonNode nameNode = function.get("name");
            if (nameNode == null || !nameNode.isTextual() || nameNode.textValue().isBlank()) {
                throw new IllegalArgumentException(p + ".function.name: expected a non-blank string, was "
                        + kind(nameNode));
            }
            JsonNode args = function.get("arguments");
            String arguments;
            if (args == null || args.isNull()) {
                arguments = "{}";
            } else if (args.isObject()) {
                arguments = args.toString();
            } else if (args.isTextual()) {
                arguments = args.textValue();
            } else {
                throw new IllegalArgumentException(p + ".function.arguments: expected an object, was " + kind(args));
            }
            JsonNode idNode = calls.get(i).get("id");
            String id = idNode != null && idNode.isTextual() && !idNode.textValue().isBlank()
                    && !usedIds.contains(idNode.textValue()) ? idNode.textValue() : TOOL_CALL_ID_PREFIX + id(random);
            String base = id;
            for (int n = 2; !usedIds.add(id); n++) {
                id = base + "_" + n;
            }
            result.add(ToolCall.of(id, nameNode.textValue(), arguments));
        }
        return result;
    }

    static String id(RandomGenerator random) {
        StringBuilder sb = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    static String optionalText(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(path + ": expected a string, was " + kind(v));
        }
        return v.textValue();
    }

    /** A token count: absent or null is 0; else a non-negative integral number that fits an int. */
    static int count(JsonNode v, String path) {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new IllegalArgumentException(path + ": expected a non-negative integer, was " + v);
        }
        return v.intValue();
    }

    static String kind(JsonNode node) {
        return JsonKind.of(node);
    }

    // ------------------------------------------------------------------------------ embeddings

    /**
     * The {@code /api/embed} body: {@code {"model","input":[...],"dimensions"?,"keep_alive"?}}, then
     * the request's extra body (e.g. {@code truncate}, {@code options}).
     *
     * @param request the request; its model is Ollama's model name
     * @param keepAlive the deployment's {@code keep_alive}, or null for none
     * @return a new tree
     */
    public static ObjectNode writeEmbedRequest(EmbeddingRequest request, String keepAlive) {
        ObjectNode o = NODES.objectNode();
        o.put("model", request.model());
        ArrayNode input = o.putArray("input");
        request.inputs().forEach(input::add);
        request.dimensions().ifPresent(d -> o.put("dimensions", d));
        if (keepAlive != null) {
            o.put("keep_alive", keepAlive);
        }
        request.extraBody().forEach(o::set);
        return o;
    }

    /**
     * The normalized embeddings: {@code embeddings[][]}, one vector per input in order; usage
     * prompt tokens = {@code prompt_eval_count}.
     *
     * @param tree the parsed answer
     * @param model the model to report when the answer names none
     * @param expectedCount the number of inputs sent
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed
     */
    public static EmbeddingResponse readEmbedResponse(JsonNode tree, String model, int expectedCount) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException("$: expected an object, was " + kind(tree));
        }
        JsonNode vectors = tree.get("embeddings");
        if (vectors == null || !vectors.isArray()) {
            throw new IllegalArgumentException("embeddings: expected an array of vectors, was " + kind(vectors));
        }
        if (vectors.size() != expectedCount) {
            throw new IllegalArgumentException("embeddings: expected " + expectedCount + " vectors (one per input), "
                    + "was " + vectors.size());
        }
        EmbeddingResponse.Builder b = EmbeddingResponse.builder().model(modelOf(tree, model));
        for (int i = 0; i < vectors.size(); i++) {
            JsonNode v = vectors.get(i);
            if (!v.isArray()) {
                throw new IllegalArgumentException("embeddings[" + i + "]: expected an array, was " + kind(v));
            }
            float[] vector = new float[v.size()];
            for (int j = 0; j < v.size(); j++) {
                JsonNode x = v.get(j);
                if (!x.isNumber()) {
                    throw new IllegalArgumentException("embeddings[" + i + "][" + j + "]: expected a number, was "
                            + kind(x));
                }
                vector[j] = x.floatValue();
            }
            b.addEmbedding(Embedding.of(i, vector));
        }
        b.usage(Usage.builder().promptTokens(count(tree.get("prompt_eval_count"), "prompt_eval_count")).build());
        return b.build();
    }
}
