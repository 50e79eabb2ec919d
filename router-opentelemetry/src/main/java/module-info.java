/**
 * {@link io.llmrouter.opentelemetry.RouterTracing}: OpenTelemetry spans for the router's calls and
 * attempts. Its API takes the OpenTelemetry API's types, so that API is re-exported.
 *
 * @since 0.1.0
 */
module io.llmrouter.opentelemetry {
    requires transitive io.llmrouter.api;
    requires transitive io.llmrouter.core;
    requires transitive io.opentelemetry.api;
    requires io.opentelemetry.context;

    exports io.llmrouter.opentelemetry;
}
