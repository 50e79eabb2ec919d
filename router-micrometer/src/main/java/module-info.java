/**
 * {@link io.llmrouter.micrometer.RouterMetrics}: the router's metrics on a Micrometer
 * {@code MeterRegistry}. Its API takes Micrometer types, so Micrometer is re-exported.
 *
 * @since 0.1.0
 */
module io.llmrouter.micrometer {
    requires transitive io.llmrouter.api;
    requires transitive io.llmrouter.core;
    requires transitive micrometer.core;

    exports io.llmrouter.micrometer;
}
