/**
 * Embeddings in OpenAI's shape: {@link io.llmrouter.api.embedding.EmbeddingRequest} and
 * {@link io.llmrouter.api.embedding.EmbeddingResponse}, routed like chat requests.
 *
 * <pre>{@code
 * EmbeddingResponse response = router.embedding(EmbeddingRequest.of("text-embedding-3-small", "hello"));
 * float[] vector = response.data().get(0).vector();
 * }</pre>
 */
package io.llmrouter.api.embedding;
