/**
 * Spring Boot auto-configuration of the router. Spring's jars are automatic modules; the optional
 * pieces (LiteLLM loader, Micrometer, OpenTelemetry, Actuator and Boot 4's health API, Spring AI) are {@code requires static}:
 * each is configured only when the application has it. The configuration classes are open to
 * Spring's reflection.
 *
 * @since 0.1.0
 */
module io.llmrouter.spring.boot {
    requires transitive io.llmrouter.core;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    requires transitive spring.beans;
    requires transitive spring.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static transitive spring.boot.actuator;
    requires static transitive spring.boot.health;
    requires static io.llmrouter.litellm;
    requires static transitive io.llmrouter.micrometer;
    requires static transitive io.llmrouter.opentelemetry;
    requires static transitive micrometer.core;
    requires static transitive io.opentelemetry.api;

    exports io.llmrouter.spring.boot;

    opens io.llmrouter.spring.boot;
}
