package io.llmrouter.spring.boot.internal;

import io.llmrouter.Router;
import io.llmrouter.litellm.LiteLlmConfig;
import io.llmrouter.litellm.LiteLlmConfigException;
import io.llmrouter.litellm.ConfigNote;
import io.llmrouter.spring.boot.LlmRouterProperties;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Loads a LiteLLM {@code config.yaml} with router-litellm, reading {@code os.environ/VAR} from the
 * Spring environment. Only loaded when router-litellm is on the class path.
 *
 * <p>Internal: not API, may change in any release.
 */
public final class LiteLlmRouterBuilder {

    private static final Logger log = LoggerFactory.getLogger(LiteLlmRouterBuilder.class);

    private LiteLlmRouterBuilder() {
    }

    /**
     * Loads the config.
     *
     * @param file the config file
     * @param environment the Spring environment
     * @return a builder holding the config
     * @throws InvalidConfigurationPropertyValueException naming {@code llmrouter.litellm-config}
     *     when the file is invalid or unreadable
     */
    public static Router.Builder load(Path file, Environment environment) {
        try {
            LiteLlmConfig config = LiteLlmConfig.load(file, variables(environment));
            for (ConfigNote note : config.notes()) {
                log.info("llmrouter: {} not applied: {}", file, note);
            }
            return config.routerBuilder();
        } catch (LiteLlmConfigException | java.io.UncheckedIOException e) {
            InvalidConfigurationPropertyValueException invalid = new InvalidConfigurationPropertyValueException(
                    LlmRouterProperties.PREFIX + ".litellm-config", file, e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    /** Every enumerable property (environment variables included), resolved through the environment. */
    private static Map<String, String> variables(Environment environment) {
        Map<String, String> variables = new HashMap<>();
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        if (!variables.containsKey(name)) {
                            String value = safeGet(environment, name);
                            if (value != null) {
                                variables.put(name, value);
                            }
                        }
                    }
                }
            }
        } else {
            variables.putAll(System.getenv());
        }
        return variables;
    }

    private static String safeGet(Environment environment, String name) {
        try {
            return environment.getProperty(name);
        } catch (RuntimeException e) {
            // An unresolvable placeholder in an unrelated property: not a variable the config can use.
            return null;
        }
    }
}
