package io.llmrouter.providers.azure;

import io.llmrouter.providers.testsupport.ProviderTestKit;
import java.util.Map;
import mockwebserver3.MockResponse;

/** Helpers shared by the Azure adapter tests. */
final class AzureTestSupport {

    private AzureTestSupport() {
    }

    /** {@code /azure/<name>} from the test resources. */
    static String resource(String name) {
        return ProviderTestKit.resource("azure", name);
    }

    static MockResponse json(int status, String body) {
        return ProviderTestKit.json(status, body, Map.of());
    }
}
