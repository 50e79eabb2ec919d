package io.llmrouter.providers.cohere.internal;

import static io.llmrouter.providers.cohere.internal.CohereChatCodec.kind;
import static io.llmrouter.providers.cohere.internal.CohereChatCodec.tokenCount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;

/**
 * Translates an {@link EmbeddingRequest} into Cohere's {@code POST /v2/embed} body and the answer
 * back into an {@link EmbeddingResponse}.
 *
 * <p>Request: {@code {"model","texts","input_type","embedding_types":["float"],"output_dimension"?}}
 * ({@code dimensions} → {@code output_dimension}; {@code user} has no Cohere field and is dropped),
 * then {@link EmbeddingRequest#extraBody()} merged over the top level (e.g. {@code truncate}, or an
 * {@code input_type} for this request). Response: {@code embeddings.float[][]} (or, from the legacy
 * {@code embeddings_floats} shape, {@code embeddings[][]}), one vector per text in order; usage
 * prompt tokens = {@code meta.billed_units.input_tokens}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CohereEmbedCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CohereEmbedCodec() {
    }

    /**
     * The {@code /v2/embed} body.
     *
     * @param request the request; its model is Cohere's model name
     * @param inputType the {@code input_type} to send unless the request's extra body sets one
     * @return a new tree
     */
    public static ObjectNode writeRequest(EmbeddingRequest request, String inputType) {
        ObjectNode o = NODES.objectNode();
        o.put("model", request.model());
        ArrayNode texts = o.putArray("texts");
        request.inputs().forEach(texts::add);
        o.put("input_type", inputType);
        o.putArray("embedding_types").add("float");
        if (request.dimensions().isPresent()) {
            o.put("output_dimension", request.dimensions().getAsInt());
        }
        request.extraBody().forEach(o::set);
        return o;
    }

    /**
     * The normalized response.
     *
     * @param tree the parsed answer
     * @param model the model to report (the request's)
     * @param expectedCount the number of texts sent
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed or has
     *     another number of vectors than texts sent
     */
    public static EmbeddingResponse readResponse(JsonNode tree, String model, int expectedCount) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException("$: expected an object, was " + kind(tree));
        }
        JsonNode embeddings = tree.get("embeddings");
        JsonNode vectors;
        String path;
        if (embeddings != null && embeddings.isObject()) {
            vectors = embeddings.get("float");
            path = "embeddings.float";
        } else {
            vectors = embeddings;
            path = "embeddings";
        }
        if (vectors == null || !vectors.isArray()) {
            throw new IllegalArgumentException(path + ": expected an array of float vectors, was " + kind(vectors));
        }
        if (vectors.size() != expectedCount) {
            throw new IllegalArgumentException(path + ": expected " + expectedCount + " vectors (one per text), was "
                    + vectors.size());
        }
        EmbeddingResponse.Builder b = EmbeddingResponse.builder().model(model);
        for (int i = 0; i < vectors.size(); i++) {
            JsonNode v = vectors.get(i);
            if (!v.isArray()) {
                throw new IllegalArgumentException(path + "[" + i + "]: expected an array, was " + kind(v));
            }
            float[] vector = new float[v.size()];
            for (int j = 0; j < v.size(); j++) {
                JsonNode x = v.get(j);
                if (!x.isNumber()) {
                    throw new IllegalArgumentException(path + "[" + i + "][" + j + "]: expected a number, was "
                            + kind(x));
                }
                vector[j] = x.floatValue();
            }
            b.addEmbedding(Embedding.of(i, vector));
        }
        JsonNode billed = tree.path("meta").path("billed_units");
        if (billed.isObject()) {
            b.usage(Usage.builder()
                    .promptTokens(tokenCount(billed, "input_tokens", "meta.billed_units.input_tokens"))
                    .build());
        }
        return b.build();
    }
}
