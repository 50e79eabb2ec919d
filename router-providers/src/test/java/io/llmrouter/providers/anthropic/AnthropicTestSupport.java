package io.llmrouter.providers.anthropic;

import io.llmrouter.providers.testsupport.ProviderTestKit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import mockwebserver3.MockResponse;

/** Helpers shared by the Anthropic adapter tests: resources, JSON trees, futures, a fixed clock. */
final class AnthropicTestSupport {

    /** The fixed time the tests' provider reports as {@code created}. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private AnthropicTestSupport() {
    }

    /** {@code /anthropic/<name>} from the test resources. */
    static String resource(String name) {
        return ProviderTestKit.resource("anthropic", name);
    }

    static MockResponse json(int status, String body) {
        return ProviderTestKit.json(status, body, Map.of("request-id", "req_test_0123"));
    }
}
