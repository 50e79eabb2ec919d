package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.providers.openai.internal.OpenAiErrorMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link JsonHttp#read(HttpExchange, ErrorContext, io.llmrouter.api.Secret, Function, Function)}: bytes first, tree as fallback. */
class JsonHttpFastReadTest {

    private final OpenAiErrorMapper errors = new OpenAiErrorMapper("openai");
    private final JsonHttp http = new JsonHttp(null, errors, Clock.systemUTC(), LoggerFactory.getLogger("test"));
    private final ErrorContext context = errors.context("d", "gpt-4o");
    private final AtomicInteger fastCalls = new AtomicInteger();
    private final AtomicInteger treeCalls = new AtomicInteger();

    private HttpExchange exchange(int status, String body) {
        return new HttpExchange(status, Headers.of("Content-Type", "application/json"), body, Duration.ZERO);
    }

    private Function<byte[], String> fast(String result) {
        return bytes -> {
            fastCalls.incrementAndGet();
            return result;
        };
    }

    private final Function<JsonNode, String> tree = t -> {
        treeCalls.incrementAndGet();
        return "tree:" + t.path("a").asText();
    };

    @Test
    void givenFastReaderReads_whenRead_thenTreeIsNeverBuilt() {
        assertThat(http.read(exchange(200, "{\"a\":\"x\"}"), context, null, fast("fast"), tree)).isEqualTo("fast");
        assertThat(treeCalls).hasValue(0);
    }

    @Test
    void givenFastReaderGivesUp_whenRead_thenTreeReaderReadsTheSameBytes() {
        assertThat(http.read(exchange(200, "{\"a\":\"x\"}"), context, null, fast(null), tree)).isEqualTo("tree:x");
        assertThat(fastCalls).hasValue(1);
    }

    @Test
    void givenErrorStatus_whenRead_thenTypedErrorWithoutReadingTheBody() {
        assertThatThrownBy(() -> http.read(exchange(500, "{\"error\":{\"message\":\"boom\"}}"), context, null,
                fast("fast"), tree)).isInstanceOf(ProviderServerException.class);
        assertThat(fastCalls).hasValue(0);
    }

    @Test
    void givenMalformedBodyAndFastReaderGivingUp_whenRead_thenSameErrorAsTreeRead() {
        HttpExchange malformed = exchange(200, "{\"a\":");
        Throwable viaFast = org.assertj.core.api.Assertions.catchThrowable(
                () -> http.read(malformed, context, null, fast(null), tree));
        Throwable viaTree = org.assertj.core.api.Assertions.catchThrowable(() -> http.read(malformed, context, null, tree));
        assertThat(viaFast).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessage(viaTree.getMessage());
    }

    @Test
    void givenHtmlOrBlankBody_whenRead_thenInvalidResponseBeforeAnyReader() {
        assertThatThrownBy(() -> http.read(exchange(200, "  "), context, null, fast("fast"), tree))
                .isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("empty body");
        assertThatThrownBy(() -> http.read(exchange(200, "<html>hi</html>"), context, null, fast("fast"), tree))
                .isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("HTML");
        assertThat(fastCalls).hasValue(0);
    }

    @Test
    void givenFastReaderThrows_whenRead_thenInvalidProviderResponse() {
        Function<byte[], String> failing = bytes -> {
            throw new IllegalArgumentException("choices: boom");
        };
        assertThatThrownBy(() -> http.read(exchange(200, "{}"), context, null, failing, tree))
                .isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("choices: boom");
    }
}
