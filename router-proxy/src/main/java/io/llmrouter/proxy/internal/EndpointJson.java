package io.llmrouter.proxy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.completion.TextChoice;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.image.GeneratedImage;
import io.llmrouter.api.image.ImageFormat;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.moderation.ModerationResult;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.rerank.RerankResult;
import io.llmrouter.api.responses.ResponsesRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Request readers and response writers for {@code /v1/completions}, {@code /v1/moderations},
 * {@code /v1/images/generations}, {@code /v1/rerank} and {@code /v1/responses}: the library's
 * OpenAI codec covers chat only, and the provider adapters' codecs write upstream bodies, not
 * client ones. A reader rejects a value that does not fit with a 400 whose {@code param} names
 * the field.
 */
final class EndpointJson {

    /** The completion fields read into the typed request; every other field goes to its extra body. */
    private static final Set<String> COMPLETION_FIELDS = Set.of("model", "prompt", "max_tokens", "temperature",
            "stop", "n", "logprobs", "user", "stream", "stream_options", "metadata");

    private EndpointJson() {
    }

    // ---- readers

    static TextCompletionRequest textCompletionRequest(ObjectNode o) {
        JsonNode stream = present(o, "stream");
        if (stream != null && !stream.isBoolean()) {
            throw invalid("stream", "a boolean is expected");
        }
        if (stream != null && stream.booleanValue()) {
            throw invalid("stream", "streaming is not supported on /v1/completions: send \"stream\": false,"
                    + " or use /v1/chat/completions to stream");
        }
        TextCompletionRequest.Builder b = TextCompletionRequest.builder(model(o));
        b.prompts(strings(o, "prompt", true, "only strings are supported (not token arrays)"));
        positive(o, "max_tokens").ifPresent(b::maxTokens);
        JsonNode temperature = present(o, "temperature");
        if (temperature != null) {
            if (!temperature.isNumber() || !(temperature.doubleValue() >= 0)
                    || Double.isInfinite(temperature.doubleValue())) {
                throw invalid("temperature", "a number >= 0 is expected");
            }
            b.temperature(temperature.doubleValue());
        }
        if (present(o, "stop") != null) {
            b.stop(strings(o, "stop", false, "a string or an array of strings is expected"));
        }
        positive(o, "n").ifPresent(b::n);
        JsonNode logprobs = present(o, "logprobs");
        if (logprobs != null) {
            if (!logprobs.isIntegralNumber() || !logprobs.canConvertToInt() || logprobs.intValue() < 0) {
                throw invalid("logprobs", "a non-negative integer is expected");
            }
            b.logprobs(logprobs.intValue());
        }
        user(o).ifPresent(b::user);
        for (Map.Entry<String, JsonNode> f : o.properties()) {
            if (!COMPLETION_FIELDS.contains(f.getKey()) && !f.getValue().isNull()) {
                b.putExtraBody(f.getKey(), f.getValue()); // suffix, echo, top_p, seed, best_of, penalties, ...
            }
        }
        return b.build();
    }

    static ModerationRequest moderationRequest(ObjectNode o) {
        ModerationRequest.Builder b = ModerationRequest.builder(model(o));
        JsonNode input = present(o, "input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.textValue());
        } else if (input != null && input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                if (item.isTextual()) {
                    texts.add(item.textValue());
                } else if (item.isObject() && "text".equals(item.path("type").asText())
                        && item.path("text").isTextual()) {
                    texts.add(item.get("text").textValue());
                } else {
                    throw invalid("input", "input[" + i + "]: only text is supported (a string or"
                            + " {\"type\":\"text\",\"text\":...})");
                }
            }
        }
        if (texts.isEmpty()) {
            throw invalid("input", "a string or a non-empty array of strings is required");
        }
        return b.inputs(texts).build();
    }

    static ImageRequest imageRequest(ObjectNode o) {
        String model = model(o);
        JsonNode prompt = present(o, "prompt");
        if (prompt == null || !prompt.isTextual() || prompt.textValue().isBlank()) {
            throw invalid("prompt", "a string is required");
        }
        ImageRequest.Builder b = ImageRequest.builder(model, prompt.textValue());
        positive(o, "n").ifPresent(b::n);
        JsonNode size = present(o, "size");
        if (size != null) {
            if (!size.isTextual() || !(size.textValue().equals("auto")
                    || size.textValue().matches("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}"))) {
                throw invalid("size", "WIDTHxHEIGHT (e.g. 1024x1024) or auto is expected");
            }
            if (!size.textValue().equals("auto")) {
                b.size(size.textValue());
            }
        }
        JsonNode quality = present(o, "quality");
        if (quality != null) {
            if (!quality.isTextual()) {
                throw invalid("quality", "a string is expected");
            }
            b.quality(quality.textValue());
        }
        JsonNode format = present(o, "response_format");
        if (format != null) {
            ImageFormat f = null;
            for (ImageFormat candidate : ImageFormat.values()) {
                if (format.isTextual() && candidate.wireValue().equals(format.textValue())) {
                    f = candidate;
                }
            }
            if (f == null) {
                throw invalid("response_format", "'url' or 'b64_json' is expected");
            }
            b.responseFormat(f);
        }
        user(o).ifPresent(b::user);
        return b.build();
    }

    static RerankRequest rerankRequest(ObjectNode o) {
        String model = model(o);
        JsonNode query = present(o, "query");
        if (query == null || !query.isTextual()) {
            throw invalid("query", "a string is required");
        }
        RerankRequest.Builder b = RerankRequest.builder(model, query.textValue());
        JsonNode documents = present(o, "documents");
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            throw invalid("documents", "a non-empty array of strings is required");
        }
        for (int i = 0; i < documents.size(); i++) {
            JsonNode d = documents.get(i);
            if (d.isTextual()) {
                b.addDocument(d.textValue());
            } else if (d.isObject() && d.path("text").isTextual()) {
                b.addDocument(d.get("text").textValue());
            } else {
                throw invalid("documents", "documents[" + i + "]: a string or {\"text\": ...} is expected");
            }
        }
        positive(o, "top_n").ifPresent(b::topN);
        JsonNode returnDocuments = present(o, "return_documents");
        if (returnDocuments != null && !returnDocuments.isBoolean()) {
            throw invalid("return_documents", "a boolean is expected");
        }
        b.returnDocuments(returnDocuments == null || returnDocuments.booleanValue());
        return b.build();
    }

    /**
     * The Responses API body passed through as the client sent it (the router sets {@code model} per
     * deployment); not streamed.
     */
    static ResponsesRequest responsesRequest(ObjectNode o) {
        String model = model(o);
        JsonNode stream = present(o, "stream");
        if (stream != null && !stream.isBoolean()) {
            throw invalid("stream", "a boolean is expected");
        }
        if (stream != null && stream.booleanValue()) {
            throw invalid("stream", "streaming is not supported on /v1/responses: send \"stream\": false,"
                    + " or use /v1/chat/completions to stream");
        }
        return ResponsesRequest.of(model, o);
    }

    private static String model(ObjectNode o) {
        JsonNode model = o.get("model");
        if (model == null || !model.isTextual() || model.textValue().isBlank()) {
            throw invalid("model", "a string is required");
        }
        return model.textValue();
    }

    private static Optional<String> user(ObjectNode o) {
        JsonNode user = present(o, "user");
        if (user != null && !user.isTextual()) {
            throw invalid("user", "a string is expected");
        }
        return user == null ? Optional.empty() : Optional.of(user.textValue());
    }

    /** The field's value, or null when absent or JSON null. */
    private static JsonNode present(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static OptionalInt positive(ObjectNode o, String field) {
        JsonNode v = present(o, field);
        if (v == null) {
            return OptionalInt.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw invalid(field, "a positive integer is expected");
        }
        return OptionalInt.of(v.intValue());
    }

    /** A string or an array of strings; with {@code required}, at least one. */
    private static List<String> strings(ObjectNode o, String field, boolean required, String notStrings) {
        JsonNode v = present(o, field);
        List<String> values = new ArrayList<>();
        if (v != null && v.isTextual()) {
            values.add(v.textValue());
        } else if (v != null && v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw invalid(field, notStrings);
                }
                values.add(item.textValue());
            }
        } else if (v != null) {
            throw invalid(field, notStrings);
        }
        if (required && values.isEmpty()) {
            throw invalid(field, "a string or a non-empty array of strings is required");
        }
        return values;
    }

    private static ProxyError invalid(String field, String message) {
        return new ProxyError(400, "invalid_request_error", null, field, field + ": " + message, -1);
    }

    // ---- writers

    /** OpenAI's {@code text_completion} object; the library keeps no logprobs, so each is null. */
    static String textCompletion(TextCompletionResponse r, String fallbackId, long created) {
        ObjectNode o = JsonOut.MAPPER.createObjectNode();
        o.put("id", r.id().isEmpty() ? fallbackId : r.id());
        o.put("object", "text_completion");
        o.put("created", created);
        o.put("model", r.model());
        ArrayNode choices = o.putArray("choices");
        for (TextChoice c : r.choices()) {
            ObjectNode choice = choices.addObject();
            choice.put("text", c.text());
            choice.put("index", c.index());
            choice.putNull("logprobs");
            String finish = finishReason(c);
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
        }
        Usage u = r.usage().orElse(Usage.ZERO);
        o.putObject("usage").put("prompt_tokens", u.promptTokens()).put("completion_tokens", u.completionTokens())
                .put("total_tokens", u.totalTokens());
        return o.toString();
    }

    private static String finishReason(TextChoice c) {
        if (!c.rawFinishReason().isEmpty()) {
            return c.rawFinishReason();
        }
        return c.finishReason() == FinishReason.STOP ? "stop" : c.finishReason() == FinishReason.LENGTH ? "length"
                : null;
    }

    /** OpenAI's moderation object. */
    static String moderation(ModerationResponse r, String fallbackId) {
        ObjectNode o = JsonOut.MAPPER.createObjectNode();
        o.put("id", r.id().isEmpty() ? fallbackId : r.id());
        o.put("model", r.model());
        ArrayNode results = o.putArray("results");
        for (ModerationResult m : r.results()) {
            ObjectNode result = results.addObject();
            result.put("flagged", m.flagged());
            ObjectNode categories = result.putObject("categories");
            m.categories().forEach(categories::put);
            ObjectNode scores = result.putObject("category_scores");
            m.categoryScores().forEach(scores::put);
        }
        return o.toString();
    }

    /** OpenAI's images response: {@code created}, {@code data[]} and {@code usage} when the upstream sent it. */
    static String images(ImageResponse r, long now) {
        ObjectNode o = JsonOut.MAPPER.createObjectNode();
        o.put("created", r.created() > 0 ? r.created() : now);
        ArrayNode data = o.putArray("data");
        for (GeneratedImage image : r.data()) {
            ObjectNode item = data.addObject();
            image.url().ifPresent(v -> item.put("url", v));
            image.b64Json().ifPresent(v -> item.put("b64_json", v));
            image.revisedPrompt().ifPresent(v -> item.put("revised_prompt", v));
        }
        r.usage().ifPresent(u -> o.putObject("usage").put("input_tokens", u.promptTokens())
                .put("output_tokens", u.completionTokens()).put("total_tokens", u.totalTokens()));
        return o.toString();
    }

    /**
     * The rerank answer as LiteLLM's proxy gives it (Cohere's shape): {@code id}, {@code results[]}
     * with {@code index}, {@code relevance_score} and, when asked, {@code document: {"text": ..}};
     * {@code meta.billed_units.search_units}; Jina's {@code model} and {@code usage.total_tokens}.
     */
    static String rerank(RerankRequest request, RerankResponse r, String fallbackId) {
        ObjectNode o = JsonOut.MAPPER.createObjectNode();
        o.put("id", r.id().isEmpty() ? fallbackId : r.id());
        o.put("model", r.model());
        ArrayNode results = o.putArray("results");
        for (RerankResult result : r.results()) {
            ObjectNode item = results.addObject();
            item.put("index", result.index());
            item.put("relevance_score", result.relevanceScore());
            if (request.returnDocuments()) {
                item.putObject("document").put("text", result.document());
            }
        }
        o.putObject("meta").putObject("billed_units").put("search_units", r.searchUnits());
        r.usage().ifPresent(u -> o.putObject("usage").put("total_tokens", u.totalTokens()));
        return o.toString();
    }
}
