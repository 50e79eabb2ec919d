package io.llmrouter.providers.bedrock;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import mockwebserver3.MockResponse;

/** Helpers shared by the Bedrock adapter tests: resources, JSON trees, futures, environments, fixed signing inputs. */
final class BedrockTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** AWS's documentation example credentials (the SigV4 test suite's), not real ones. */
    static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token-0123456789abcdef";
    static final Instant SIGNING_TIME = Instant.parse("2015-08-30T12:36:00Z");
    static final Clock CLOCK = Clock.fixed(SIGNING_TIME, ZoneOffset.UTC);
    static final String REQUEST_ID = "6c1e4a2f-1111-4000-8000-000000000001";
    static final String SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    static final String SONNET_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";

    private BedrockTestSupport() {
    }

    static AwsCredentials credentials() {
        return AwsCredentials.of(ACCESS_KEY_ID, Secret.of(SECRET_ACCESS_KEY));
    }

    static AwsCredentials temporaryCredentials() {
        return AwsCredentials.of(ACCESS_KEY_ID, Secret.of(SECRET_ACCESS_KEY), Secret.of(SESSION_TOKEN));
    }

    /** {@code /bedrock/<name>} from the test resources. */
    static String resource(String name) {
        try (InputStream in = BedrockTestSupport.class.getResourceAsStream("/bedrock/" + name)) {
            assertThat(in).as("test resource /bedrock/%s", name).isNotNull();
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
                .addHeader("x-amzn-requestid", REQUEST_ID).body(body).build();
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

    /** {@code shared/fixtures/providers/bedrock} in the working directory or one of its parents. */
    static Optional<Path> corpus() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve("bedrock");
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
