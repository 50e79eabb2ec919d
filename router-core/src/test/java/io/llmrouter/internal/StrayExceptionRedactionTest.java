package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A provider's untyped exception is wrapped without the deployment's key, in its message and its causes. */
class StrayExceptionRedactionTest {

    private static final String KEY = "plain-key-7d41c9e2b6";

    /** An adapter with a bug that quotes the key and a URL with credentials. */
    private static final class LeakyProvider implements Provider {
        @Override
        public String name() {
            return "leaky";
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            IllegalStateException inner = new IllegalStateException("GET https://u:pw0rd@h.example/v1?token=t0k failed");
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad key " + KEY, inner));
        }
    }

    @Test
    void givenAProviderThrowingAnUntypedExceptionQuotingTheKey_whenCompletion_thenTheWrapperAndCausesAreRedacted() {
        Deployment d = Deployment.builder("g", "openai/gpt-4o").apiKey(Secret.of(KEY)).provider(new LeakyProvider())
                .build();
        try (Router router = Router.builder().deployment(d).retryPolicy(retry -> retry.numRetries(0)).build()) {
            LlmRouterException e = catchThrowableOfType(LlmRouterException.class,
                    () -> router.completion(ChatRequest.ofUser("g", "hi")));

            assertThat(e).hasMessageContaining("bad key ****");
            assertThat(e.getCause()).hasMessage("java.lang.IllegalArgumentException: bad key ****");
            assertThat(e.getCause().getCause()).hasMessage("java.lang.IllegalStateException: GET https://****@h.example/v1"
                    + "?token=**** failed");
        }
    }
}
