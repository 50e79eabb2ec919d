/**
 * Validation of structured answers: {@link io.llmrouter.jsonschema.JsonSchemaRule} rejects an
 * answer to a {@code response_format: json_schema} request that is not JSON valid against the
 * request's schema, so the router retries it or falls back (see {@code src-docs/request-control.md}).
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .deployment(gpt4o)
 *         .responseRule(JsonSchemaRule.create())
 *         .build();
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.jsonschema;
