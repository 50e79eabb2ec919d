/**
 * Runnable LangChain4j example: {@link io.llmrouter.examples.langchain4j.LangChain4jExample}
 * ({@code AiServices} over the router's {@code ChatModel}). It runs on the class path, as
 * LangChain4j 1.19's jars name no module.
 *
 * <pre>{@code
 * mvn -pl router-examples-spring -am exec:java -Dexec.mainClass=io.llmrouter.examples.langchain4j.LangChain4jExample
 * }</pre>
 */
package io.llmrouter.examples.langchain4j;
