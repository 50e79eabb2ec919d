/**
 * Runnable examples. As a named module it is also the module-path smoke test's application:
 * it requires only the router (and the test kit and MockWebServer its examples use); the OpenAI
 * adapter is bound as a {@link io.llmrouter.spi.ProviderFactory} service.
 *
 * @since 0.1.0
 */
module io.llmrouter.examples {
    requires io.llmrouter.api;
    requires io.llmrouter.core;
    requires io.llmrouter.micrometer; // ObservabilityExample
    requires io.llmrouter.opentelemetry; // ObservabilityExample
    requires io.llmrouter.redis; // FleetExample
    requires io.opentelemetry.api; // ObservabilityExample, with the SDK (the application's choice)
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires micrometer.core; // ObservabilityExample
    requires io.llmrouter.testing;
    requires mockwebserver3;
    requires okhttp3; // MockWebServer.url() returns an okhttp3.HttpUrl

    exports io.llmrouter.examples;
}
