package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed attempt the router handles itself (falls back from, retries) is not charged a stack
 * trace; the exception the caller finally gets has one, from the call that received it, with its
 * message, cause and attempts as before.
 */
class FailoverFailureTracesTest {

    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    /** A provider with its own synchronous call (made on the caller's thread) that fails with a new exception each time. */
    static final class FailingProvider implements Provider {
        private final Supplier<LlmRouterException> failure;
        final List<LlmRouterException> thrown = new CopyOnWriteArrayList<>();

        FailingProvider(Supplier<LlmRouterException> failure) {
            this.failure = failure;
        }

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            return CompletableFuture.failedFuture(fail());
        }

        @Override
        public ChatResponse complete(ProviderCall call) {
            throw fail();
        }

        private LlmRouterException fail() {
            LlmRouterException e = failure.get();
            thrown.add(e);
            return e;
        }
    }

    static final class Fallbacks implements RouterListener {
        final List<LlmRouterException> causes = new CopyOnWriteArrayList<>();

        @Override
        public void onFallback(RouterRequest request, String fromGroup, String toGroup, LlmRouterException cause) {
            causes.add(cause);
        }
    }

    private static RateLimitException rateLimit() {
        return new RateLimitException("primary: rate limited", ErrorContext.builder().provider("failing")
                .deploymentId("primary").statusCode(429).build(), Duration.ZERO);
    }

    private Router failover(Provider primary, Provider backup, RouterListener listener) {
        return Router.builder().listener(listener)
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("primary").provider(primary)
                        .cooldownTime(Duration.ZERO).build())
                .deployment(Deployment.builder("backup", "openai/gpt-4o-mini").id("backup").provider(backup).build())
                .retryPolicy(r -> r.numRetries(0))
                .fallbackPolicy(f -> f.fallbacks("gpt", "backup"))
                .build();
    }

    @Test
    void givenA429FromThePrimary_whenTheRouterFallsBack_thenTheFailureItHandledHasNoStackTrace() {
        FailingProvider primary = new FailingProvider(FailoverFailureTracesTest::rateLimit);
        Fallbacks fallbacks = new Fallbacks();
        router = failover(primary, FakeProvider.replying("from backup"), fallbacks);

        ChatResponse response = router.completion(ChatRequest.ofUser("gpt", "hi"));

        assertThat(response.routing()).hasValueSatisfying(r -> assertThat(r.isFallback()).isTrue());
        assertThat(primary.thrown).hasSize(1);
        assertThat(fallbacks.causes).containsExactly(primary.thrown.get(0));
        LlmRouterException handled = primary.thrown.get(0);
        assertThat(handled.getStackTrace()).isEmpty();
        assertThat(handled.getMessage()).isEqualTo("primary: rate limited");
        assertThat(handled.retryAfter()).contains(Duration.ZERO);
        assertThat(handled.statusCode()).hasValue(429);
    }

    @Test
    void givenOneGroupThatFails_whenTheCallerGetsItsFailure_thenItHasAStackTraceFromTheCallAndItsAttempts() {
        FailingProvider primary = new FailingProvider(() -> new ProviderServerException("primary: 500",
                ErrorContext.builder().provider("failing").deploymentId("primary").statusCode(500).build()));
        router = Router.builder()
                .deployment(Deployment.builder("gpt", "openai/gpt-4o").id("primary").provider(primary).build())
                .retryPolicy(r -> r.numRetries(0))
                .build();

        ProviderServerException e = catchThrowableOfType(ProviderServerException.class,
                () -> router.completion(ChatRequest.ofUser("gpt", "hi")));

        assertThat(e).isSameAs(primary.thrown.get(0));
        assertThat(e.getMessage()).isEqualTo("primary: 500");
        assertThat(e.statusCode()).hasValue(500);
        assertThat(e.attempts()).hasSize(1);
        assertThat(e.attempts().get(0).deploymentId()).isEqualTo("primary");
        assertThat(e.getStackTrace()).isNotEmpty()
                .anySatisfy(frame -> assertThat(frame.getMethodName())
                        .isEqualTo("givenOneGroupThatFails_whenTheCallerGetsItsFailure_thenItHasAStackTraceFromTheCallAndItsAttempts"));
    }

    @Test
    void givenEveryGroupFails_whenTheCallerGetsTheFinalFailure_thenItHasAStackTraceAndTheHandledOnesAsCauseAndSuppressed() {
        FailingProvider primary = new FailingProvider(FailoverFailureTracesTest::rateLimit);
        FailingProvider backup = new FailingProvider(() -> new ProviderServerException("backup: 500",
                ErrorContext.builder().provider("failing").deploymentId("backup").statusCode(500).build()));
        router = failover(primary, backup, new Fallbacks());

        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> router.completion(ChatRequest.ofUser("gpt", "hi")));

        assertThat(e.getStackTrace()).isNotEmpty()
                .anySatisfy(frame -> assertThat(frame.getClassName()).isEqualTo(FailoverFailureTracesTest.class.getName()));
        assertThat(e.getCause()).isSameAs(primary.thrown.get(0));
        assertThat(e.getSuppressed()).containsExactly(backup.thrown.get(0));
        assertThat(e.attempts()).extracting(a -> a.deploymentId()).containsExactly("primary", "backup");
        assertThat(e.getMessage()).startsWith("primary: rate limited (model groups tried: [gpt, backup]");
        assertThat(primary.thrown.get(0).getStackTrace()).isEmpty();
        assertThat(backup.thrown.get(0).getStackTrace()).isEmpty();
    }

    @Test
    void givenAnExceptionMadeOutsideTheRouter_thenItHasItsStackTraceAsAlways() {
        RateLimitException e = rateLimit();

        assertThat(e.getStackTrace()).isNotEmpty();
        assertThat(e.getStackTrace()[0].getClassName()).isEqualTo(FailoverFailureTracesTest.class.getName());
    }
}
