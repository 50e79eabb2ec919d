package io.llmrouter.providers.bedrock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.rerank.RerankResult;

/**
 * The Rerank API of Agents for Amazon Bedrock ({@code POST https://bedrock-agent-runtime.{region}.amazonaws.com/rerank}):
 * the body, the model ARN and the answer. Readers throw an {@link IllegalArgumentException} naming
 * the JSON path of a value that does not fit.
 */
public final class BedrockRerank {

    /**
     * The most documents Bedrock bills as one query: {@value}; a request with more counts as
     * several queries (AWS pricing: "a query can contain up to 100 document chunks").
     */
    public static final int DOCUMENTS_PER_QUERY = 100;

    /** The most documents (sources) one Rerank call takes: {@value}. */
    public static final int MAX_DOCUMENTS = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BedrockRerank() {
    }

    /**
     * The model's ARN: the model id itself when it is already an ARN, else
     * {@code arn:aws:bedrock:{region}::foundation-model/{modelId}} ({@code aws-cn} for {@code cn-} regions).
     *
     * @param modelId the model id, e.g. {@code amazon.rerank-v1:0}
     * @param region the region
     * @return the ARN
     */
    public static String modelArn(String modelId, String region) {
        if (modelId.startsWith("arn:")) {
            return modelId;
        }
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":bedrock:" + region + "::foundation-model/" + modelId;
    }

    /**
     * The body: one {@code TEXT} query, each document as an {@code INLINE} {@code TEXT} source, and
     * a {@code BEDROCK_RERANKING_MODEL} configuration with {@code numberOfResults} (the request's
     * top N, else every document) and the model ARN.
     *
     * @param r the request
     * @param modelArn the model's ARN
     * @return the body
     */
    public static ObjectNode body(RerankRequest r, String modelArn) {
        ObjectNode o = NODES.objectNode();
        ObjectNode query = o.putArray("queries").addObject();
        query.put("type", "TEXT");
        query.putObject("textQuery").put("text", r.query());
        ArrayNode sources = o.putArray("sources");
        for (String document : r.documents()) {
            ObjectNode source = sources.addObject();
            source.put("type", "INLINE");
            ObjectNode inline = source.putObject("inlineDocumentSource");
            inline.put("type", "TEXT");
            inline.putObject("textDocument").put("text", document);
        }
        ObjectNode configuration = o.putObject("rerankingConfiguration");
        configuration.put("type", "BEDROCK_RERANKING_MODEL");
        ObjectNode bedrock = configuration.putObject("bedrockRerankingConfiguration");
        bedrock.put("numberOfResults", Math.min(r.topN().orElse(r.documents().size()), r.documents().size()));
        bedrock.putObject("modelConfiguration").put("modelArn", modelArn);
        return o;
    }

    /**
     * The queries Bedrock bills for a request: one per {@value #DOCUMENTS_PER_QUERY} documents,
     * at least one.
     *
     * @param documents the number of documents
     * @return the billed queries
     */
    public static int billedQueries(int documents) {
        return Math.max(1, (documents + DOCUMENTS_PER_QUERY - 1) / DOCUMENTS_PER_QUERY);
    }

    /**
     * Reads the answer {@code {"results": [{"index", "relevanceScore", "document"?}]}}: the document
     * text, when the request asks for it, from {@code document.textDocument.text}, else from the
     * request; search units from {@link #billedQueries}.
     *
     * @param json the body
     * @param request the request the answer is for
     * @param id the response id (the request id header, or a generated one)
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     */
    public static RerankResponse read(JsonNode json, RerankRequest request, String id) {
        if (!(json instanceof ObjectNode root)) {
            throw new IllegalArgumentException("$: expected an object");
        }
        if (!(root.get("results") instanceof ArrayNode results)) {
            throw new IllegalArgumentException("$.results: expected an array");
        }
        RerankResponse.Builder b = RerankResponse.builder().id(id).model(request.model())
                .searchUnits(billedQueries(request.documents().size()));
        for (int i = 0; i < results.size(); i++) {
            String p = "$.results[" + i + "]";
            JsonNode r = results.get(i);
            JsonNode index = r.get("index");
            if (index == null || !index.isInt() || index.intValue() < 0
                    || index.intValue() >= request.documents().size()) {
                throw new IllegalArgumentException(p + ".index: expected the index of one of the "
                        + request.documents().size() + " documents");
            }
            JsonNode score = r.get("relevanceScore");
            if (score == null || !score.isNumber()) {
                throw new IllegalArgumentException(p + ".relevanceScore: expected a number");
            }
            String document = "";
            if (request.returnDocuments()) {
                JsonNode text = r.at("/document/textDocument/text");
                document = text.isTextual() ? text.textValue() : request.documents().get(index.intValue());
            }
            b.addResult(new RerankResult(index.intValue(), score.doubleValue(), document));
        }
        return b.build();
    }
}
