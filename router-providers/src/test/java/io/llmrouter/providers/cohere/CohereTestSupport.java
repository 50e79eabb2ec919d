package io.llmrouter.providers.cohere;

import io.llmrouter.providers.testsupport.ProviderTestKit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import mockwebserver3.MockResponse;

/** Helpers shared by the Cohere adapter tests: resources, JSON trees, futures, environments. */
final class CohereTestSupport {

    /** The fixed time the tests' provider reads answers at. */
    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private CohereTestSupport() {
    }

    /** {@code /cohere/<name>} from the test resources. */
    static String resource(String name) {
        return ProviderTestKit.resource("cohere", name);
    }

    static MockResponse json(int status, String body) {
        return ProviderTestKit.json(status, body, Map.of());
    }
}
