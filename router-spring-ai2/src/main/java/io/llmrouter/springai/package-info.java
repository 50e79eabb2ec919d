/**
 * Spring AI 2.0 models backed by the router (router-spring-ai2; router-spring-ai has the same
 * classes for Spring AI 1.1): {@link io.llmrouter.springai.RouterChatModel} (calls,
 * streaming, tool calling, structured output) and {@link io.llmrouter.springai.RouterEmbeddingModel},
 * each over a model group, with usage and cost in the response metadata.
 *
 * <pre>{@code
 * ChatModel model = RouterChatModel.builder(router, "gpt-4o").build();
 * ChatClient client = ChatClient.builder(model).defaultAdvisors(new SimpleLoggerAdvisor()).build();
 * Answer a = client.prompt("What is 2 + 2?").call().entity(Answer.class);
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.springai;
