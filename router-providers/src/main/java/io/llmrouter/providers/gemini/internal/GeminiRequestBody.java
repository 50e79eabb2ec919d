package io.llmrouter.providers.gemini.internal;

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
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.providers.gemini.GeminiProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Translates OpenAI-shaped requests into Gemini bodies: a {@link ChatRequest} into a
 * {@code generateContent} body and an {@link EmbeddingRequest} into a {@code batchEmbedContents}
 * body.
 *
 * <p>Chat: {@code system} and {@code developer} messages become {@code systemInstruction} parts
 * (one text part per message, wherever it stands); {@code user} messages {@code user} turns,
 * {@code assistant} messages {@code model} turns, and {@code tool} messages {@code functionResponse}
 * parts of a {@code user} turn, the function's name looked up from the assistant tool call with the
 * same id earlier in the request. Consecutive turns of the same role are merged into one. Image
 * parts: a {@code data:<mime>;base64,<data>} URL becomes {@code inlineData}; any other URL
 * {@code fileData} with the URL as {@code fileUri} and, when the path ends in a known image
 * extension, its {@code mimeType}. Assistant tool calls become {@code functionCall} parts whose
 * {@code args} is the parsed arguments object, with the {@code thoughtSignature} kept in the
 * message's {@value GeminiProvider#THOUGHT_SIGNATURES_FIELD} extra field re-attached. A tool result
 * that is a JSON object is the {@code response}; anything else is wrapped as
 * {@code {"output": <value>}} (the JSON value when it parses, else the text).
 *
 * <p>{@code generationConfig}: temperature, topP, maxOutputTokens (from
 * {@code max_completion_tokens}, else {@code max_tokens}), stopSequences, candidateCount (n), seed,
 * presencePenalty, frequencyPenalty, and for {@code json_object} / {@code json_schema}
 * {@code responseMimeType: application/json} (+ {@code responseJsonSchema}). Tools become one
 * {@code functionDeclarations} tool; the tool choice {@code toolConfig.functionCallingConfig}.
 * {@code user}, {@code metadata}, {@code parallel_tool_calls}, {@code stream} and image
 * {@code detail} have no Gemini equivalent and are not sent. The extra body is merged last into
 * the top level; where both the body and the extra value are objects (e.g.
 * {@code generationConfig}) their fields are merged, the extra body winning per field.
 *
 * <p>Every problem (a tool result whose id matches no earlier tool call, arguments that are not a
 * JSON object, a {@code data:} URL that is not base64, a request with no turn) throws an
 * {@link IllegalArgumentException} naming the message, before anything is sent.
 */
public final class GeminiRequestBody {

    /** The key a tool result that is not a JSON object is wrapped under: {@value}. */
    public static final String OUTPUT_KEY = "output";

    /** The MIME type asked for with a JSON response format: {@value}. */
    public static final String JSON_MIME_TYPE = "application/json";

    /** The prefix of the resource name of a model: {@value}. */
    public static final String MODEL_RESOURCE_PREFIX = "models/";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();
    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "webp", "image/webp", "heic", "image/heic", "heif", "image/heif", "gif",
            "image/gif");

    private GeminiRequestBody() {
    }

    /**
     * The bare model id: {@code model} without a leading {@value #MODEL_RESOURCE_PREFIX}.
     *
     * @param model the provider model, e.g. {@code gemini-2.5-flash} or {@code models/gemini-2.5-flash}
     * @return the id
     * @throws IllegalArgumentException if the id is blank
     */
    public static String modelId(String model) {
        String id = model.startsWith(MODEL_RESOURCE_PREFIX) ? model.substring(MODEL_RESOURCE_PREFIX.length()) : model;
        if (id.isBlank()) {
            throw new IllegalArgumentException("model: the model id is blank");
        }
        return id;
    }

    /**
     * The {@code generateContent} body for {@code request}.
     *
     * @param request the request
     * @return a new tree
     * @throws IllegalArgumentException naming the message when the request cannot be translated
     */
    public static ObjectNode generateContent(ChatRequest request) {
        ObjectNode body = NODES.objectNode();
        ArrayNode system = NODES.arrayNode();
        ArrayNode contents = NODES.arrayNode();
        Map<String, String> toolNames = new HashMap<>();
        List<Message> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String path = "messages[" + i + "]";
            switch (m.role()) {
                case SYSTEM, DEVELOPER -> {
                    for (ContentPart part : m.contentParts()) {
                        if (part instanceof TextPart t) {
                            system.add(text(t.text()));
                        }
                    }
                }
                case USER -> append(contents, "user", userParts(m, path));
                case ASSISTANT -> append(contents, "model", modelParts(m, path, toolNames));
                case TOOL -> append(contents, "user", functionResponse(m, path, toolNames));
            }
        }
        if (contents.isEmpty()) {
            throw new IllegalArgumentException("messages: no user, assistant or tool message; Gemini needs at least "
                    + "one turn besides the system instruction");
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        body.set("contents", contents);
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (Tool tool : request.tools()) {
                ObjectNode d = declarations.addObject();
                d.put("name", tool.name());
                tool.description().ifPresent(v -> d.put("description", v));
                tool.parameters().ifPresent(v -> d.set("parameters", v));
            }
        }
        request.toolChoice().ifPresent(choice -> body.putObject("toolConfig")
                .set("functionCallingConfig", functionCallingConfig(choice)));
        ObjectNode config = generationConfig(request);
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        mergeExtra(body, request.extraBody());
        return body;
    }

    /**
     * The {@code batchEmbedContents} body: one request per input, each
     * {@code {"model":"models/<id>","content":{"parts":[{"text"}]},"outputDimensionality"?}} plus the
     * request's extra body fields (e.g. {@code taskType}, {@code title}), which belong to each
     * per-input request.
     *
     * @param request the request
     * @param modelId the bare model id
     * @return a new tree
     * @throws IllegalArgumentException if the request has no input
     */
    public static ObjectNode batchEmbedContents(EmbeddingRequest request, String modelId) {
        if (request.inputs().isEmpty()) {
            throw new IllegalArgumentException("input: no text to embed");
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode requests = body.putArray("requests");
        for (String input : request.inputs()) {
            ObjectNode r = requests.addObject();
            r.put("model", MODEL_RESOURCE_PREFIX + modelId);
            r.putObject("content").putArray("parts").add(text(input));
            request.dimensions().ifPresent(d -> r.put("outputDimensionality", d));
            mergeExtra(r, request.extraBody());
        }
        return body;
    }

    // --------------------------------------------------------------------------------- turns

    /** Adds {@code parts} as a turn of {@code role}, or to the last turn when it has the same role. */
    private static void append(ArrayNode contents, String role, ArrayNode parts) {
        if (parts.isEmpty()) {
            return;
        }
        if (!contents.isEmpty()) {
            ObjectNode last = (ObjectNode) contents.get(contents.size() - 1);
            if (role.equals(last.path("role").asText())) {
                ((ArrayNode) last.get("parts")).addAll(parts);
                return;
            }
        }
        ObjectNode turn = contents.addObject();
        turn.put("role", role);
        turn.set("parts", parts);
    }

    private static ArrayNode userParts(Message m, String path) {
        ArrayNode parts = NODES.arrayNode();
        List<ContentPart> content = m.contentParts();
        for (int j = 0; j < content.size(); j++) {
            ContentPart part = content.get(j);
            if (part instanceof TextPart t) {
                parts.add(text(t.text()));
            } else if (part instanceof ImagePart image) {
                parts.add(image(image.url(), path + ".content[" + j + "].image_url"));
            }
        }
        return parts;
    }

    private static ObjectNode image(String url, String path) {
        ObjectNode part = NODES.objectNode();
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64") || meta.length() == 7
                    || comma == url.length() - 1) {
                throw new IllegalArgumentException(path + ": a data: URL must be data:<mime type>;base64,<data>");
            }
            ObjectNode inline = part.putObject("inlineData");
            inline.put("mimeType", meta.substring(0, meta.length() - 7));
            inline.put("data", url.substring(comma + 1));
            return part;
        }
        ObjectNode file = part.putObject("fileData");
        imageType(url).ifPresent(type -> file.put("mimeType", type));
        file.put("fileUri", url);
        return part;
    }

    /** The image MIME type implied by the extension of the URL's path, when it is a known one. */
    private static Optional<String> imageType(String url) {
        String path = url;
        int cut = path.indexOf('?');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        cut = path.indexOf('#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return Optional.empty();
        }
        return Optional.ofNullable(IMAGE_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    private static ArrayNode modelParts(Message m, String path, Map<String, String> toolNames) {
        ArrayNode parts = NODES.arrayNode();
        String text = m.text();
        if (!text.isEmpty()) {
            parts.add(text(text));
        } else if (m.toolCalls().isEmpty() && m.refusal().isPresent()) {
            parts.add(text(m.refusal().get()));
        }
        JsonNode signatures = m.extraFields().get(GeminiProvider.THOUGHT_SIGNATURES_FIELD);
        List<ToolCall> calls = m.toolCalls();
        for (int j = 0; j < calls.size(); j++) {
            ToolCall call = calls.get(j);
            String argsPath = path + ".tool_calls[" + j + "].function.arguments";
            ObjectNode part = parts.addObject();
            ObjectNode functionCall = part.putObject("functionCall");
            functionCall.put("name", call.name());
            functionCall.set("args", arguments(call.arguments(), argsPath));
            JsonNode signature = signatures == null ? null : signatures.get(call.id());
            if (signature != null && signature.isTextual()) {
                part.put("thoughtSignature", signature.textValue());
            }
            toolNames.put(call.id(), call.name());
        }
        return parts;
    }

    private static ObjectNode arguments(String arguments, String path) {
        if (arguments.isBlank()) {
            return NODES.objectNode();
        }
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException(path + ": expected a JSON object, was "
                    + (parsed == null ? "nothing" : parsed.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return (ObjectNode) parsed;
    }

    private static ArrayNode functionResponse(Message m, String path, Map<String, String> toolNames) {
        String id = m.toolCallId().orElseThrow();
        String name = toolNames.get(id);
        if (name == null) {
            throw new IllegalArgumentException(path + ": tool_call_id '" + id + "' matches no tool call of an "
                    + "earlier assistant message; Gemini needs the function's name");
        }
        ArrayNode parts = NODES.arrayNode();
        ObjectNode functionResponse = parts.addObject().putObject("functionResponse");
        functionResponse.put("name", name);
        functionResponse.set("response", toolResult(m.text()));
        return parts;
    }

    /** A JSON object result as is; any other JSON value, or plain text, wrapped as {@code {"output": ...}}. */
    private static ObjectNode toolResult(String content) {
        JsonNode parsed = null;
        try {
            parsed = content.isBlank() ? null : MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            // plain text, wrapped below
        }
        if (parsed != null && parsed.isObject()) {
            return (ObjectNode) parsed;
        }
        ObjectNode wrapped = NODES.objectNode();
        if (parsed == null || parsed.isMissingNode()) {
            wrapped.put(OUTPUT_KEY, content);
        } else {
            wrapped.set(OUTPUT_KEY, parsed);
        }
        return wrapped;
    }

    // ------------------------------------------------------------------------------- config

    private static ObjectNode functionCallingConfig(ToolChoice choice) {
        ObjectNode config = NODES.objectNode();
        switch (choice.mode()) {
            case NONE -> config.put("mode", "NONE");
            case AUTO -> config.put("mode", "AUTO");
            case REQUIRED -> config.put("mode", "ANY");
            case FUNCTION -> {
                config.put("mode", "ANY");
                config.putArray("allowedFunctionNames").add(choice.functionName().orElseThrow());
            }
        }
        return config;
    }

    private static ObjectNode generationConfig(ChatRequest r) {
        ObjectNode config = NODES.objectNode();
        r.temperature().ifPresent(v -> config.put("temperature", v));
        r.topP().ifPresent(v -> config.put("topP", v));
        if (r.maxCompletionTokens().isPresent()) {
            config.put("maxOutputTokens", r.maxCompletionTokens().getAsInt());
        } else {
            r.maxTokens().ifPresent(v -> config.put("maxOutputTokens", v));
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            r.stop().forEach(stop::add);
        }
        r.n().ifPresent(v -> config.put("candidateCount", v));
        r.seed().ifPresent(v -> config.put("seed", v));
        r.presencePenalty().ifPresent(v -> config.put("presencePenalty", v));
        r.frequencyPenalty().ifPresent(v -> config.put("frequencyPenalty", v));
        r.responseFormat().ifPresent(format -> {
            if (format.type() == ResponseFormat.Type.JSON_OBJECT || format.type() == ResponseFormat.Type.JSON_SCHEMA) {
                config.put("responseMimeType", JSON_MIME_TYPE);
            }
            if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
                format.schema().ifPresent(schema -> config.set("responseJsonSchema", schema));
            }
        });
        return config;
    }

    /** Merges {@code extra} into {@code target}: objects field by field (extra wins), anything else replaced. */
    private static void mergeExtra(ObjectNode target, Map<String, JsonNode> extra) {
        for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode existingObject && e.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> field : e.getValue().properties()) {
                    existingObject.set(field.getKey(), field.getValue().deepCopy());
                }
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static ObjectNode text(String text) {
        ObjectNode part = NODES.objectNode();
        part.put("text", text);
        return part;
    }
}
