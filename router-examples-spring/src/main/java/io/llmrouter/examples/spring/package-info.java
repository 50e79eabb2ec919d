/**
 * Runnable Spring examples: {@link io.llmrouter.examples.spring.SpringBootExample} (the starter)
 * and {@link io.llmrouter.examples.spring.SpringAiExample} (Spring AI's {@code ChatClient}).
 *
 * <pre>{@code
 * mvn -pl router-examples-spring -am exec:java
 * }</pre>
 */
package io.llmrouter.examples.spring;
