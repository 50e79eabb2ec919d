package io.llmrouter.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.rerank.RerankResult;

/**
 * The rerank wire format shared by Cohere ({@code /v2/rerank}) and the Jina/Voyage-style
 * compatible APIs ({@code {apiBase}/rerank}). Readers throw an {@link IllegalArgumentException}
 * naming the JSON path for a body that does not fit, which {@link JsonHttp#read} turns into an
 * {@link io.llmrouter.api.exception.InvalidProviderResponseException}.
 */
public final class RerankCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RerankCodec() {
    }

    /**
     * The body: {@code model}, {@code query}, {@code documents}, {@code top_n} when set, and
     * {@code return_documents} when {@code sendReturnDocuments} (Cohere v2 has no such field: the
     * reader takes the texts from the request instead).
     *
     * @param r the request, whose model is the provider's model name
     * @param sendReturnDocuments whether the API takes {@code return_documents}
     * @return the body
     */
    public static ObjectNode writeRequest(RerankRequest r, boolean sendReturnDocuments) {
        ObjectNode o = NODES.objectNode();
        o.put("model", r.model());
        o.put("query", r.query());
        ArrayNode documents = o.putArray("documents");
        r.documents().forEach(documents::add);
        r.topN().ifPresent(n -> o.put("top_n", n));
        if (sendReturnDocuments) {
            o.put("return_documents", r.returnDocuments());
        }
        return o;
    }

    /**
     * Reads the answer: {@code results[]} (Cohere, Jina) or {@code data[]} (Voyage) with
     * {@code index} and {@code relevance_score}; the document text when the request asked for it
     * ({@code document} as text or {@code {"text": ..}}, else the request's own document);
     * {@code id}, {@code model} (else the request's), Cohere's
     * {@code meta.billed_units.search_units} and Jina's and Voyage's {@code usage.total_tokens}.
     *
     * @param json the body
     * @param request the request the answer is for
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     */
    public static RerankResponse readResponse(JsonNode json, RerankRequest request) {
        if (!(json instanceof ObjectNode root)) {
            throw new IllegalArgumentException("$: expected an object");
        }
        JsonNode model = root.get("model");
        RerankResponse.Builder b = RerankResponse.builder()
                .model(model != null && model.isTextual() ? model.textValue() : request.model());
        JsonNode id = root.get("id");
        if (id != null && id.isTextual()) {
            b.id(id.textValue());
        }
        String field = root.has("results") ? "results" : "data";
        JsonNode results = root.get(field);
        if (!(results instanceof ArrayNode array)) {
            throw new IllegalArgumentException("$.results: expected an array");
        }
        for (int i = 0; i < array.size(); i++) {
            String p = "$." + field + "[" + i + "]";
            JsonNode r = array.get(i);
            JsonNode index = r.get("index");
            if (index == null || !index.isInt() || index.intValue() < 0
                    || index.intValue() >= request.documents().size()) {
                throw new IllegalArgumentException(p + ".index: expected the index of one of the "
                        + request.documents().size() + " documents");
            }
            JsonNode score = r.get("relevance_score");
            if (score == null || !score.isNumber()) {
                throw new IllegalArgumentException(p + ".relevance_score: expected a number");
            }
            String document = request.returnDocuments() ? document(r.get("document"), p) : "";
            if (request.returnDocuments() && document == null) {
                document = request.documents().get(index.intValue());
            }
            b.addResult(new RerankResult(index.intValue(), score.doubleValue(), document));
        }
        JsonNode units = root.at("/meta/billed_units/search_units");
        if (units.isNumber()) {
            b.searchUnits(units.intValue());
        }
        JsonNode tokens = root.at("/usage/total_tokens");
        if (tokens.isInt() && tokens.intValue() >= 0) {
            b.usage(Usage.builder().promptTokens(tokens.intValue()).totalTokens(tokens.intValue()).build());
        }
        return b.build();
    }

    /** The document's text, or null when the answer carries none. */
    private static String document(JsonNode d, String path) {
        if (d == null || d.isNull()) {
            return null;
        }
        if (d.isTextual()) {
            return d.textValue();
        }
        JsonNode text = d.get("text");
        if (text != null && text.isTextual()) {
            return text.textValue();
        }
        throw new IllegalArgumentException(path + ".document: expected a string or an object with a text");
    }
}
