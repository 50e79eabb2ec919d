package io.llmrouter.providers.gemini;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.spi.ProviderCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.random.RandomGenerator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** Helpers shared by the Gemini adapter tests: resources, JSON trees, futures, calls. */
final class GeminiTestSupport {

    /** An AI Studio-shaped key: {@code AIza} and 35 more characters. */
    static final String KEY = "AIzaSyTest-SECRET_0123456789abcdefghijk";

    /** The fixed time tests report as {@code created}. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** A generator whose every draw is 0: generated ids are {@code call_aaaa...}, {@code call_aaaa..._2}, ... */
    static final RandomGenerator ZEROS = () -> 0L;

    /** The first id generated with {@link #ZEROS}. */
    static final String ZERO_ID = "aaaaaaaaaaaaaaaaaaaaaaaa";

    private GeminiTestSupport() {
    }

    /** {@code /gemini/<name>} from the test resources. */
    static String resource(String name) {
        return ProviderTestKit.resource("gemini", name);
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json; charset=UTF-8")
                .body(body).build();
    }

    /** A provider whose default base is {@code server}, with no environment, a fixed clock and {@link #ZEROS}. */
    static GeminiProvider provider(MockWebServer server) {
        return GeminiProvider.builder().defaultApiBase(server.url("/v1beta").toString())
                .environment(Map.<String, String>of()::get)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .random(ZEROS)
                .build();
    }

    /** A call of {@code request} to deployment {@code flash} ({@code gemini/<model>}) with {@link #KEY}. */
    static ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request)
                .deploymentId("flash")
                .modelGroup("flash")
                .providerRoute("gemini/" + request.model())
                .apiKey(Secret.of(KEY))
                .timeout(Duration.ofSeconds(5));
    }
}
