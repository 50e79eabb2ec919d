package io.llmrouter.providers.testsupport;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import mockwebserver3.MockResponse;

/**
 * What every adapter's tests need, once: test resources, JSON trees, JSON answers, and waiting for
 * a future's value or failure (5 seconds at most).
 */
public final class ProviderTestKit {

    /** JSON for the body comparisons. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private ProviderTestKit() {
    }

    /** The test resource {@code /folder/name} as text. */
    public static String resource(String folder, String name) {
        try (InputStream in = ProviderTestKit.class.getResourceAsStream("/" + folder + "/" + name)) {
            assertThat(in).as("test resource /%s/%s", folder, name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code json} parsed. */
    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON answer with the given status, body and extra headers. */
    public static MockResponse json(int status, String body, Map<String, String> headers) {
        MockResponse.Builder b = new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json");
        headers.forEach(b::addHeader);
        return b.body(body).build();
    }

    /** The future's value, waiting 5 seconds at most. */
    public static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(5, SECONDS);
    }

    /** The future's failure (unwrapped), waiting 5 seconds at most. */
    public static Throwable failureOf(CompletableFuture<?> future) {
        Throwable t = catchThrowable(() -> future.get(5, SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    /** An environment holding only {@code variables}. */
    public static Function<String, String> environment(Map<String, String> variables) {
        return variables::get;
    }

    /** {@code shared/fixtures/providers/<folder>} in the working directory or one of its parents, when present. */
    public static Optional<Path> corpus(String folder) {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve(folder);
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
