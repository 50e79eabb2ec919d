/**
 * The OpenAI Responses API ({@code POST /v1/responses}) as a pass-through: the JSON body goes to
 * the deployment as it is, with its model rewritten, and the JSON answer comes back as it is,
 * with usage, cost and routing read and added by the router.
 *
 * <pre>{@code
 * ObjectNode body = JsonNodeFactory.instance.objectNode().put("input", "Tell me a joke");
 * ResponsesResponse r = router.responses(ResponsesRequest.of("gpt-4o", body));
 * JsonNode output = r.body().get("output");
 * }</pre>
 */
package io.llmrouter.api.responses;
