/**
 * The router as LangChain4j's models: {@link io.llmrouter.langchain4j.RouterChatModel},
 * {@link io.llmrouter.langchain4j.RouterStreamingChatModel} and
 * {@link io.llmrouter.langchain4j.RouterEmbeddingModel}, each built from a
 * {@link io.llmrouter.Router} and a model group, so {@code AiServices} and the rest of
 * LangChain4j get routing, failover and cost without code changes.
 *
 * <pre>{@code
 * ChatModel model = RouterChatModel.builder(router, "gpt-4o").build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new WeatherTools()).build();
 * String answer = assistant.chat("What is the weather in Paris?");
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.langchain4j;
