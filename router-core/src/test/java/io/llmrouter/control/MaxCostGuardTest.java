package io.llmrouter.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.RequestRefusedException;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.testing.FakeProvider;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MaxCostGuardTest {

    /** $1 per million input tokens, $10 per million output tokens. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("10").build();

    private static Router router(FakeProvider provider, ModelPrice price, RequestInterceptor guard) {
        Deployment.Builder d = Deployment.builder("g", "openai/m").id("d").provider(provider);
        if (price != null) {
            d.price(price);
        }
        return Router.builder().deployment(d.build()).interceptor(guard).build();
    }

    private static ChatRequest asking(int maxCompletionTokens) {
        return ChatRequest.builder("g").addMessage(io.llmrouter.api.chat.Message.user("hi"))
                .maxCompletionTokens(maxCompletionTokens).build();
    }

    @Test
    void givenAnEstimateAboveTheLimit_whenCompletion_thenRefusedBeforeTheCall() {
        FakeProvider provider = FakeProvider.replying("ok");
        // 100,000 output tokens at $10 / million: at least $1
        try (Router router = router(provider, PRICE, MaxCostGuard.of(new BigDecimal("0.50")))) {
            assertThatThrownBy(() -> router.completion(asking(100_000)))
                    .isInstanceOfSatisfying(RequestRefusedException.class, e -> {
                        assertThat(e.interceptor()).isEqualTo("max-cost");
                        assertThat(e.reason()).contains("deployment 'd'").contains("exceeds the limit of $0.50");
                    });
            assertThat(provider.callCount()).isZero();
        }
    }

    @Test
    void givenAnEstimateWithinTheLimit_whenCompletion_thenSent() {
        FakeProvider provider = FakeProvider.replying("ok");
        // 1,000 output tokens: about $0.01
        try (Router router = router(provider, PRICE, MaxCostGuard.of(new BigDecimal("0.50")))) {
            assertThat(router.completion(asking(1_000)).text()).isEqualTo("ok");
            assertThat(provider.callCount()).isEqualTo(1);
        }
    }

    @Test
    void givenAnUnpricedDeployment_whenGuarded_thenSentUnlessUnpricedIsRefused() {
        FakeProvider provider = FakeProvider.replying("ok");
        try (Router lenient = Router.builder().deployment(Deployment.builder("g", "fake/no-such-model").id("d")
                .provider(provider).build()).interceptor(MaxCostGuard.of(BigDecimal.ZERO)).build()) {
            assertThat(lenient.completion(asking(10)).text()).isEqualTo("ok");
        }
        try (Router strict = Router.builder().deployment(Deployment.builder("g", "fake/no-such-model").id("d")
                .provider(provider).build()).interceptor(MaxCostGuard.of(BigDecimal.ZERO).refusingUnpriced()).build()) {
            assertThatThrownBy(() -> strict.completion(asking(10))).isInstanceOf(RequestRefusedException.class)
                    .hasMessageContaining("has no price");
        }
        assertThat(provider.callCount()).isEqualTo(1);
    }

    @Test
    void givenAnInterceptorThatShortensTheRequestFirst_whenGuarded_thenTheGuardEstimatesTheShortenedRequest() {
        FakeProvider provider = FakeProvider.replying("ok");
        RequestInterceptor capOutput = (a, q) -> Interception.proceed(q.toBuilder().maxCompletionTokens(1_000).build());
        try (Router router = Router.builder().deployment(Deployment.builder("g", "openai/m").id("d").price(PRICE)
                .provider(provider).build()).interceptor(capOutput).interceptor(MaxCostGuard.of(new BigDecimal("0.50")))
                .build()) {
            assertThat(router.completion(asking(100_000)).text()).isEqualTo("ok");
            assertThat(provider.requests().get(0).maxCompletionTokens()).hasValue(1_000);
        }
    }

    @Test
    void rejectsANegativeLimit() {
        assertThatThrownBy(() -> MaxCostGuard.of(new BigDecimal("-1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxUsd");
    }
}
