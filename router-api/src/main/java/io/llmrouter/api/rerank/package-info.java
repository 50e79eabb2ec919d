/**
 * Rerank: {@link io.llmrouter.api.rerank.RerankRequest} (a query and the documents to order) and
 * {@link io.llmrouter.api.rerank.RerankResponse} (each document's index and relevance score, most
 * relevant first), routed like chat requests and billed per search unit.
 *
 * <pre>{@code
 * RerankResponse response = router.rerank(RerankRequest.builder("rerank", "What is the capital of France?")
 *         .addDocument("Paris is the capital of France.").addDocument("Berlin is in Germany.").topN(1).build());
 * int best = response.results().get(0).index();
 * }</pre>
 */
package io.llmrouter.api.rerank;
