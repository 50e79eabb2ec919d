package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, LiteLLM parity: the fallback and tag rules of LiteLLM's router, through the public
 * API on virtual time. One test per rule; src-docs/concepts.md lists them.
 */
class LiteLlmFallbackParityTest {

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    /** No retries and no waits, so each group gets one attempt and the fallback rules alone decide. */
    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(18))
                .retryPolicy(r -> r.numRetries(0).backoff(Duration.ZERO, Duration.ZERO));
    }

    private static Deployment fake(String group, FakeProvider provider) {
        return Deployment.builder(group, "openai/" + group).id(group).provider(provider).build();
    }

    private static Deployment tagged(String id, FakeProvider provider, String... tags) {
        Deployment.Builder b = Deployment.builder("g", "openai/g").id(id).provider(provider);
        for (String t : tags) {
            b.addTag(t);
        }
        return b.build();
    }

    private Throwable failureOf(CompletableFuture<?> future) {
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        assertThat(future).isCompletedExceptionally();
        return future.handle((r, e) -> e).join();
    }

    private ChatResponse await(CompletableFuture<ChatResponse> future) {
        time.advanceUntil(future::isDone, Duration.ofHours(1));
        return future.join();
    }

    private static ChatRequest hello(String group) {
        return ChatRequest.ofUser(group, "hello");
    }

    // ---- Fallbacks nest, depth-limited, loops cut ----

    @Test
    void givenAFallbackGroupWithItsOwnFallbacks_whenBothFail_thenTheFallbacksFallbackAnswersBeforeTheRestOfTheList() {
        // given: a -> [b, d]; b -> [c]; a and b fail
        FakeProvider d = FakeProvider.replying("d");
        router = virtual()
                .deployment(fake("a", FakeProvider.failingWith(503)))
                .deployment(fake("b", FakeProvider.failingWith(503)))
                .deployment(fake("c", FakeProvider.replying("c")))
                .deployment(fake("d", d))
                .fallbackPolicy(f -> f.fallbacks("a", "b", "d").fallbacks("b", "c"))
                .build();
        // when
        ChatResponse response = await(router.completionAsync(hello("a")));
        // then: depth first, as LiteLLM's recursion: b's own list before the rest of a's
        assertThat(response.text()).isEqualTo("c");
        assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId).containsExactly("a", "b", "c");
        assertThat(d.callCount()).isZero();
    }

    @Test
    void givenAChainDeeperThanTheDefaultDepth_whenEveryGroupFails_thenGroupsPastDepthFiveAreNotTried() {
        // given: g0 -> g1 -> ... -> g6, a chain of single fallbacks; g6 would answer
        FakeProvider last = FakeProvider.replying("deep");
        Router.Builder b = virtual();
        for (int i = 0; i < 6; i++) {
            b.deployment(fake("g" + i, FakeProvider.failingWith(503)));
        }
        b.deployment(fake("g6", last));
        b.fallbackPolicy(f -> {
            for (int i = 0; i < 6; i++) {
                f.fallbacks("g" + i, "g" + (i + 1));
            }
        });
        router = b.build();
        // when
        Throwable failure = failureOf(router.completionAsync(hello("g0")));
        // then: g1..g5 are depths 1..5; g6 (depth 6) is past DEFAULT_MAX_DEPTH
        assertThat(FallbackPolicy.DEFAULT_MAX_DEPTH).isEqualTo(5);
        assertThat(((LlmRouterException) failure).attempts()).extracting(Attempt::deploymentId)
                .containsExactly("g0", "g1", "g2", "g3", "g4", "g5");
        assertThat(last.callCount()).isZero();
        ChatResponse deeper = await(router.completionAsync(hello("g0"),
                RequestOptions.builder().fallbackPolicy(f -> f.maxDepth(6)).build()));
        assertThat(deeper.text()).isEqualTo("deep");
    }

    @Test
    void givenFallbacksThatLoop_whenEveryGroupFails_thenEachGroupIsTriedOnceAndTheRequestEnds() {
        // given: a -> b -> c -> a (and every group also has the default list, naming a)
        FakeProvider a = FakeProvider.failingWith(503);
        FakeProvider b = FakeProvider.failingWith(503);
        FakeProvider c = FakeProvider.failingWith(503);
        router = virtual().deployment(fake("a", a)).deployment(fake("b", b)).deployment(fake("c", c))
                .fallbackPolicy(f -> f.fallbacks("a", "b").fallbacks("b", "c").fallbacks("c", "a").defaultFallbacks("a"))
                .build();
        // when
        Throwable failure = failureOf(router.completionAsync(hello("a")));
        // then
        assertThat(((LlmRouterException) failure).attempts()).extracting(Attempt::deploymentId)
                .containsExactly("a", "b", "c");
        assertThat(List.of(a.callCount(), b.callCount(), c.callCount())).containsOnly(1);
    }

    // ---- The final error: the first group's type, naming the groups tried and the last error ----

    @Test
    void givenEveryGroupFails_whenTheRequestEnds_thenTheErrorHasTheFirstGroupsTypeAndNamesTheGroupsAndTheLastError() {
        // given: the requested group is rate limited, its fallback is overloaded
        router = virtual()
                .deployment(fake("main", FakeProvider.failingWith(429, Duration.ofSeconds(7))))
                .deployment(fake("backup", FakeProvider.failingWith(503)))
                .fallbackPolicy(f -> f.fallbacks("main", "backup"))
                .build();
        // when
        Throwable failure = failureOf(router.completionAsync(hello("main")));
        // then
        assertThat(failure).isInstanceOf(RateLimitException.class);
        RateLimitException e = (RateLimitException) failure;
        assertThat(e.statusCode()).hasValue(429);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
        assertThat(e.deploymentId()).hasValue("main");
        assertThat(e.getMessage()).contains("model groups tried: [main, backup]")
                .contains("last error, from 'backup': ServiceUnavailableException");
        assertThat(e.attempts()).extracting(Attempt::deploymentId).containsExactly("main", "backup");
        assertThat(e.getCause()).isInstanceOf(RateLimitException.class);
        assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(ServiceUnavailableException.class);
    }

    // ---- Default fallbacks for an unknown model group ----

    @Test
    void givenDefaultFallbacks_whenTheRequestedGroupDoesNotExist_thenTheDefaultFallbackAnswers() {
        // given
        List<String> fallbacks = new ArrayList<>();
        router = virtual().deployment(fake("known", FakeProvider.replying("from the default fallback")))
                .fallbackPolicy(f -> f.defaultFallbacks("known"))
                .listener(new io.llmrouter.spi.RouterListener() {
                    @Override
                    public void onFallback(io.llmrouter.api.RouterRequest request, String fromGroup, String toGroup,
                            LlmRouterException cause) {
                        fallbacks.add(fromGroup + "->" + toGroup + ":" + cause.getClass().getSimpleName());
                    }
                })
                .build();
        // when
        ChatResponse response = await(router.completionAsync(hello("gpt-5-typo")));
        // then
        assertThat(response.text()).isEqualTo("from the default fallback");
        assertThat(fallbacks).containsExactly("gpt-5-typo->known:BadRequestException");
    }

    @Test
    void givenDefaultFallbacksForUnknownGroupsTurnedOff_whenTheRequestedGroupDoesNotExist_thenItFailsAtOnceWith400() {
        // given
        FakeProvider known = FakeProvider.replying("never");
        router = virtual().deployment(fake("known", known))
                .fallbackPolicy(f -> f.defaultFallbacks("known").fallbackFromUnknownGroups(false))
                .build();
        // when
        Throwable failure = failureOf(router.completionAsync(hello("gpt-5-typo")));
        // then
        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("unknown model group 'gpt-5-typo'");
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(400);
        assertThat(known.callCount()).isZero();
    }

    @Test
    void givenAnUnknownGroupWhoseDefaultFallbacksFail_whenTheRequestEnds_thenItIsABadRequestNamingTheGroupsTried() {
        router = virtual().deployment(fake("known", FakeProvider.failingWith(503)))
                .fallbackPolicy(f -> f.defaultFallbacks("known"))
                .build();

        Throwable failure = failureOf(router.completionAsync(hello("gpt-5-typo")));

        assertThat(failure).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("unknown model group 'gpt-5-typo'")
                .hasMessageContaining("model groups tried: [gpt-5-typo, known]");
        assertThat(((LlmRouterException) failure).attempts()).extracting(Attempt::deploymentId).containsExactly("known");
    }

    // ---- Tags: the default tag ----

    @Test
    void givenTagFiltering_whenTheRequestsTagsMatchNoDeployment_thenTheDeploymentTaggedDefaultServesIt() {
        // given
        router = virtual().filterByTags()
                .deployment(tagged("eu", FakeProvider.replying("eu"), "eu"))
                .deployment(tagged("fallback", FakeProvider.replying("default"), "default"))
                .build();
        // when
        ChatResponse unmatched = await(router.completionAsync(
                hello("g").toBuilder().addTag("us").build()));
        ChatResponse untagged = await(router.completionAsync(hello("g")));
        ChatResponse matched = await(router.completionAsync(
                hello("g").toBuilder().addTag("eu").build()));
        // then
        assertThat(unmatched.text()).isEqualTo("default");
        assertThat(untagged.text()).isEqualTo("default");
        assertThat(matched.text()).isEqualTo("eu");
    }
}
