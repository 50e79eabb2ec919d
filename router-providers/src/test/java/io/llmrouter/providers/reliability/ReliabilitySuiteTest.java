package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One scenario per fault, end to end: the real router, the real OpenAI (and Anthropic) adapter and
 * the real OkHttp client, against {@link FaultServer} upstreams on loopback. The primary deployment
 * (group {@code gpt-4o}) sits on a faulty upstream, its fallback (group {@code backup}) on a
 * healthy one. Every request has a deadline of {@link #DEADLINE}; each scenario checks who
 * answered, how many calls each upstream saw, the attempt history and the time taken.
 */
class ReliabilitySuiteTest {

    private static final String KEY = "sk-reliability-0123456789abcdef";
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /** The per-call timeout unless a scenario sets a shorter one. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How late a deadline may end a request: timer and thread hand-off on a loaded 2-core machine. */
    private static final Duration DEADLINE_MARGIN = Duration.ofMillis(500);

    private FaultServer primary;
    private FaultServer backup;

    /**
     * One answered request before the scenarios: the JVM's first request loads and compiles the
     * adapter, Jackson and OkHttp, which on a loaded 2-core machine took more than the scenarios'
     * 3 s deadline and failed whichever scenario ran first (with no attempt made).
     */
    @BeforeAll
    static void warmUp() {
        try (FaultServer upstream = FaultServer.openAi().then(Fault.ok("warm")).start();
                Router router = Router.builder().deployment(openAi("warm", "warm", upstream)).build()) {
            assertThat(router.completion(ChatRequest.ofUser("warm", "hello")).text()).isEqualTo("warm");
        }
    }

    @AfterEach
    void closeServers() {
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    private static Deployment openAi(String group, String id, FaultServer server) {
        return Deployment.builder(group, "openai/gpt-4o-mini").id(id).apiBase(server.url()).apiKey(Secret.of(KEY))
                .build();
    }

    private Router router(Deployment primaryDeployment, UnaryOperator<Router.Builder> tweak) {
        Router.Builder b = Router.builder()
                .deployment(primaryDeployment)
                .deployment(openAi("backup", "backup", backup))
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "backup"))
                .retryPolicy(retry -> retry.numRetries(2).backoff(Duration.ofMillis(10), Duration.ofMillis(20)))
                .timeouts(timeouts -> timeouts.callTimeout(TIMEOUT).deadline(DEADLINE));
        return tweak.apply(b).build();
    }

    private Router router(UnaryOperator<Router.Builder> tweak) {
        return router(openAi("gpt-4o", "primary", primary), tweak);
    }

    /** Elapsed time of {@code call} in a holder, with the call's result. */
    private record Timed<T>(T value, Duration took) {
    }

    private static Timed<ChatResponse> complete(Router router) {
        long start = System.nanoTime();
        ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "hello"));
        return new Timed<>(response, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Timed<LlmRouterException> fail(Router router) {
        long start = System.nanoTime();
        LlmRouterException e = catchThrowableOfType(LlmRouterException.class,
                () -> router.completion(ChatRequest.ofUser("gpt-4o", "hello")));
        assertThat(e).as("the request must fail").isNotNull();
        return new Timed<>(e, Duration.ofNanos(System.nanoTime() - start));
    }

    private static List<String> repeat(String s, int n) {
        return Collections.nCopies(n, s);
    }

    static Stream<Arguments> primaryAlwaysFails() {
        return Stream.of(
                // fault, primary calls (1 + numRetries for retryable failures), error type seen on them
                Arguments.of("429 without retry-after", Fault.rateLimited(), 3, RateLimitException.class),
                Arguments.of("500", Fault.status(500), 3, ProviderServerException.class),
                Arguments.of("502", Fault.status(502), 3, ProviderServerException.class),
                Arguments.of("503", Fault.status(503), 3, ServiceUnavailableException.class),
                Arguments.of("529", Fault.overloaded(), 3, ServiceUnavailableException.class),
                Arguments.of("connection reset", Fault.connectionReset(), 3, ProviderConnectionException.class),
                Arguments.of("HTML 502 page", Fault.htmlPage(502), 3, ProviderServerException.class),
                Arguments.of("HTML page with 200", Fault.htmlPage(200), 3, InvalidProviderResponseException.class),
                Arguments.of("half the JSON", Fault.malformedJson(), 3, InvalidProviderResponseException.class),
                Arguments.of("body shorter than Content-Length", Fault.truncatedBody(), 3,
                        ProviderConnectionException.class),
                // not retried: about the request, or a key no wait cures
                Arguments.of("context length exceeded", Fault.contextLengthExceeded(), 1,
                        ContextWindowExceededException.class),
                Arguments.of("content filter", Fault.contentFilter(), 1, ContentPolicyViolationException.class),
                Arguments.of("expired key (401)", Fault.expiredKey(), 1, AuthenticationException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primaryAlwaysFails")
    void givenPrimaryFailing_whenCompletion_thenFallbackAnswersAfterTheExpectedCalls(String name, Fault fault,
            int primaryCalls, Class<? extends LlmRouterException> error) {
        // given
        primary = FaultServer.openAi().then(fault).start();
        backup = FaultServer.openAi().then(Fault.ok("from backup")).start();
        try (Router router = router(b -> b)) {
            // when
            Timed<ChatResponse> answer = complete(router);
            // then
            assertThat(answer.value().text()).isEqualTo("from backup");
            assertThat(primary.callCount()).isEqualTo(primaryCalls);
            assertThat(backup.callCount()).isEqualTo(1);
            List<Attempt> attempts = answer.value().routing().orElseThrow().attempts();
            assertThat(attempts).extracting(Attempt::deploymentId)
                    .containsExactlyElementsOf(Stream.concat(repeat("primary", primaryCalls).stream(),
                            Stream.of("backup")).toList());
            assertThat(attempts.subList(0, primaryCalls)).allSatisfy(a ->
                    assertThat(a.errorType()).contains(error.getSimpleName()));
            assertThat(attempts.get(primaryCalls).isSuccess()).isTrue();
            assertThat(answer.took()).isLessThan(DEADLINE);
        }
    }

    @Test
    void givenFirstThreeCalls503_whenCompletionWithThreeRetries_thenPrimaryAnswersTheFourth() {
        primary = FaultServer.openAi().then(Fault.status(503)).times(3).then(Fault.ok("from primary")).start();
        backup = FaultServer.openAi().start();
        try (Router router = router(b -> b.retryPolicy(retry -> retry.numRetries(3)))) {
            Timed<ChatResponse> answer = complete(router);
            assertThat(answer.value().text()).isEqualTo("from primary");
            assertThat(primary.callCount()).isEqualTo(4);
            assertThat(backup.callCount()).isZero();
            assertThat(answer.value().routing().orElseThrow().attempts()).extracting(Attempt::statusCode)
                    .extracting(s -> s.orElse(200)).containsExactly(503, 503, 503, 200);
        }
    }

    @Test
    void given429WithRetryAfter_whenCompletion_thenTheRetryWaitsForItAndPrimaryAnswers() {
        primary = FaultServer.openAi().then(Fault.rateLimited(Duration.ofMillis(300))).then(Fault.ok("after the wait"))
                .start();
        backup = FaultServer.openAi().start();
        try (Router router = router(b -> b)) {
            Timed<ChatResponse> answer = complete(router);
            assertThat(answer.value().text()).isEqualTo("after the wait");
            assertThat(primary.callCount()).isEqualTo(2);
            assertThat(backup.callCount()).isZero();
            Attempt limited = answer.value().routing().orElseThrow().attempts().get(0);
            assertThat(limited.retryAfter()).contains(Duration.ofMillis(300));
            assertThat(answer.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(DEADLINE);
        }
    }

    @Test
    void givenSlowAnswerWithinTheTimeout_whenCompletion_thenPrimaryAnswersLate() {
        primary = FaultServer.openAi().then(Fault.ok("slow but fine").delayed(Duration.ofMillis(300))).start();
        backup = FaultServer.openAi().start();
        try (Router router = router(b -> b)) {
            Timed<ChatResponse> answer = complete(router);
            assertThat(answer.value().text()).isEqualTo("slow but fine");
            assertThat(answer.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(DEADLINE);
            assertThat(backup.callCount()).isZero();
        }
    }

    @Test
    void givenAnswerSlowerThanTheCallTimeout_whenCompletion_thenEachCallTimesOutAndFallbackAnswers() {
        primary = FaultServer.openAi().then(Fault.ok("too late").delayed(Duration.ofSeconds(5))).start();
        backup = FaultServer.openAi().then(Fault.ok("from backup")).start();
        try (Router router = router(b -> b.timeouts(timeouts -> timeouts.callTimeout(Duration.ofMillis(200))))) {
            Timed<ChatResponse> answer = complete(router);
            assertThat(answer.value().text()).isEqualTo("from backup");
            assertThat(primary.callCount()).isEqualTo(3);
            assertThat(answer.value().routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                    .containsExactly("RequestTimeoutException", "RequestTimeoutException", "RequestTimeoutException",
                            "ok");
            assertThat(answer.took()).isGreaterThanOrEqualTo(Duration.ofMillis(600)).isLessThan(DEADLINE);
        }
    }

    @Test
    void givenPrimaryNeverAnswers_whenCompletionWithShortCallTimeout_thenFallbackAnswers() {
        primary = FaultServer.openAi().then(Fault.noAnswer()).start();
        backup = FaultServer.openAi().then(Fault.ok("from backup")).start();
        try (Router router = router(b -> b.timeouts(timeouts -> timeouts.callTimeout(Duration.ofMillis(200))))) {
            Timed<ChatResponse> answer = complete(router);
            assertThat(answer.value().text()).isEqualTo("from backup");
            assertThat(primary.callCount()).isEqualTo(3);
            assertThat(primary.heldCount()).isEqualTo(3);
            assertThat(answer.took()).isLessThan(DEADLINE);
        }
    }

    @Test
    void givenNothingEverAnswers_whenCompletion_thenTheRequestEndsAtItsDeadline() {
        primary = FaultServer.openAi().then(Fault.noAnswer()).start();
        backup = FaultServer.openAi().then(Fault.noAnswer()).start();
        Duration deadline = Duration.ofSeconds(1);
        // per-call timeout far beyond the deadline: only the deadline can end the request
        try (Router router = router(b -> b.timeouts(timeouts -> timeouts.callTimeout(Duration.ofMinutes(10)).deadline(deadline)))) {
            Timed<LlmRouterException> failure = fail(router);
            assertThat(failure.value()).isInstanceOf(RequestTimeoutException.class);
            assertThat(failure.value().getMessage()).contains("deadline");
            assertThat(failure.value().attempts()).extracting(Attempt::deploymentId).containsExactly("primary");
            assertThat(failure.took()).isGreaterThanOrEqualTo(deadline).isLessThan(deadline.plus(DEADLINE_MARGIN));
            assertThat(backup.callCount()).isZero();
        }
    }

    @Test
    void givenEveryUpstreamFailing_whenCompletion_thenThePrimarysTypedErrorNamesTheLastAndCarriesEveryAttempt() {
        primary = FaultServer.openAi().then(Fault.status(503)).start();
        backup = FaultServer.openAi().then(Fault.status(500)).start();
        try (Router router = router(b -> b)) {
            Timed<LlmRouterException> failure = fail(router);
            // the requested group's error type and status, as LiteLLM re-raises the original error (issue 18)
            assertThat(failure.value()).isInstanceOf(ServiceUnavailableException.class);
            assertThat(failure.value().statusCode()).hasValue(503);
            assertThat(failure.value().deploymentId()).contains("primary");
            assertThat(failure.value().getMessage()).contains("last error").contains("ProviderServerException");
            assertThat(failure.value().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "primary", "primary", "backup", "backup", "backup");
            assertThat(failure.value().attempts()).extracting(a -> a.errorType().orElseThrow())
                    .containsExactly("ServiceUnavailableException", "ServiceUnavailableException",
                            "ServiceUnavailableException", "ProviderServerException", "ProviderServerException",
                            "ProviderServerException");
            assertThat(primary.callCount()).isEqualTo(3);
            assertThat(backup.callCount()).isEqualTo(3);
            assertThat(failure.took()).isLessThan(DEADLINE);
        }
    }

    @Test
    void givenAnthropicOverloaded529_whenCompletion_thenRetriedThenOpenAiFallbackAnswers() {
        primary = FaultServer.anthropic().then(Fault.overloaded()).start();
        backup = FaultServer.openAi().then(Fault.ok("from backup")).start();
        Deployment claude = Deployment.builder("gpt-4o", "anthropic/claude-sonnet-4-5").id("primary")
                .apiBase(primary.url()).apiKey(Secret.of("sk-ant-reliability-0123456789")).build();
        try (Router router = router(claude, b -> b)) {
            Timed<ChatResponse> answer = complete(router);
            assertThat(answer.value().text()).isEqualTo("from backup");
            assertThat(primary.callCount()).isEqualTo(3);
            assertThat(primary.requests()).allSatisfy(r -> {
                assertThat(r.path()).isEqualTo("/v1/messages");
                assertThat(r.header("x-api-key")).contains("sk-ant-reliability-0123456789");
            });
            assertThat(answer.value().routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                    .containsExactly("ServiceUnavailableException", "ServiceUnavailableException",
                            "ServiceUnavailableException", "ok");
            assertThat(answer.took()).isLessThan(DEADLINE);
        }
    }

    @Test
    void givenAnthropicAnswering_whenCompletion_thenTheMessageIsNormalized() {
        primary = FaultServer.anthropic().then(Fault.rateLimited()).then(Fault.ok("bonjour")).start();
        backup = FaultServer.openAi().start();
        Deployment claude = Deployment.builder("gpt-4o", "anthropic/claude-sonnet-4-5").id("primary")
                .apiBase(primary.url()).apiKey(Secret.of("sk-ant-reliability-0123456789")).build();
        try (Router router = router(claude, b -> b)) {
            ChatResponse response = complete(router).value();
            assertThat(response.text()).isEqualTo("bonjour");
            assertThat(response.usage().orElseThrow().completionTokens()).isEqualTo(2);
            assertThat(primary.callCount()).isEqualTo(2);
        }
    }
}
