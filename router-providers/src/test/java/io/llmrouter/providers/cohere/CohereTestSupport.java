package io.llmrouter.providers.cohere;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import mockwebserver3.MockResponse;

/** Helpers shared by the Cohere adapter tests: resources, JSON trees, futures, environments. */
final class CohereTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The fixed time the tests' provider reads answers at. */
    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private CohereTestSupport() {
    }

    /** {@code /cohere/<name>} from the test resources. */
    static String resource(String name) {
        try (InputStream in = CohereTestSupport.class.getResourceAsStream("/cohere/" + name)) {
            assertThat(in).as("test resource /cohere/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(5, SECONDS);
    }

    /** The exception a future failed with, unwrapped. */
    static Throwable failureOf(CompletableFuture<?> future) {
        Throwable t = catchThrowable(() -> future.get(5, SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    /** An environment holding exactly {@code variables}. */
    static Function<String, String> environment(Map<String, String> variables) {
        return variables::get;
    }
}
