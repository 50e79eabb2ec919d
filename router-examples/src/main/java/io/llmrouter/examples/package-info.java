/**
 * Runnable examples that need no API key: they route over loopback fake endpoints.
 *
 * <pre>{@code
 * mvn -q -DskipTests install && mvn -q -pl router-examples exec:java
 * }</pre>
 */
package io.llmrouter.examples;
