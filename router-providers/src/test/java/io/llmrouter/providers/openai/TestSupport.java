package io.llmrouter.providers.openai;

import io.llmrouter.providers.testsupport.ProviderTestKit;
import java.util.Map;
import mockwebserver3.MockResponse;

/** Helpers shared by the adapter tests: resources, JSON trees, futures, environments. */
final class TestSupport {

    private TestSupport() {
    }

    /** {@code /<folder>/<name>} from the test resources. */
    static String resource(String folder, String name) {
        return ProviderTestKit.resource(folder, name);
    }

    static MockResponse json(int status, String body) {
        return ProviderTestKit.json(status, body, Map.of());
    }
}
