package io.llmrouter.providers.openai;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import mockwebserver3.MockResponse;

/** Helpers shared by the adapter tests: resources, JSON trees, futures, environments. */
final class TestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestSupport() {
    }

    /** {@code /<folder>/<name>} from the test resources. */
    static String resource(String folder, String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/" + folder + "/" + name)) {
            assertThat(in).as("test resource /%s/%s", folder, name).isNotNull();
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
