package io.llmrouter.providers.anthropic;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import mockwebserver3.MockResponse;

/** Helpers shared by the Anthropic adapter tests: resources, JSON trees, futures, a fixed clock. */
final class AnthropicTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The fixed time the tests' provider reports as {@code created}. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private AnthropicTestSupport() {
    }

    /** {@code /anthropic/<name>} from the test resources. */
    static String resource(String name) {
        try (InputStream in = AnthropicTestSupport.class.getResourceAsStream("/anthropic/" + name)) {
            assertThat(in).as("test resource /anthropic/%s", name).isNotNull();
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
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("request-id", "req_test_0123").body(body).build();
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

    /** {@code shared/fixtures/providers/<folder>} in the working directory or one of its parents. */
    static Optional<Path> corpus(String folder) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve(folder);
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
