/**
 * Runnable examples. As a named module it is also the module-path smoke test's application:
 * it requires only the router (and the test kit and MockWebServer its examples use); the OpenAI
 * adapter is bound as a {@link io.llmrouter.spi.ProviderFactory} service. It also provides one:
 * {@code AcmeProviderFactory}, the example of a user's own adapter.
 *
 * @since 0.1.0
 */
module io.llmrouter.examples {
    requires com.fasterxml.jackson.databind; // AcmeProvider
    requires io.llmrouter.api;
    requires io.llmrouter.core;
    requires io.llmrouter.jsonschema; // RequestControlExample
    requires io.llmrouter.litellm; // LiteLlmConfigExample
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
    requires okhttp3; // MockWebServer.url() returns an okhttp3.HttpUrl; AcmeProvider sends with OkHttp
    requires okio; // AcmeProvider reads its stream line by line

    exports io.llmrouter.examples;
    // io.llmrouter.examples.acme is not exported: the router finds the Acme adapter as a service.

    provides io.llmrouter.spi.ProviderFactory with io.llmrouter.examples.acme.AcmeProviderFactory;
}
