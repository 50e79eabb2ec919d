package io.llmrouter.providers.crossprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.testsupport.Adapter;
import io.llmrouter.providers.testsupport.StartedServers;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status → exception table of src-docs/exceptions.md, sent through every adapter behind a real
 * {@link Router}: each status with the vendor's realistic error body, the retry-after forms, each
 * vendor's context-window and content-filter errors. Every error quotes the API key in its message
 * and its request id, and the key must come out masked.
 */
@ExtendWith(StartedServers.class)
class StatusTableTest {

    /** Not shaped like any vendor's key, so only the configured-key redaction can catch it. */
    private static final String KEY = "canary4c1e9b7d2f6a0385e7";

    private final MockWebServer server = new MockWebServer();

    /** One row of the contract table. */
    record Row(int status, Class<? extends LlmRouterException> type, boolean retryable) {
    }

    /** src-docs/exceptions.md, by status. */
    static final List<Row> TABLE = List.of(
            new Row(400, BadRequestException.class, false),
            new Row(401, AuthenticationException.class, false),
            new Row(402, RateLimitException.class, false),
            new Row(403, PermissionDeniedException.class, false),
            new Row(404, NotFoundException.class, false),
            new Row(408, RequestTimeoutException.class, true),
            new Row(409, BadRequestException.class, false),
            new Row(413, BadRequestException.class, false),
            new Row(422, BadRequestException.class, false),
            new Row(429, RateLimitException.class, true),
            new Row(500, ProviderServerException.class, true),
            new Row(502, ProviderServerException.class, true),
            new Row(503, ServiceUnavailableException.class, true),
            new Row(504, RequestTimeoutException.class, true),
            new Row(529, ServiceUnavailableException.class, true));

    static Stream<Arguments> everyStatusThroughEveryAdapter() {
        List<Arguments> cases = new ArrayList<>();
        for (Adapter adapter : Adapter.values()) {
            for (Row row : TABLE) {
                cases.add(Arguments.of(adapter, row));
            }
        }
        return cases.stream();
    }

    private LlmRouterException call(Adapter adapter, MockResponse answer) {
        server.enqueue(answer);
        try (Router router = Router.builder()
                .deployment(adapter.deployment("m", server.url("/").toString(), Secret.of(KEY)).build())
                .retryPolicy(retry -> retry.numRetries(0)).timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(5))).build()) {
            return catchThrowableOfType(LlmRouterException.class,
                    () -> router.completion(ChatRequest.ofUser("m", "hello")));
        }
    }

    private static MockResponse error(Adapter adapter, int status, String message, Map<String, String> headers) {
        return adapter.error(status, message, "req_" + KEY, headers);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyStatusThroughEveryAdapter")
    void givenAnErrorStatus_whenCompletion_thenEveryAdapterThrowsTheTablesException(Adapter adapter, Row row) {
        // when
        LlmRouterException e = call(adapter, error(adapter, row.status(), "request failed for key " + KEY, Map.of()));
        // then
        assertThat(e).isExactlyInstanceOf(row.type());
        assertThat(e.statusCode()).hasValue(row.status());
        assertThat(e.isRetryable()).as("retryable").isEqualTo(row.retryable());
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.provider()).contains(adapter.provider());
        assertRedacted(adapter, e);
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void given429WithRetryAfterSeconds_whenCompletion_thenRetryAfterIsRead(Adapter adapter) {
        LlmRouterException e = call(adapter, error(adapter, 429, "slow down " + KEY, Map.of("retry-after", "7")));

        assertThat(e).isExactlyInstanceOf(RateLimitException.class);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.attempts()).singleElement().satisfies(a -> assertThat(a.retryAfter()).contains(Duration.ofSeconds(7)));
        assertRedacted(adapter, e);
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void given429WithRetryAfterMs_whenCompletion_thenTheMillisecondsWin(Adapter adapter) {
        LlmRouterException e = call(adapter, error(adapter, 429, "slow down",
                Map.of("retry-after-ms", "1500", "retry-after", "2")));

        assertThat(e).isExactlyInstanceOf(RateLimitException.class);
        assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void given429WithRetryAfterHttpDate_whenCompletion_thenTheDelayIsCountedFromTheAnswersDate(Adapter adapter) {
        ZonedDateTime date = ZonedDateTime.of(2026, 1, 5, 10, 0, 0, 0, ZoneOffset.UTC);
        LlmRouterException e = call(adapter, error(adapter, 429, "slow down", Map.of(
                "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(date),
                "retry-after", DateTimeFormatter.RFC_1123_DATE_TIME.format(date.plusSeconds(30)))));

        assertThat(e).isExactlyInstanceOf(RateLimitException.class);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void given503WithRetryAfter_whenCompletion_thenServiceUnavailableCarriesIt(Adapter adapter) {
        LlmRouterException e = call(adapter, error(adapter, 503, "down for maintenance", Map.of("retry-after", "5")));

        assertThat(e).isExactlyInstanceOf(ServiceUnavailableException.class);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(e.toString()).contains("retryAfter=PT5S");
    }

    static Stream<Arguments> vendorSpecificErrors() {
        String cw = "ContextWindowExceededException";
        String cp = "ContentPolicyViolationException";
        return Stream.of(
                Arguments.of(Adapter.OPENAI, cw, 400, "{\"error\":{\"message\":\"This model's maximum context length"
                        + " is 128000 tokens. However, your messages resulted in 130000 tokens.\",\"type\":"
                        + "\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}", null),
                Arguments.of(Adapter.OPENAI, cp, 400, "{\"error\":{\"message\":\"Invalid prompt: your prompt was"
                        + " flagged as potentially violating our usage policy.\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_prompt\"}}", null),
                Arguments.of(Adapter.OPENAI_COMPATIBLE, cw, 400, "{\"error\":{\"message\":\"This model's maximum"
                        + " context length is 65536 tokens. However, you requested 70000 tokens.\",\"type\":"
                        + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request_error\"}}", null),
                Arguments.of(Adapter.AZURE, cw, 400, "{\"error\":{\"message\":\"This model's maximum context length"
                        + " is 128000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":"
                        + "\"context_length_exceeded\"}}", null),
                Arguments.of(Adapter.AZURE, cp, 400, "{\"error\":{\"message\":\"The response was filtered due to the"
                        + " prompt triggering Azure OpenAI's content management policy.\",\"type\":null,\"param\":"
                        + "\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":{\"code\":"
                        + "\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{\"hate\":{\"filtered\":false,"
                        + "\"severity\":\"safe\"},\"violence\":{\"filtered\":true,\"severity\":\"high\"},"
                        + "\"custom_blocklists\":{\"filtered\":true,\"details\":[{\"id\":\"list-" + KEY
                        + "\",\"filtered\":true}]}}}}}", "violence"),
                Arguments.of(Adapter.ANTHROPIC, cw, 400, "{\"type\":\"error\",\"error\":{\"type\":"
                        + "\"invalid_request_error\",\"message\":\"prompt is too long: 201234 tokens > 200000 maximum\"}}",
                        null),
                Arguments.of(Adapter.GEMINI, cw, 400, "{\"error\":{\"code\":400,\"message\":\"The input token count"
                        + " (1200000) exceeds the maximum number of tokens allowed (1048576).\",\"status\":"
                        + "\"INVALID_ARGUMENT\"}}", null),
                Arguments.of(Adapter.COHERE, cw, 400, "{\"id\":\"c0\",\"message\":\"too many tokens: total number of"
                        + " tokens (prompt and prediction) cannot exceed 128000 - received 130000\"}", null),
                Arguments.of(Adapter.COHERE, cp, 498, "{\"id\":\"c1\",\"message\":\"blocked output: please adjust"
                        + " your prompt and try again\"}", null),
                Arguments.of(Adapter.BEDROCK, cw, 400, "{\"message\":\"Input is too long for requested model.\"}",
                        null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("vendorSpecificErrors")
    void givenAVendorsContextWindowOrContentFilterError_whenCompletion_thenItsTypedException(Adapter adapter,
            String type, int status, String body, String detailsMention) {
        MockResponse.Builder answer = new MockResponse.Builder().code(status).addHeader("Content-Type",
                "application/json").body(body);
        if (adapter == Adapter.BEDROCK) {
            answer.addHeader("x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/");
        }

        LlmRouterException e = call(adapter, answer.build());

        assertThat(e.getClass().getSimpleName()).isEqualTo(type);
        assertThat(e).isInstanceOf(BadRequestException.class);
        assertThat(e.statusCode()).hasValue(status);
        assertThat(e.isRetryable()).isFalse();
        if (detailsMention != null) {
            assertThat(((ContentPolicyViolationException) e).details()).hasValueSatisfying(d -> {
                assertThat(d.toString()).contains(detailsMention).doesNotContain(KEY).contains("list-****");
            });
        }
        assertThat(e).isInstanceOfAny(ContextWindowExceededException.class, ContentPolicyViolationException.class);
    }

    private static void assertRedacted(Adapter adapter, LlmRouterException e) {
        List<String> texts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
        }
        texts.add(e.context().toString());
        texts.add(e.attempts().toString());
        e.providerRequestId().ifPresent(texts::add);
        assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(KEY));
        if (adapter.hasRequestId() && e.statusCode().orElse(0) != 502) {
            assertThat(e.providerRequestId()).as("request id").contains("req_****");
        }
    }
}
