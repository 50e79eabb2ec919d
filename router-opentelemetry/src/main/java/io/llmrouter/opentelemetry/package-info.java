/**
 * OpenTelemetry traces for the router: {@link io.llmrouter.opentelemetry.RouterTracing} is a
 * {@link io.llmrouter.spi.RouterListener} that makes one span per router call and one child span
 * per attempt, after the GenAI client semantic conventions, with events for retries, fallbacks,
 * cooldowns and streams. It needs the OpenTelemetry API only; the application brings the SDK.
 *
 * <pre>{@code
 * RouterTracing tracing = RouterTracing.create(openTelemetry);
 * Router router = Router.builder().listener(tracing).deployment(...).build();
 * tracing.bind(router);   // optional: server.address on attempt spans
 * }</pre>
 */
package io.llmrouter.opentelemetry;
