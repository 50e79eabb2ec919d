package io.llmrouter.providers.anthropic.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Translates an OpenAI-shaped {@link ChatRequest} into the JSON body of Anthropic's
 * {@code POST /v1/messages}.
 *
 * <ul>
 * <li>{@code system} and {@code developer} messages, wherever they are, are lifted to the top-level
 *     {@code system}: a string (the texts joined by a blank line), or an array of text blocks when
 *     one of them carries a {@code cache_control} extra field.</li>
 * <li>{@code user}, {@code assistant} and {@code tool} messages become alternating turns:
 *     consecutive messages of the same Anthropic role are merged, so all tool results of one
 *     assistant turn (and any user text after them) form one {@code user} turn, results first.
 *     A turn that is a single plain text block is written as a string.</li>
 * <li>assistant {@code tool_calls} → {@code tool_use} blocks whose {@code input} is the parsed
 *     arguments object; a {@code thinking_blocks} extra field is replayed first, unchanged.</li>
 * <li>tool messages → {@code tool_result} blocks ({@code tool_use_id}, string {@code content}).</li>
 * <li>images: {@code data:} URLs → base64 sources ({@code application/pdf} → a {@code document}
 *     block), {@code http(s)} URLs → URL sources.</li>
 * <li>A message's {@code cache_control} extra field goes on the last block made from it.</li>
 * </ul>
 *
 * <p>Anything Anthropic cannot honour fails with an {@link IllegalArgumentException} naming the
 * field, before any call: {@code temperature} above {@value #MAX_TEMPERATURE}, {@code n} above 1,
 * {@code seed}, penalties, {@code response_format} {@code json_object}, invalid tool-call
 * arguments, an image URL of another scheme. Not sent: {@code metadata} (OpenAI's stored-completion
 * tags; Anthropic's {@code metadata} holds only {@code user_id}, from {@code user}), a message's
 * {@code name}, an image's {@code detail}, {@code stream}.
 */
public final class AnthropicRequestBody {

    /** Anthropic's highest {@code temperature}: {@value}. */
    public static final double MAX_TEMPERATURE = 1.0;

    /** The message extra field that marks a prompt-caching breakpoint. */
    public static final String CACHE_CONTROL = "cache_control";

    /** The assistant message extra field holding thinking blocks to replay unchanged. */
    public static final String THINKING_BLOCKS = "thinking_blocks";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnthropicRequestBody() {
    }

    /**
     * The Messages API body for {@code request}.
     *
     * @param request the request, whose model is Anthropic's model name
     * @param defaultMaxTokens the {@code max_tokens} sent when the request sets no limit
     * @return a new tree
     * @throws IllegalArgumentException naming the field when the request cannot be sent to Anthropic
     */
    public static ObjectNode of(ChatRequest request, int defaultMaxTokens) {
        Objects.requireNonNull(request, "request");
        rejectUnsupported(request);
        ObjectNode body = NODES.objectNode();
        body.put("model", request.model());
        body.put("max_tokens", request.maxCompletionTokens().orElse(request.maxTokens().orElse(defaultMaxTokens)));
        JsonNode system = system(request.messages());
        if (system != null) {
            body.set("system", system);
        }
        body.set("messages", messages(request.messages()));
        request.temperature().ifPresent(t -> body.put("temperature", t));
        request.topP().ifPresent(p -> body.put("top_p", p));
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            request.stop().forEach(stop::add);
        }
        request.user().ifPresent(u -> body.putObject("metadata").put("user_id", u));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(t -> tools.add(tool(t)));
        }
        ObjectNode toolChoice = toolChoice(request);
        if (toolChoice != null) {
            body.set("tool_choice", toolChoice);
        }
        request.responseFormat().ifPresent(f -> outputFormat(f, body));
        for (Map.Entry<String, JsonNode> e : request.extraBody().entrySet()) {
            JsonNode present = body.get(e.getKey());
            if (present instanceof ObjectNode object && e.getValue() instanceof ObjectNode extra) {
                object.setAll(extra);
            } else {
                body.set(e.getKey(), e.getValue());
            }
        }
        return body;
    }

    private static void rejectUnsupported(ChatRequest request) {
        if (request.temperature().isPresent() && request.temperature().getAsDouble() > MAX_TEMPERATURE) {
            throw new IllegalArgumentException("temperature " + request.temperature().getAsDouble()
                    + " is above Anthropic's maximum " + MAX_TEMPERATURE);
        }
        if (request.n().isPresent() && request.n().getAsInt() > 1) {
            throw new IllegalArgumentException("n " + request.n().getAsInt()
                    + ": Anthropic returns one choice per call");
        }
        if (request.seed().isPresent()) {
            throw new IllegalArgumentException("seed is not supported by Anthropic");
        }
        if (request.presencePenalty().isPresent()) {
            throw new IllegalArgumentException("presence_penalty is not supported by Anthropic");
        }
        if (request.frequencyPenalty().isPresent()) {
            throw new IllegalArgumentException("frequency_penalty is not supported by Anthropic");
        }
    }

    // ------------------------------------------------------------------------------ system

    /** The top-level {@code system} value, or null when there are no system or developer messages. */
    private static JsonNode system(List<Message> messages) {
        List<ObjectNode> blocks = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        boolean cached = false;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() != Role.SYSTEM && m.role() != Role.DEVELOPER) {
                continue;
            }
            String path = "messages[" + i + "]";
            List<ObjectNode> own = new ArrayList<>();
            for (ContentPart part : m.contentParts()) {
                if (part instanceof TextPart t && !t.text().isEmpty()) {
                    own.add(textBlock(t.text()));
                }
            }
            JsonNode cache = cacheControl(m, path);
            if (cache != null && !own.isEmpty()) {
                own.get(own.size() - 1).set(CACHE_CONTROL, cache);
                cached = true;
            }
            blocks.addAll(own);
            if (!m.text().isEmpty()) {
                texts.add(m.text());
            }
        }
        if (blocks.isEmpty()) {
            return null;
        }
        if (!cached) {
            return NODES.textNode(String.join("\n\n", texts));
        }
        ArrayNode array = NODES.arrayNode();
        blocks.forEach(array::add);
        return array;
    }

    // ------------------------------------------------------------------------------ messages

    /** One Anthropic turn being assembled. */
    private static final class Turn {
        final String role;
        final List<ObjectNode> blocks = new ArrayList<>();

        Turn(String role) {
            this.role = role;
        }
    }

    private static ArrayNode messages(List<Message> messages) {
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String path = "messages[" + i + "]";
            List<ObjectNode> blocks;
            String role;
            switch (m.role()) {
                case SYSTEM, DEVELOPER -> {
                    continue;
                }
                case USER -> {
                    role = "user";
                    blocks = userBlocks(m, path);
                }
                case ASSISTANT -> {
                    role = "assistant";
                    blocks = assistantBlocks(m, path);
                }
                case TOOL -> {
                    role = "user";
                    blocks = List.of(toolResult(m));
                }
                default -> throw new IllegalArgumentException(path + ".role: unknown role " + m.role());
            }
            if (blocks.isEmpty()) {
                continue;
            }
            JsonNode cache = cacheControl(m, path);
            if (cache != null) {
                blocks.get(blocks.size() - 1).set(CACHE_CONTROL, cache);
            }
            Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            if (last == null || !last.role.equals(role)) {
                last = new Turn(role);
                turns.add(last);
            }
            last.blocks.addAll(blocks);
        }
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("messages: Anthropic needs at least one user or assistant message"
                    + " besides system messages");
        }
        ArrayNode out = NODES.arrayNode();
        for (Turn turn : turns) {
            ObjectNode message = out.addObject().put("role", turn.role);
            ObjectNode only = turn.blocks.size() == 1 ? turn.blocks.get(0) : null;
            if (only != null && only.size() == 2 && "text".equals(only.path("type").textValue())) {
                message.set("content", only.get("text"));
            } else {
                ArrayNode content = message.putArray("content");
                turn.blocks.forEach(content::add);
            }
        }
        return out;
    }

    private static List<ObjectNode> userBlocks(Message m, String path) {
        List<ObjectNode> blocks = new ArrayList<>();
        List<ContentPart> parts = m.contentParts();
        for (int j = 0; j < parts.size(); j++) {
            ContentPart part = parts.get(j);
            if (part instanceof TextPart t) {
                blocks.add(textBlock(t.text()));
            } else if (part instanceof ImagePart image) {
                blocks.add(imageBlock(image, path + ".content[" + j + "].image_url.url"));
            }
        }
        return blocks;
    }

    private static List<ObjectNode> assistantBlocks(Message m, String path) {
        List<ObjectNode> blocks = new ArrayList<>();
        JsonNode thinking = m.extraFields().get(THINKING_BLOCKS);
        if (thinking != null && !thinking.isNull()) {
            if (!thinking.isArray()) {
                throw new IllegalArgumentException(path + "." + THINKING_BLOCKS + " must be an array of blocks");
            }
            for (JsonNode block : thinking) {
                if (!(block instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(path + "." + THINKING_BLOCKS + " must be an array of blocks");
                }
                blocks.add(object.deepCopy());
            }
        }
        String text = m.text();
        if (text.isEmpty() && m.toolCalls().isEmpty() && m.refusal().isPresent()) {
            text = m.refusal().get();
        }
        if (!text.isEmpty()) {
            blocks.add(textBlock(text));
        }
        List<ToolCall> calls = m.toolCalls();
        for (int j = 0; j < calls.size(); j++) {
            ToolCall call = calls.get(j);
            ObjectNode use = NODES.objectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            use.set("input", arguments(call.arguments(), path + ".tool_calls[" + j + "].function.arguments"));
            blocks.add(use);
        }
        return blocks;
    }

    /** The arguments string as the JSON object Anthropic's {@code input} needs; blank means {@code {}}. */
    private static JsonNode arguments(String arguments, String path) {
        if (arguments.isBlank()) {
            return NODES.objectNode();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException(path + " must be a JSON object, Anthropic's tool input");
        }
        return parsed;
    }

    private static ObjectNode toolResult(Message m) {
        return NODES.objectNode().put("type", "tool_result").put("tool_use_id", m.toolCallId().orElseThrow())
                .put("content", m.text());
    }

    private static ObjectNode textBlock(String text) {
        return NODES.objectNode().put("type", "text").put("text", text);
    }

    private static ObjectNode imageBlock(ImagePart image, String path) {
        String url = image.url().strip();
        String lower = url.toLowerCase(Locale.ROOT);
        ObjectNode block = NODES.objectNode();
        if (lower.startsWith("data:")) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring("data:".length(), comma);
            String[] params = header.split(";");
            String mediaType = params[0].strip().toLowerCase(Locale.ROOT);
            boolean base64 = params.length > 1 && params[params.length - 1].strip().equalsIgnoreCase("base64");
            if (comma < 0 || !base64 || mediaType.isEmpty()) {
                throw new IllegalArgumentException(path + ": a data URL must be data:<media type>;base64,<data>");
            }
            String type;
            if (mediaType.startsWith("image/")) {
                type = "image";
            } else if (mediaType.equals("application/pdf")) {
                type = "document";
            } else {
                throw new IllegalArgumentException(path + ": media type " + mediaType
                        + " is not supported (images, or application/pdf)");
            }
            block.put("type", type).putObject("source").put("type", "base64").put("media_type", mediaType)
                    .put("data", url.substring(comma + 1));
            return block;
        }
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            block.put("type", "image").putObject("source").put("type", "url").put("url", url);
            return block;
        }
        throw new IllegalArgumentException(path + ": Anthropic takes http(s) or data: image URLs");
    }

    /** The message's {@code cache_control} extra field, or null. */
    private static JsonNode cacheControl(Message m, String path) {
        JsonNode cache = m.extraFields().get(CACHE_CONTROL);
        if (cache == null || cache.isNull()) {
            return null;
        }
        if (!cache.isObject()) {
            throw new IllegalArgumentException(path + "." + CACHE_CONTROL
                    + " must be an object such as {\"type\":\"ephemeral\"}");
        }
        return cache;
    }

    // ------------------------------------------------------------------------------ tools, output

    private static ObjectNode tool(Tool tool) {
        ObjectNode out = NODES.objectNode().put("name", tool.name());
        tool.description().ifPresent(d -> out.put("description", d));
        out.set("input_schema", tool.parameters().orElseGet(() -> {
            ObjectNode empty = NODES.objectNode().put("type", "object");
            empty.putObject("properties");
            return empty;
        }));
        tool.strict().ifPresent(s -> out.put("strict", s));
        return out;
    }

    private static ObjectNode toolChoice(ChatRequest request) {
        boolean serial = request.parallelToolCalls().map(p -> !p).orElse(false);
        ToolChoice choice = request.toolChoice().orElse(null);
        if (choice == null) {
            return serial && !request.tools().isEmpty()
                    ? NODES.objectNode().put("type", "auto").put("disable_parallel_tool_use", true) : null;
        }
        ObjectNode out = NODES.objectNode();
        switch (choice.mode()) {
            case AUTO -> out.put("type", "auto");
            case REQUIRED -> out.put("type", "any");
            case NONE -> {
                return out.put("type", "none");
            }
            case FUNCTION -> out.put("type", "tool").put("name", choice.functionName().orElseThrow());
            default -> throw new IllegalArgumentException("tool_choice: unknown mode " + choice.mode());
        }
        if (serial) {
            out.put("disable_parallel_tool_use", true);
        }
        return out;
    }

    private static void outputFormat(ResponseFormat format, ObjectNode body) {
        switch (format.type()) {
            case TEXT -> {
                // free text is Anthropic's default
            }
            case JSON_OBJECT -> throw new IllegalArgumentException("response_format json_object has no Anthropic"
                    + " equivalent; use json_schema (Anthropic structured outputs)");
            case JSON_SCHEMA -> {
                JsonNode schema = format.schema().orElseThrow(() -> new IllegalArgumentException(
                        "response_format json_schema needs a schema for Anthropic structured outputs"));
                body.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", schema);
            }
            default -> throw new IllegalArgumentException("response_format: unknown type " + format.type());
        }
    }
}
