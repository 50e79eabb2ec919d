package io.llmrouter.providers.vertex.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vertex AI text embeddings ({@code text-embedding-005}, {@code text-multilingual-embedding-002},
 * {@code gemini-embedding-001}, ...) through {@code :predict}: the request body
 * {@code {"instances":[{"content":...}],"parameters":{...}}} and the answer
 * {@code {"predictions":[{"embeddings":{"values":[...],"statistics":{"token_count":N}}}]}}.
 */
public final class VertexEmbeddings {

    /** The extra body fields that go into each instance rather than into {@code parameters}. */
    public static final Set<String> INSTANCE_FIELDS = Set.of("task_type", "title");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private VertexEmbeddings() {
    }

    /**
     * The {@code :predict} body: one instance per input ({@code content}, plus {@code task_type} and
     * {@code title} from the extra body), {@code parameters.outputDimensionality} from the
     * request's dimensions and the other extra body fields (e.g. {@code autoTruncate}) in
     * {@code parameters}.
     *
     * @param request the request
     * @return a new tree
     * @throws IllegalArgumentException if the request has no input
     */
    public static ObjectNode predictBody(EmbeddingRequest request) {
        if (request.inputs().isEmpty()) {
            throw new IllegalArgumentException("input: no text to embed");
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode instances = body.putArray("instances");
        ObjectNode parameters = NODES.objectNode();
        request.dimensions().ifPresent(d -> parameters.put("outputDimensionality", d));
        for (Map.Entry<String, JsonNode> e : request.extraBody().entrySet()) {
            if (!INSTANCE_FIELDS.contains(e.getKey())) {
                parameters.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        for (String input : request.inputs()) {
            ObjectNode instance = instances.addObject();
            instance.put("content", input);
            for (String field : INSTANCE_FIELDS) {
                JsonNode value = request.extraBody().get(field);
                if (value != null) {
                    instance.set(field, value.deepCopy());
                }
            }
        }
        if (!parameters.isEmpty()) {
            body.set("parameters", parameters);
        }
        return body;
    }

    /**
     * Reads a {@code :predict} answer: {@code predictions[i].embeddings.values} is the vector of
     * input {@code i}; the usage's prompt tokens are the sum of the
     * {@code embeddings.statistics.token_count} values (none reported: no usage).
     *
     * @param root the parsed body
     * @param model the model to report
     * @param inputs the number of texts sent; the answer must hold as many predictions
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed
     */
    public static EmbeddingResponse readPredictions(JsonNode root, String model, int inputs) {
        if (!root.isObject()) {
            throw malformed("$", "expected an object");
        }
        JsonNode predictions = root.get("predictions");
        if (predictions == null || !predictions.isArray()) {
            throw malformed("predictions", "expected an array");
        }
        if (predictions.size() != inputs) {
            throw malformed("predictions", "expected " + inputs + " predictions (one per input), got "
                    + predictions.size());
        }
        EmbeddingResponse.Builder b = EmbeddingResponse.builder().model(model);
        long tokens = 0;
        boolean counted = false;
        for (int i = 0; i < predictions.size(); i++) {
            String path = "predictions[" + i + "].embeddings";
            JsonNode embeddings = predictions.get(i).get("embeddings");
            if (embeddings == null || !embeddings.isObject()) {
                throw malformed(path, "expected an object");
            }
            JsonNode values = embeddings.get("values");
            if (values == null || !values.isArray()) {
                throw malformed(path + ".values", "expected an array");
            }
            float[] vector = new float[values.size()];
            for (int k = 0; k < vector.length; k++) {
                JsonNode v = values.get(k);
                if (!v.isNumber()) {
                    throw malformed(path + ".values[" + k + "]", "expected a number");
                }
                vector[k] = v.floatValue();
            }
            b.addEmbedding(Embedding.of(i, vector));
            JsonNode count = embeddings.path("statistics").get("token_count");
            if (count != null && !count.isNull()) {
                if (!count.isNumber() || !count.canConvertToExactIntegral() || count.longValue() < 0) {
                    throw malformed(path + ".statistics.token_count", "expected a non-negative integer");
                }
                tokens += count.longValue();
                counted = true;
            }
        }
        if (counted) {
            if (tokens > Integer.MAX_VALUE) {
                throw malformed("predictions[].embeddings.statistics.token_count", "the sum exceeds an int");
            }
            b.usage(Usage.builder().promptTokens((int) tokens).totalTokens((int) tokens).build());
        }
        return b.build();
    }

    /**
     * {@code body} split into one body per instance, each with the same {@code parameters}.
     *
     * @param body a {@link #predictBody} result
     * @return one body per instance, in order
     */
    public static List<ObjectNode> perInstance(ObjectNode body) {
        List<ObjectNode> parts = new ArrayList<>(body.get("instances").size());
        for (JsonNode instance : body.get("instances")) {
            ObjectNode part = NODES.objectNode();
            part.putArray("instances").add(instance);
            JsonNode parameters = body.get("parameters");
            if (parameters != null) {
                part.set("parameters", parameters);
            }
            parts.add(part);
        }
        return parts;
    }

    /**
     * The answers of {@link #perInstance} calls as one response: the embeddings renumbered in
     * order, the usages added up (none reported by any: no usage).
     *
     * @param parts the answers, in the order of the inputs
     * @param model the model to report
     * @return the response
     */
    public static EmbeddingResponse merge(List<EmbeddingResponse> parts, String model) {
        EmbeddingResponse.Builder b = EmbeddingResponse.builder().model(model);
        int index = 0;
        long tokens = 0;
        boolean counted = false;
        for (EmbeddingResponse part : parts) {
            for (Embedding e : part.data()) {
                b.addEmbedding(Embedding.of(index++, e.vector()));
            }
            if (part.usage().isPresent()) {
                tokens += part.usage().get().promptTokens();
                counted = true;
            }
        }
        if (counted) {
            int total = (int) Math.min(Integer.MAX_VALUE, tokens);
            b.usage(Usage.builder().promptTokens(total).totalTokens(total).build());
        }
        return b.build();
    }

    private static IllegalArgumentException malformed(String path, String problem) {
        return new IllegalArgumentException(path + ": " + problem);
    }
}
