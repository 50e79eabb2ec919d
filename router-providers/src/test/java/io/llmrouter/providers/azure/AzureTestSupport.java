package io.llmrouter.providers.azure;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import mockwebserver3.MockResponse;

/** Helpers shared by the Azure adapter tests. */
final class AzureTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private AzureTestSupport() {
    }

    /** {@code /azure/<name>} from the test resources. */
    static String resource(String name) {
        try (InputStream in = AzureTestSupport.class.getResourceAsStream("/azure/" + name)) {
            assertThat(in).as("test resource /azure/%s", name).isNotNull();
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
}
