package io.llmrouter.litellm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.litellm.ConfigNote;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without router-redis, Redis settings are noted (what to add) and never fail the load nor leak the password. */
class ConfigReaderWithoutRedisTest {

    private static final String PASSWORD = "redis-pw-DO-NOT-LEAK-42";

    @Test
    void redisSettingsAndARedisCacheAreNotedWithWhatToAdd() {
        ConfigReader reader = new ConfigReader("config.yaml", Map.of("REDIS_PASSWORD", PASSWORD), false, false, false);

        ConfigReader.Result result = reader.read(new StringReader("""
                model_list:
                  - model_name: a
                    litellm_params: {model: openai/gpt-4o}
                router_settings:
                  redis_host: redis.internal
                  redis_password: os.environ/REDIS_PASSWORD
                litellm_settings:
                  cache: true
                  cache_params: {type: redis}
                """));

        assertThat(result.notes()).extracting(ConfigNote::line, ConfigNote::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, "router_settings.redis_host"),
                org.assertj.core.groups.Tuple.tuple(9, "litellm_settings.cache_params.type"));
        assertThat(result.notes()).allSatisfy(n -> assertThat(n.reason()).contains("io.llmrouter:router-redis")
                .doesNotContain(PASSWORD));
        assertThat(result.stateRedis()).isNull();
        assertThat(result.cache()).as("caching stays off rather than silently in memory").isNull();
    }
}
