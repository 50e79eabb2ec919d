/**
 * The Vertex AI adapter (route prefix {@code vertex_ai}): Gemini and Claude models and text
 * embeddings on Google Cloud, with credentials from a service account, Application Default
 * Credentials or a token source of your own ({@link io.llmrouter.providers.vertex.VertexCredentials}).
 *
 * <pre>{@code
 * Deployment gemini = Deployment.builder("gemini", "vertex_ai/gemini-2.5-flash")
 *     .option(VertexAiProvider.PROJECT, "my-project")
 *     .option(VertexAiProvider.LOCATION, "europe-west4")
 *     .option(VertexAiProvider.CREDENTIALS, VertexCredentials.serviceAccount(Path.of("sa.json")))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.providers.vertex;
