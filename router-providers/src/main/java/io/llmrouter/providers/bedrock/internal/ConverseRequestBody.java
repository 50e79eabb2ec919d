package io.llmrouter.providers.bedrock.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.Set;

/**
 * Translates an OpenAI-shaped {@link ChatRequest} into the JSON body of Bedrock's Converse API
 * ({@code POST /model/{modelId}/converse}; the model id is in the path, not the body).
 *
 * <ul>
 * <li>{@code system} and {@code developer} messages become {@code system: [{text}]}, in order.</li>
 * <li>Other messages become {@code messages: [{role, content: [ContentBlock]}]} with roles
 *     {@code user} / {@code assistant}; consecutive messages of the same role are merged, so the
 *     tool results answering one assistant turn travel in one user turn.</li>
 * <li>Text parts become {@code {text}} (empty texts are dropped; Converse rejects blank text
 *     blocks); {@code data:} image URLs become {@code {image: {format, source: {bytes}}}}.</li>
 * <li>Assistant tool calls become {@code {toolUse: {toolUseId, name, input}}}, the arguments
 *     parsed as JSON ({@code ""} is {@code {}}); tool messages become
 *     {@code {toolResult: {toolUseId, content: [{json}|{text}], status?}}}: {@code json} when the
 *     content is a JSON object, else {@code text}; {@code status} from the message's extra field
 *     {@code status} ({@code success} or {@code error}) when set.</li>
 * <li>{@code max_completion_tokens} (else {@code max_tokens}), {@code temperature}, {@code top_p},
 *     {@code stop} become {@code inferenceConfig}.</li>
 * <li>Tools become {@code toolConfig.tools[].toolSpec}; {@code tool_choice} auto / required /
 *     function become {@code {auto:{}}} / {@code {any:{}}} / {@code {tool:{name}}}; {@code none}
 *     drops {@code toolConfig}, unless the history holds tool blocks (Converse then requires it):
 *     the tools are kept without a choice.</li>
 * <li>{@code response_format} {@code json_schema} becomes
 *     {@code outputConfig.textFormat} (schema as a JSON string); {@code text} is the default.</li>
 * <li>{@code metadata} becomes {@code requestMetadata}.</li>
 * <li>{@code extraBody}: keys naming a Converse request member ({@link #TOP_LEVEL_FIELDS}) are
 *     set at the top level; every other key goes into {@code additionalModelRequestFields}
 *     (model-native parameters such as {@code top_k} or {@code thinking}).</li>
 * </ul>
 *
 * <p>Not expressible, so rejected with an {@link UnsupportedRequestException}: {@code n > 1},
 * image URLs other than {@code data:} base64 (Converse takes bytes or S3 locations; this adapter
 * does not download), image types other than png/jpeg/gif/webp, tool-call arguments that are not
 * valid JSON, and {@code response_format: json_object}. Dropped because Converse has no such
 * parameter: {@code seed}, {@code presence_penalty}, {@code frequency_penalty}, {@code user},
 * {@code parallel_tool_calls}, a tool's {@code strict} flag and a message's {@code name}.
 */
public final class ConverseRequestBody {

    /**
     * Converse request members an {@code extraBody} key may set directly; any other key goes into
     * {@code additionalModelRequestFields}.
     */
    public static final Set<String> TOP_LEVEL_FIELDS = Set.of("additionalModelRequestFields", "guardrailConfig",
            "additionalModelResponseFieldPaths", "promptVariables", "requestMetadata", "performanceConfig",
            "serviceTier", "outputConfig");

    /** Image media types Converse accepts, by their {@code format} value. */
    private static final Map<String, String> IMAGE_FORMATS = Map.of("image/png", "png", "image/jpeg", "jpeg",
            "image/jpg", "jpeg", "image/gif", "gif", "image/webp", "webp");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConverseRequestBody() {
    }

    /** A request Converse cannot express; the message says what and why, without secrets. */
    public static final class UnsupportedRequestException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UnsupportedRequestException(String message) {
            super(message);
        }

        UnsupportedRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The Converse body of {@code request}.
     *
     * @param request the request
     * @return a new tree
     * @throws UnsupportedRequestException when the request cannot be expressed
     */
    public static ObjectNode write(ChatRequest request) {
        if (request.n().isPresent() && request.n().getAsInt() > 1) {
            throw new UnsupportedRequestException("n=" + request.n().getAsInt()
                    + " is not supported: Converse returns one choice");
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode system = NODES.arrayNode();
        List<Turn> turns = new ArrayList<>();
        boolean historyHasToolBlocks = false;
        for (int i = 0; i < request.messages().size(); i++) {
            Message m = request.messages().get(i);
            switch (m.role()) {
                case SYSTEM, DEVELOPER -> {
                    String text = m.text();
                    if (!text.isEmpty()) {
                        system.addObject().put("text", text);
                    }
                }
                case USER -> add(turns, "user", userBlocks(m, i));
                case ASSISTANT -> {
                    historyHasToolBlocks |= !m.toolCalls().isEmpty();
                    add(turns, "assistant", assistantBlocks(m, i));
                }
                case TOOL -> {
                    historyHasToolBlocks = true;
                    add(turns, "user", List.of(toolResult(m, i)));
                }
                default -> throw new AssertionError(m.role());
            }
        }
        ArrayNode messages = body.putArray("messages");
        for (Turn t : turns) {
            ObjectNode message = messages.addObject();
            message.put("role", t.role());
            ArrayNode content = message.putArray("content");
            t.blocks().forEach(content::add);
        }
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        ObjectNode inference = inferenceConfig(request);
        if (!inference.isEmpty()) {
            body.set("inferenceConfig", inference);
        }
        ObjectNode toolConfig = toolConfig(request, historyHasToolBlocks);
        if (toolConfig != null) {
            body.set("toolConfig", toolConfig);
        }
        request.responseFormat().ifPresent(format -> outputConfig(format, body));
        if (!request.metadata().isEmpty()) {
            ObjectNode metadata = body.putObject("requestMetadata");
            request.metadata().forEach(metadata::put);
        }
        extraBody(request.extraBody(), body);
        return body;
    }

    /** One message of the Converse conversation, before merging. */
    private record Turn(String role, List<ObjectNode> blocks) {
    }

    private static void add(List<Turn> turns, String role, List<ObjectNode> blocks) {
        if (!turns.isEmpty() && turns.get(turns.size() - 1).role().equals(role)) {
            turns.get(turns.size() - 1).blocks().addAll(blocks);
        } else {
            turns.add(new Turn(role, new ArrayList<>(blocks)));
        }
    }

    private static List<ObjectNode> userBlocks(Message m, int index) {
        List<ObjectNode> blocks = new ArrayList<>();
        for (ContentPart part : m.contentParts()) {
            if (part instanceof TextPart t) {
                if (!t.text().isEmpty()) {
                    blocks.add(text(t.text()));
                }
            } else if (part instanceof ImagePart image) {
                blocks.add(image(image, index));
            }
        }
        return blocks;
    }

    private static List<ObjectNode> assistantBlocks(Message m, int index) {
        List<ObjectNode> blocks = new ArrayList<>();
        String text = m.text();
        if (!text.isEmpty()) {
            blocks.add(text(text));
        } else if (m.refusal().isPresent() && m.toolCalls().isEmpty()) {
            blocks.add(text(m.refusal().get()));
        }
        for (ToolCall call : m.toolCalls()) {
            ObjectNode toolUse = NODES.objectNode();
            ObjectNode use = toolUse.putObject("toolUse");
            use.put("toolUseId", call.id());
            use.put("name", call.name());
            use.set("input", arguments(call, index));
            blocks.add(toolUse);
        }
        return blocks;
    }

    private static JsonNode arguments(ToolCall call, int index) {
        if (call.arguments().isBlank()) {
            return NODES.objectNode();
        }
        try {
            JsonNode input = JSON.readTree(call.arguments());
            if (input == null || input.isMissingNode()) {
                return NODES.objectNode();
            }
            return input;
        } catch (JsonProcessingException e) {
            throw new UnsupportedRequestException("messages[" + index + "].tool_calls id '" + call.id()
                    + "': arguments are not valid JSON, and Converse needs the tool input as a JSON value", e);
        }
    }

    private static ObjectNode toolResult(Message m, int index) {
        ObjectNode block = NODES.objectNode();
        ObjectNode result = block.putObject("toolResult");
        result.put("toolUseId", m.toolCallId().orElseThrow());
        ArrayNode content = result.putArray("content");
        String text = m.text();
        JsonNode json = parseObject(text);
        if (json != null) {
            content.addObject().set("json", json);
        } else {
            content.addObject().put("text", text);
        }
        JsonNode status = m.extraFields().get("status");
        if (status != null) {
            String s = status.asText();
            if (!s.equals("success") && !s.equals("error")) {
                throw new UnsupportedRequestException("messages[" + index + "].status must be 'success' or 'error', was '"
                        + s + "'");
            }
            result.put("status", s);
        }
        return block;
    }

    private static JsonNode parseObject(String text) {
        String s = text.strip();
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(s);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static ObjectNode text(String text) {
        ObjectNode block = NODES.objectNode();
        block.put("text", text);
        return block;
    }

    private static ObjectNode image(ImagePart image, int index) {
        String url = image.url();
        String where = "messages[" + index + "] image";
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')) : "relative";
            throw new UnsupportedRequestException(where + ": " + scheme + " URLs are not supported; Converse takes"
                    + " image bytes: pass the image as a data:image/...;base64,... URL");
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new UnsupportedRequestException(where + ": malformed data URL (no comma)");
        }
        String header = url.substring(5, comma).toLowerCase(Locale.ROOT);
        String[] fields = header.split(";");
        boolean base64 = false;
        for (int i = 1; i < fields.length; i++) {
            base64 |= fields[i].strip().equals("base64");
        }
        if (!base64) {
            throw new UnsupportedRequestException(where + ": only base64 data URLs are supported");
        }
        String mediaType = fields[0].strip();
        String format = IMAGE_FORMATS.get(mediaType);
        if (format == null) {
            throw new UnsupportedRequestException(where + ": media type '" + mediaType
                    + "' is not supported; Converse takes image/png, image/jpeg, image/gif or image/webp");
        }
        ObjectNode block = NODES.objectNode();
        ObjectNode img = block.putObject("image");
        img.put("format", format);
        img.putObject("source").put("bytes", url.substring(comma + 1).strip());
        return block;
    }

    private static ObjectNode inferenceConfig(ChatRequest request) {
        ObjectNode config = NODES.objectNode();
        if (request.maxCompletionTokens().isPresent()) {
            config.put("maxTokens", request.maxCompletionTokens().getAsInt());
        } else if (request.maxTokens().isPresent()) {
            config.put("maxTokens", request.maxTokens().getAsInt());
        }
        request.temperature().ifPresent(t -> config.put("temperature", t));
        request.topP().ifPresent(p -> config.put("topP", p));
        if (!request.stop().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            request.stop().forEach(stop::add);
        }
        return config;
    }

    private static ObjectNode toolConfig(ChatRequest request, boolean historyHasToolBlocks) {
        if (request.tools().isEmpty()) {
            return null;
        }
        ToolChoice choice = request.toolChoice().orElse(null);
        boolean none = choice != null && choice.mode() == ToolChoice.Mode.NONE;
        if (none && !historyHasToolBlocks) {
            return null;
        }
        ObjectNode config = NODES.objectNode();
        ArrayNode tools = config.putArray("tools");
        for (Tool tool : request.tools()) {
            ObjectNode spec = tools.addObject().putObject("toolSpec");
            spec.put("name", tool.name());
            tool.description().ifPresent(d -> spec.put("description", d));
            JsonNode schema = tool.parameters().orElseGet(() -> {
                ObjectNode empty = NODES.objectNode();
                empty.put("type", "object");
                empty.putObject("properties");
                return empty;
            });
            spec.putObject("inputSchema").set("json", schema);
        }
        if (choice != null && !none) {
            ObjectNode c = config.putObject("toolChoice");
            switch (choice.mode()) {
                case AUTO -> c.putObject("auto");
                case REQUIRED -> c.putObject("any");
                case FUNCTION -> c.putObject("tool").put("name", choice.functionName().orElseThrow());
                default -> throw new AssertionError(choice.mode());
            }
        }
        return config;
    }

    private static void outputConfig(ResponseFormat format, ObjectNode body) {
        switch (format.type()) {
            case TEXT -> {
                // the default: nothing to send
            }
            case JSON_OBJECT -> throw new UnsupportedRequestException("response_format json_object is not supported:"
                    + " Converse has no JSON mode without a schema; use json_schema");
            case JSON_SCHEMA -> {
                ObjectNode jsonSchema = body.putObject("outputConfig").putObject("textFormat")
                        .put("type", "json_schema").putObject("structure").putObject("jsonSchema");
                jsonSchema.put("schema", format.schema().map(JsonNode::toString).orElse("{}"));
                format.name().ifPresent(n -> jsonSchema.put("name", n));
                format.description().ifPresent(d -> jsonSchema.put("description", d));
            }
            default -> throw new AssertionError(format.type());
        }
    }

    private static void extraBody(Map<String, JsonNode> extra, ObjectNode body) {
        for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.equals("additionalModelRequestFields") && value.isObject()) {
                additional(body).setAll((ObjectNode) value);
            } else if (TOP_LEVEL_FIELDS.contains(key)) {
                body.set(key, value);
            } else {
                additional(body).set(key, value);
            }
        }
    }

    private static ObjectNode additional(ObjectNode body) {
        JsonNode existing = body.get("additionalModelRequestFields");
        return existing instanceof ObjectNode o ? o : body.putObject("additionalModelRequestFields");
    }
}
