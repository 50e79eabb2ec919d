package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spring.boot.internal.LiteLlmRouterBuilder;
import io.llmrouter.spring.boot.internal.PropertiesRouterBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures a {@link Router} bean from {@link LlmRouterProperties} ({@code llmrouter.*}), or
 * from the LiteLLM {@code config.yaml} named by {@code llmrouter.litellm-config} (needs
 * router-litellm), with every {@link RouterListener} bean as a listener and every
 * {@link RouterBuilderCustomizer} bean applied; closes it gracefully with the context
 * ({@link RouterShutdown}). Backs off when the application defines its own {@code Router}.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@EnableConfigurationProperties(LlmRouterProperties.class)
public class LlmRouterAutoConfiguration {

    private static final String LITELLM = "io.llmrouter.litellm.LiteLlmConfig";

    /** Created by Spring. */
    public LlmRouterAutoConfiguration() {
    }

    /**
     * The router, built from the properties (or the LiteLLM config, with the properties laid over
     * it), the listeners and the customizers.
     *
     * @param properties the bound {@code llmrouter.*} properties
     * @param environment where a LiteLLM config's {@code os.environ/VAR} values are read
     * @param listeners every {@link RouterListener} bean (metrics, tracing, the application's)
     * @param customizers every {@link RouterBuilderCustomizer} bean
     * @param resourceLoader the application's class loader, to find router-litellm
     * @return the router; closed by {@link RouterShutdown}, and on destroy at the latest
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Router llmRouter(LlmRouterProperties properties, Environment environment,
            ObjectProvider<RouterListener> listeners, ObjectProvider<RouterBuilderCustomizer> customizers,
            ResourceLoader resourceLoader) {
        Router.Builder builder;
        if (properties.getLitellmConfig() != null) {
            if (!ClassUtils.isPresent(LITELLM, resourceLoader.getClassLoader())) {
                throw new InvalidConfigurationPropertyValueException(LlmRouterProperties.PREFIX + ".litellm-config",
                        properties.getLitellmConfig(), "add io.llmrouter:router-litellm to the class path to load it");
            }
            builder = LiteLlmRouterBuilder.load(properties.getLitellmConfig(), environment);
        } else {
            if (properties.getDeployments().isEmpty()) {
                throw new InvalidConfigurationPropertyValueException(LlmRouterProperties.PREFIX + ".deployments", null,
                        "set at least one deployment (or " + LlmRouterProperties.PREFIX
                                + ".litellm-config), or define your own Router bean");
            }
            builder = Router.builder();
        }
        PropertiesRouterBuilder.apply(properties, builder);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * Closes the auto-configured router gracefully when the context stops.
     *
     * @param router the router
     * @param properties for the grace period
     * @return the lifecycle bean
     */
    @Bean
    @ConditionalOnMissingBean
    public RouterShutdown llmRouterShutdown(Router router, LlmRouterProperties properties) {
        return new RouterShutdown(router, properties.getShutdownGracePeriod());
    }
}
