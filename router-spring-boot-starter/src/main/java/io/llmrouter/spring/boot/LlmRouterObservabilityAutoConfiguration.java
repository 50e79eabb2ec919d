package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.opentelemetry.RouterTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds router-micrometer's {@link RouterMetrics} when it is on the class path and a
 * {@link MeterRegistry} bean exists, and router-opentelemetry's {@link RouterTracing} when it is on
 * the class path and an {@link OpenTelemetry} bean exists. Both are {@link io.llmrouter.spi.RouterListener}
 * beans, so the auto-configured router registers them.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = LlmRouterAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration"})
public class LlmRouterObservabilityAutoConfiguration {

    /** Created by Spring. */
    public LlmRouterObservabilityAutoConfiguration() {
    }

    /**
     * Micrometer metrics.
     *
     * @since 0.1.0
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.llmrouter.micrometer.RouterMetrics", "io.micrometer.core.instrument.MeterRegistry"})
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    public static class Metrics {

        /** Created by Spring. */
        public Metrics() {
        }

        /**
         * The router's metrics on the application's registry.
         *
         * @param registry the registry
         * @return the metrics listener
         */
        @Bean
        @ConditionalOnMissingBean
        public RouterMetrics llmRouterMetrics(MeterRegistry registry) {
            return RouterMetrics.create(registry);
        }

        /**
         * Registers the router's gauges once every singleton exists.
         *
         * @param metrics the metrics
         * @param router the router, if any
         * @return the binding callback
         */
        @Bean
        public SmartInitializingSingleton llmRouterMetricsBinding(RouterMetrics metrics, ObjectProvider<Router> router) {
            return () -> router.ifAvailable(metrics::bind);
        }
    }

    /**
     * OpenTelemetry tracing.
     *
     * @since 0.1.0
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.llmrouter.opentelemetry.RouterTracing", "io.opentelemetry.api.OpenTelemetry"})
    @ConditionalOnBean(type = "io.opentelemetry.api.OpenTelemetry")
    public static class Tracing {

        /** Created by Spring. */
        public Tracing() {
        }

        /**
         * The router's spans through the application's OpenTelemetry.
         *
         * @param openTelemetry the OpenTelemetry
         * @return the tracing listener
         */
        @Bean
        @ConditionalOnMissingBean
        public RouterTracing llmRouterTracing(OpenTelemetry openTelemetry) {
            return RouterTracing.create(openTelemetry);
        }
    }
}
