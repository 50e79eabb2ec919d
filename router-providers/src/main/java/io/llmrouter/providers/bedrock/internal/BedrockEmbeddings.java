package io.llmrouter.providers.bedrock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.embedding.EmbeddingRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model-native InvokeModel bodies ({@code POST /model/{modelId}/invoke}) of the embedding
 * families this adapter supports, and their answers.
 *
 * <ul>
 * <li>Amazon Titan Text Embeddings (model id containing {@code amazon.titan-embed}): one text per
 *     call, {@code {"inputText", "dimensions"?}} plus the request's extra body (e.g.
 *     {@code normalize}); answer {@code {"embedding": [...], "inputTextTokenCount"}}.</li>
 * <li>Cohere Embed (model id containing {@code cohere.embed}): up to {@value #COHERE_MAX_TEXTS}
 *     texts per call, {@code {"texts", "input_type": "search_document", "output_dimension"?}} plus
 *     the extra body (which may replace {@code input_type}, or add {@code truncate},
 *     {@code embedding_types}); answer {@code {"embeddings": [[...]]}} or, with
 *     {@code embedding_types}, {@code {"embeddings": {"float": [[...]]}}}.</li>
 * </ul>
 */
public final class BedrockEmbeddings {

    /** The most texts Cohere Embed takes in one call: {@value}. */
    public static final int COHERE_MAX_TEXTS = 96;

    /** Cohere's {@code input_type} when the request's extra body gives none: {@value}. */
    public static final String DEFAULT_COHERE_INPUT_TYPE = "search_document";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BedrockEmbeddings() {
    }

    /** An embedding model family with its own body shape. */
    public enum Family {
        /** Amazon Titan Text Embeddings: one text per call. */
        TITAN,
        /** Cohere Embed: a batch of texts per call. */
        COHERE
    }

    /**
     * The family of a model id, e.g. {@code amazon.titan-embed-text-v2:0} or
     * {@code cohere.embed-english-v3}.
     *
     * @param modelId the model id
     * @return the family, empty when this adapter cannot embed with it
     */
    public static Optional<Family> family(String modelId) {
        if (modelId.contains("amazon.titan-embed")) {
            return Optional.of(Family.TITAN);
        }
        if (modelId.contains("cohere.embed")) {
            return Optional.of(Family.COHERE);
        }
        return Optional.empty();
    }

    /**
     * One call's texts: each text alone for Titan, chunks of {@value #COHERE_MAX_TEXTS} for Cohere.
     *
     * @param family the family
     * @param inputs the request's texts
     * @return the batches, in input order
     */
    public static List<List<String>> batches(Family family, List<String> inputs) {
        int size = family == Family.TITAN ? 1 : COHERE_MAX_TEXTS;
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i += size) {
            batches.add(inputs.subList(i, Math.min(inputs.size(), i + size)));
        }
        return batches;
    }

    /**
     * The body of one call.
     *
     * @param family the family
     * @param texts the call's texts (exactly one for Titan)
     * @param request the request, for {@code dimensions} and its extra body
     * @return a new tree
     */
    public static ObjectNode body(Family family, List<String> texts, EmbeddingRequest request) {
        ObjectNode body = NODES.objectNode();
        if (family == Family.TITAN) {
            body.put("inputText", texts.get(0));
            request.dimensions().ifPresent(d -> body.put("dimensions", d));
        } else {
            ArrayNode array = body.putArray("texts");
            texts.forEach(array::add);
            body.put("input_type", DEFAULT_COHERE_INPUT_TYPE);
            request.dimensions().ifPresent(d -> body.put("output_dimension", d));
        }
        for (Map.Entry<String, JsonNode> e : request.extraBody().entrySet()) {
            body.set(e.getKey(), e.getValue());
        }
        return body;
    }

    /**
     * The vectors of one answer.
     *
     * @param family the family
     * @param root the parsed answer
     * @param expected how many vectors the call asked for
     * @return the vectors, in the call's text order
     * @throws IllegalArgumentException naming the field when the answer is not of the family's shape
     */
    public static List<float[]> vectors(Family family, JsonNode root, int expected) {
        List<float[]> vectors = new ArrayList<>();
        if (family == Family.TITAN) {
            vectors.add(vector(root.get("embedding"), "embedding"));
        } else {
            JsonNode embeddings = root.get("embeddings");
            if (embeddings != null && embeddings.isObject()) {
                embeddings = embeddings.get("float");
                if (embeddings == null) {
                    throw new IllegalArgumentException("embeddings has no 'float' vectors; ask for"
                            + " embedding_types [\"float\"]");
                }
            }
            if (embeddings == null || !embeddings.isArray()) {
                throw new IllegalArgumentException("embeddings is missing or not an array");
            }
            for (int i = 0; i < embeddings.size(); i++) {
                vectors.add(vector(embeddings.get(i), "embeddings[" + i + "]"));
            }
        }
        if (vectors.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " embeddings, got " + vectors.size());
        }
        return vectors;
    }

    /**
     * The input tokens an answer reports in its body (Titan's {@code inputTextTokenCount}).
     *
     * @param family the family
     * @param root the parsed answer
     * @return the count, empty when the body has none
     */
    public static Optional<Integer> inputTokens(Family family, JsonNode root) {
        JsonNode count = family == Family.TITAN ? root.get("inputTextTokenCount") : null;
        if (count != null && count.isIntegralNumber() && count.canConvertToInt() && count.intValue() >= 0) {
            return Optional.of(count.intValue());
        }
        return Optional.empty();
    }

    private static float[] vector(JsonNode node, String where) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(where + " is missing or not an array");
        }
        float[] v = new float[node.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber()) {
                throw new IllegalArgumentException(where + "[" + i + "] is not a number");
            }
            v[i] = x.floatValue();
        }
        return v;
    }
}
