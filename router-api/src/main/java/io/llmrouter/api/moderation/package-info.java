/**
 * Moderation in OpenAI's shape ({@code POST /v1/moderations}):
 * {@link io.llmrouter.api.moderation.ModerationRequest} and
 * {@link io.llmrouter.api.moderation.ModerationResponse}, routed like chat requests.
 *
 * <pre>{@code
 * ModerationResponse response = router.moderation(ModerationRequest.of("moderation", "some text"));
 * boolean flagged = response.results().get(0).flagged();
 * }</pre>
 */
package io.llmrouter.api.moderation;
