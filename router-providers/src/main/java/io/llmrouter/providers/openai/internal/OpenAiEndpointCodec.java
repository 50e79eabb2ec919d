package io.llmrouter.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.completion.TextChoice;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.image.GeneratedImage;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.moderation.ModerationResult;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/**
 * The OpenAI wire format of the endpoints beyond chat and embeddings: legacy text completions
 * ({@code /v1/completions}) and moderation ({@code /v1/moderations}). Readers throw an
 * {@link IllegalArgumentException} naming the JSON path for a body that does not fit, which the
 * adapters' {@code JsonHttp.read} turns into an
 * {@link io.llmrouter.api.exception.InvalidProviderResponseException}.
 */
public final class OpenAiEndpointCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private OpenAiEndpointCodec() {
    }

    /**
     * The {@code /v1/completions} body: {@code prompt} a string for one prompt, an array for
     * several; only the options set; then the extra body fields.
     *
     * @param r the request, whose model is the provider's model name
     * @return the body
     */
    public static ObjectNode writeTextCompletion(TextCompletionRequest r) {
        ObjectNode o = NODES.objectNode();
        o.put("model", r.model());
        o.set("prompt", strings(r.prompts()));
        r.maxTokens().ifPresent(v -> o.put("max_tokens", v));
        r.temperature().ifPresent(v -> o.put("temperature", v));
        if (!r.stop().isEmpty()) {
            o.set("stop", strings(r.stop()));
        }
        r.n().ifPresent(v -> o.put("n", v));
        r.logprobs().ifPresent(v -> o.put("logprobs", v));
        r.user().ifPresent(u -> o.put("user", u));
        r.extraBody().forEach(o::set);
        return o;
    }

    /**
     * Reads a {@code /v1/completions} answer: {@code model} (required), {@code id},
     * {@code choices[].index/text/finish_reason} and {@code usage}.
     *
     * @param json the body
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     */
    public static TextCompletionResponse readTextCompletion(JsonNode json) {
        ObjectNode root = object(json, "$");
        TextCompletionResponse.Builder b = TextCompletionResponse.builder().model(text(required(root, "model", "$"), "$.model")).id(id(root));
        ArrayNode choices = array(required(root, "choices", "$"), "$.choices");
        for (int i = 0; i < choices.size(); i++) {
            String p = "$.choices[" + i + "]";
            ObjectNode c = object(choices.get(i), p);
            JsonNode index = c.get("index");
            int position = index == null || index.isNull() ? i : integer(index, p + ".index");
            JsonNode finish = c.get("finish_reason");
            String raw = finish == null || finish.isNull() ? "" : text(finish, p + ".finish_reason");
            FinishReason reason = raw.isEmpty() ? FinishReason.OTHER : FinishReason.fromWire(raw);
            b.addChoice(new TextChoice(position, text(required(c, "text", p), p + ".text"), reason, raw));
        }
        JsonNode usage = root.get("usage");
        if (usage != null && !usage.isNull()) {
            b.usage(OpenAiJsonCodec.readUsage(usage));
        }
        return b.build();
    }

    /**
     * The {@code /v1/moderations} body: {@code model} and {@code input} (a string for one input,
     * an array for several).
     *
     * @param r the request, whose model is the provider's model name
     * @return the body
     */
    public static ObjectNode writeModeration(ModerationRequest r) {
        ObjectNode o = NODES.objectNode();
        o.put("model", r.model());
        o.set("input", strings(r.inputs()));
        return o;
    }

    /**
     * Reads a {@code /v1/moderations} answer: {@code model} (required), {@code id} and
     * {@code results[].flagged/categories/category_scores}.
     *
     * @param json the body
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     */
    public static ModerationResponse readModeration(JsonNode json) {
        ObjectNode root = object(json, "$");
        ModerationResponse.Builder b = ModerationResponse.builder().model(text(required(root, "model", "$"), "$.model")).id(id(root));
        ArrayNode results = array(required(root, "results", "$"), "$.results");
        for (int i = 0; i < results.size(); i++) {
            String p = "$.results[" + i + "]";
            ObjectNode r = object(results.get(i), p);
            JsonNode flagged = required(r, "flagged", p);
            if (!flagged.isBoolean()) {
                throw error(p + ".flagged", "expected a boolean");
            }
            Map<String, Boolean> categories = new LinkedHashMap<>();
            object(required(r, "categories", p), p + ".categories").properties().forEach(e -> {
                if (!e.getValue().isBoolean()) {
                    throw error(p + ".categories." + e.getKey(), "expected a boolean");
                }
                categories.put(e.getKey(), e.getValue().booleanValue());
            });
            Map<String, Double> scores = new LinkedHashMap<>();
            JsonNode scoreNode = r.get("category_scores");
            if (scoreNode != null && !scoreNode.isNull()) {
                object(scoreNode, p + ".category_scores").properties().forEach(e -> {
                    if (!e.getValue().isNumber()) {
                        throw error(p + ".category_scores." + e.getKey(), "expected a number");
                    }
                    scores.put(e.getKey(), e.getValue().doubleValue());
                });
            }
            b.addResult(new ModerationResult(flagged.booleanValue(), categories, scores));
        }
        return b.build();
    }

    /**
     * The {@code /v1/images/generations} body: {@code model}, {@code prompt} and the options set.
     *
     * @param r the request, whose model is the provider's model name
     * @return the body
     */
    public static ObjectNode writeImage(ImageRequest r) {
        ObjectNode o = NODES.objectNode();
        o.put("model", r.model());
        o.put("prompt", r.prompt());
        r.n().ifPresent(n -> o.put("n", n));
        r.size().ifPresent(v -> o.put("size", v));
        r.quality().ifPresent(v -> o.put("quality", v));
        r.responseFormat().ifPresent(f -> o.put("response_format", f.wireValue()));
        r.user().ifPresent(u -> o.put("user", u));
        return o;
    }

    /**
     * Reads a {@code /v1/images/generations} answer: {@code created}, {@code data[].url} or
     * {@code b64_json} with {@code revised_prompt}, and {@code usage} ({@code input_tokens},
     * {@code output_tokens}) when present; the answer names no model, so {@code model} is kept.
     *
     * @param json the body
     * @param model the provider's model name the request was sent with
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     */
    public static ImageResponse readImage(JsonNode json, String model) {
        ObjectNode root = object(json, "$");
        ImageResponse.Builder b = ImageResponse.builder().model(model);
        JsonNode created = root.get("created");
        if (created != null && created.canConvertToLong()) {
            b.created(created.longValue());
        }
        ArrayNode data = array(required(root, "data", "$"), "$.data");
        for (int i = 0; i < data.size(); i++) {
            String p = "$.data[" + i + "]";
            ObjectNode d = object(data.get(i), p);
            String url = optionalText(d, "url", p);
            String b64 = optionalText(d, "b64_json", p);
            if ((url == null) == (b64 == null)) {
                throw error(p, "expected exactly one of url and b64_json");
            }
            b.addImage(GeneratedImage.of(url, b64, optionalText(d, "revised_prompt", p)));
        }
        JsonNode usage = root.get("usage");
        if (usage instanceof ObjectNode u) {
            int in = u.path("input_tokens").asInt(0);
            int out = u.path("output_tokens").asInt(0);
            b.usage(Usage.builder().promptTokens(in).completionTokens(out).totalTokens(in + out).build());
        }
        return b.build();
    }

    private static String optionalText(ObjectNode o, String field, String parent) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : text(v, parent + "." + field);
    }

    /**
     * The {@code /v1/audio/speech} body: {@code model}, {@code input}, {@code voice} and
     * {@code response_format} when set.
     *
     * @param r the request, whose model is the provider's model name
     * @return the body
     */
    public static ObjectNode writeSpeech(SpeechRequest r) {
        ObjectNode o = NODES.objectNode();
        o.put("model", r.model());
        o.put("input", r.input());
        o.put("voice", r.voice());
        r.responseFormat().ifPresent(f -> o.put("response_format", f.wireValue()));
        return o;
    }

    /**
     * The {@code /v1/audio/transcriptions} multipart body: {@code file} (the bytes, with the file
     * name), {@code model}, and {@code language}, {@code prompt}, {@code response_format} when set.
     *
     * @param r the request, whose model is the provider's model name
     * @return the body
     */
    public static RequestBody writeTranscription(TranscriptionRequest r) {
        MultipartBody.Builder b = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("file", r.fileName(), RequestBody.create(r.file(), OCTET_STREAM))
                .addFormDataPart("model", r.model());
        r.language().ifPresent(v -> b.addFormDataPart("language", v));
        r.prompt().ifPresent(v -> b.addFormDataPart("prompt", v));
        r.responseFormat().ifPresent(f -> b.addFormDataPart("response_format", f.wireValue()));
        return b.build();
    }

    /**
     * Reads a {@code json} or {@code verbose_json} transcription: {@code text} (required), and
     * {@code language} and {@code duration} (seconds) when present.
     *
     * @param json the body
     * @param model the provider's model name the request was sent with
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     */
    public static TranscriptionResponse readTranscription(JsonNode json, String model) {
        ObjectNode root = object(json, "$");
        TranscriptionResponse.Builder b = TranscriptionResponse.builder().model(model)
                .text(text(required(root, "text", "$"), "$.text"));
        String language = optionalText(root, "language", "$");
        if (language != null) {
            b.language(language);
        }
        JsonNode duration = root.get("duration");
        if (duration != null && !duration.isNull()) {
            if (!duration.isNumber() || duration.doubleValue() < 0) {
                throw error("$.duration", "expected a non-negative number");
            }
            b.durationSeconds(duration.doubleValue());
        }
        return b.build();
    }

    /**
     * The {@code /v1/responses} body: the request's body with {@code model} first.
     *
     * @param r the request, whose model is the provider's model name
     * @return the body
     */
    public static ObjectNode writeResponses(ResponsesRequest r) {
        ObjectNode o = NODES.objectNode();
        o.put("model", r.model());
        o.setAll(r.body());
        return o;
    }

    /**
     * Reads a {@code /v1/responses} answer: {@code model} (required), the body kept whole, and
     * {@code usage}: {@code input_tokens}, {@code output_tokens},
     * {@code input_tokens_details.cached_tokens}, {@code output_tokens_details.reasoning_tokens}.
     *
     * @param json the body
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     */
    public static ResponsesResponse readResponses(JsonNode json) {
        ObjectNode root = object(json, "$");
        ResponsesResponse.Builder b = ResponsesResponse.builder().model(text(required(root, "model", "$"), "$.model"))
                .body(root);
        JsonNode usage = root.get("usage");
        if (usage != null && !usage.isNull()) {
            ObjectNode u = object(usage, "$.usage");
            int in = count(u, "input_tokens", "$.usage");
            int out = count(u, "output_tokens", "$.usage");
            b.usage(Usage.builder().promptTokens(in).completionTokens(out).totalTokens(in + out)
                    .cachedTokens(count(u.path("input_tokens_details"), "cached_tokens", "$.usage.input_tokens_details"))
                    .reasoningTokens(count(u.path("output_tokens_details"), "reasoning_tokens",
                            "$.usage.output_tokens_details"))
                    .build());
        }
        return b.build();
    }

    /** A non-negative token count at {@code o.field}; 0 when absent. */
    private static int count(JsonNode o, String field, String parent) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        return integer(v, parent + "." + field);
    }

    /** The answer's {@code id}; empty text when it has none. */
    private static String id(ObjectNode root) {
        JsonNode id = root.get("id");
        return id == null || id.isNull() ? "" : text(id, "$.id");
    }

    /** One value as a string node, several as an array. */
    private static JsonNode strings(List<String> values) {
        if (values.size() == 1) {
            return NODES.textNode(values.get(0));
        }
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static JsonNode required(ObjectNode o, String field, String parent) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw error(parent + "." + field, "is missing");
        }
        return v;
    }

    private static ObjectNode object(JsonNode v, String path) {
        if (v instanceof ObjectNode o) {
            return o;
        }
        throw error(path, "expected an object");
    }

    private static ArrayNode array(JsonNode v, String path) {
        if (v instanceof ArrayNode a) {
            return a;
        }
        throw error(path, "expected an array");
    }

    private static String text(JsonNode v, String path) {
        if (v.isTextual()) {
            return v.textValue();
        }
        throw error(path, "expected a string");
    }

    private static int integer(JsonNode v, String path) {
        if (v.isInt() && v.intValue() >= 0) {
            return v.intValue();
        }
        throw error(path, "expected a non-negative integer");
    }

    /** The values are never quoted: they may be content. */
    private static IllegalArgumentException error(String path, String message) {
        return new IllegalArgumentException(Objects.requireNonNull(path) + ": " + message);
    }
}
