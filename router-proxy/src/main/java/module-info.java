/**
 * The proxy: an OpenAI-compatible gateway over the router, with virtual keys and a spend log in
 * PostgreSQL or an embedded H2 database ({@code io.llmrouter.proxy.store}).
 *
 * @since 0.1.0
 */
module io.llmrouter.proxy {
    requires transitive io.llmrouter.api;
    requires java.sql;
    requires com.fasterxml.jackson.databind;
    requires com.zaxxer.hikari;
    // Flyway 10+ ships no module descriptor nor Automatic-Module-Name (flyway/flyway#3788, #4115):
    // this is the name derived from its jar, so the compiler plugin warns about a filename-based
    // automatic module until Flyway names one.
    requires flyway.core;
    requires org.slf4j;
    requires transitive io.llmrouter.core;
    requires io.llmrouter.litellm;
    requires io.llmrouter.micrometer;
    requires transitive micrometer.registry.prometheus;
    requires io.javalin;
    requires org.eclipse.jetty.server;
    requires jakarta.servlet;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports io.llmrouter.proxy;
    exports io.llmrouter.proxy.store;
}
