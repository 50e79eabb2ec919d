package io.llmrouter.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.llmrouter.Deployment;
import io.llmrouter.FailureKind;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.InterceptorException;
import io.llmrouter.api.exception.RequestRefusedException;
import io.llmrouter.api.exception.ResponseRejectedException;
import io.llmrouter.api.exception.StreamInterruptedException;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Interceptors and response rules on the request path: each outcome, for blocking, async and streaming calls. */
class RequestControlTest {

    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private final VirtualTime time = VirtualTime.create();

    private static Deployment fake(String group, String id, FakeProvider provider) {
        return Deployment.builder(group, "openai/gpt-4o").id(id).provider(provider).build();
    }

    private static Router.Builder router() {
        return Router.builder().retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO));
    }

    private Router.Builder virtual() {
        return router().clock(time.clock()).scheduler(time.scheduler());
    }

    private static ResponseRule rejecting(String text, boolean cools) {
        return new ResponseRule() {
            @Override
            public RuleVerdict check(AttemptContext attempt, ChatRequest request, ChatResponse response) {
                return response.text().contains(text) ? RuleVerdict.reject("said '" + text + "'") : RuleVerdict.accept();
            }

            @Override
            public boolean countsTowardCooldown() {
                return cools;
            }

            @Override
            public String name() {
                return "no-" + text;
            }
        };
    }

    private static String texts(List<ChatChunk> chunks) {
        return chunks.stream().map(c -> c.text().orElse("")).collect(Collectors.joining());
    }

    // ---- Request interceptors ----

    @Test
    void givenAModifyingInterceptor_whenCompletion_thenTheProviderReceivesTheChangedRequestAndTheContextIsTheAttempts() {
        FakeProvider provider = FakeProvider.replying("ok");
        List<String> seen = new CopyOnWriteArrayList<>();
        RequestInterceptor shout = (attempt, request) -> {
            seen.add(attempt.requestedModel() + "|" + attempt.modelGroup() + "|" + attempt.deploymentId() + "|"
                    + attempt.providerRoute() + "|" + attempt.attemptNumber() + "|" + attempt.streaming() + "|"
                    + attempt.options().cacheNamespace().orElse("-"));
            return Interception.proceed(request.toBuilder()
                    .messages(List.of(Message.user(request.messages().get(0).text().toUpperCase()))).build());
        };
        try (Router router = router().deployment(fake("g", "d", provider)).interceptor(shout).build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("g", "hello"),
                    RequestOptions.builder().cacheNamespace("alice").build());

            assertThat(r.text()).isEqualTo("ok");
            assertThat(provider.requests()).singleElement().satisfies(q -> {
                assertThat(q.messages().get(0).text()).isEqualTo("HELLO");
                assertThat(q.model()).isEqualTo("gpt-4o");
            });
            assertThat(seen).containsExactly("g|g|d|openai/gpt-4o|1|false|alice");
            assertThat(r.routing().orElseThrow().interceptor()).isEmpty();
        }
    }

    @Test
    void givenAFailingGroup_whenItFallsBack_thenTheInterceptorRunsAgainForTheFallbacksAttempt() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Router router = router().retryPolicy(r -> r.numRetries(0))
                .deployment(fake("g", "primary", FakeProvider.failingWith(500)))
                .deployment(fake("backup", "secondary", FakeProvider.replying("from backup")))
                .fallbackPolicy(f -> f.fallbacks("g", "backup"))
                .interceptor((a, q) -> {
                    seen.add(a.requestedModel() + ">" + a.modelGroup() + "/" + a.deploymentId() + "#" + a.attemptNumber());
                    return Interception.proceed();
                }).build()) {
            assertThat(router.completion(ChatRequest.ofUser("g", "hi")).text()).isEqualTo("from backup");

            assertThat(seen).containsExactly("g>g/primary#1", "g>backup/secondary#2");
        }
    }

    @Test
    void givenInterceptorsInOrder_whenTheFirstChangesTheRequest_thenTheSecondSeesTheChange() {
        FakeProvider provider = FakeProvider.replying("ok");
        List<String> secondSaw = new CopyOnWriteArrayList<>();
        try (Router router = router().deployment(fake("g", "d", provider))
                .interceptor((a, q) -> Interception.proceed(q.toBuilder().messages(List.of(Message.user("first"))).build()))
                .interceptor((a, q) -> {
                    secondSaw.add(q.messages().get(0).text());
                    return Interception.proceed();
                })
                .build()) {
            router.completion(ChatRequest.ofUser("g", "original"));

            assertThat(secondSaw).containsExactly("first");
            assertThat(provider.requests().get(0).messages().get(0).text()).isEqualTo("first");
        }
    }

    @Test
    void givenARefusingInterceptor_whenCompletion_thenRequestRefusedWithoutAnyCallRetryFallbackOrCooldown() {
        FakeProvider provider = FakeProvider.replying("never");
        FakeProvider other = FakeProvider.replying("never either");
        RequestInterceptor policy = new RequestInterceptor() {
            @Override
            public Interception beforeCall(AttemptContext attempt, ChatRequest request) {
                return Interception.refuse("topic not allowed");
            }

            @Override
            public String name() {
                return "topic-policy";
            }
        };
        try (Router router = router().retryPolicy(r -> r.numRetries(3).backoff(Duration.ZERO, Duration.ZERO))
                .deployment(fake("g", "d", provider)).deployment(fake("g", "d2", provider))
                .deployment(fake("backup", "b", other))
                .fallbackPolicy(f -> f.fallbacks("g", "backup"))
                .interceptor(policy).build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "hi")))
                    .isInstanceOfSatisfying(RequestRefusedException.class, e -> {
                        assertThat(e.interceptor()).isEqualTo("topic-policy");
                        assertThat(e.reason()).isEqualTo("topic not allowed");
                        assertThat(e.statusCode()).hasValue(400);
                        assertThat(e.attempts()).hasSize(1);
                    });
            assertThat(provider.callCount()).isZero();
            assertThat(other.callCount()).isZero();
            assertThat(router.deploymentStatuses()).allSatisfy(s -> assertThat(s.coolingUntil()).isEmpty());
        }
    }

    @Test
    void givenAnInterceptorThrowingRequestRefused_whenCompletion_thenItIsARefusalToo() {
        FakeProvider provider = FakeProvider.replying("never");
        try (Router router = router().deployment(fake("g", "d", provider)).interceptor((a, q) -> {
            throw new RequestRefusedException("no", io.llmrouter.api.exception.ErrorContext.none(), "mine", "no");
        }).build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "hi")))
                    .isInstanceOf(RequestRefusedException.class).hasMessage("no");
            assertThat(provider.callCount()).isZero();
        }
    }

    @Test
    void givenAnAnsweringInterceptor_whenCompletion_thenItsAnswerIsReturnedMarkedFreeAndNoProviderIsCalled() {
        FakeProvider provider = FakeProvider.replying("from the provider");
        ChatResponse canned = ChatResponse.builder().id("canned").model("cache").choices(List.of(
                io.llmrouter.api.chat.Choice.builder().index(0).message(Message.assistant("from the interceptor"))
                        .finishReason(FinishReason.STOP).build())).build();
        RequestInterceptor faq = new RequestInterceptor() {
            @Override
            public Interception beforeCall(AttemptContext attempt, ChatRequest request) {
                return Interception.answer(canned);
            }

            @Override
            public String name() {
                return "faq";
            }
        };
        try (Router router = router().deployment(Deployment.builder("g", "openai/gpt-4o").id("d").price(PRICE)
                .provider(provider).build()).interceptor(faq).build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("g", "hi"));

            assertThat(r.text()).isEqualTo("from the interceptor");
            assertThat(r.routing().orElseThrow().interceptor()).contains("faq");
            assertThat(r.routing().orElseThrow().deploymentId()).isEqualTo("d");
            assertThat(r.cost().totalUsd()).hasValueSatisfying(c -> assertThat(c).isZero());
            assertThat(provider.callCount()).isZero();
            assertThat(router.spend().total()).isZero();
            assertThat(router.deploymentStatuses()).singleElement().satisfies(s -> assertThat(s.inFlight()).isZero());
        }
    }

    @Test
    void givenAResponseCache_whenAnInterceptorAnswers_thenItsAnswerIsNotStored() {
        FakeProvider provider = FakeProvider.replying("from the provider");
        ChatResponse canned = ChatResponse.builder().id("c").model("m").choices(List.of(
                io.llmrouter.api.chat.Choice.builder().index(0).message(Message.assistant("canned"))
                .finishReason(FinishReason.STOP).build())).build();
        boolean[] answering = {true};
        try (Router router = router().cache(io.llmrouter.CachePolicy.builder().build())
                .deployment(fake("g", "d", provider))
                .interceptor((a, q) -> answering[0] ? Interception.answer(canned) : Interception.proceed()).build()) {
            assertThat(router.completion(ChatRequest.ofUser("g", "hi")).text()).isEqualTo("canned");
            answering[0] = false;

            assertThat(router.completion(ChatRequest.ofUser("g", "hi")).text()).isEqualTo("from the provider");
        }
    }

    @Test
    void givenAnAnsweringInterceptorWithACost_whenCompletion_thenTheCostIsChargedToTheSpend() {
        ChatResponse canned = ChatResponse.builder().id("c").model("m").choices(List.of(
                io.llmrouter.api.chat.Choice.builder().index(0).message(Message.assistant("cached"))
                .finishReason(FinishReason.STOP).build())).build();
        Cost cost = Cost.builder().requestUsd(new BigDecimal("0.01")).build();
        try (Router router = router().deployment(fake("g", "d", FakeProvider.replying("x")))
                .interceptor((a, q) -> Interception.answer(canned, cost)).build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("g", "hi"));

            assertThat(r.cost().totalUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.01"));
            assertThat(router.spend().total()).isEqualByComparingTo("0.01");
        }
    }

    @Test
    void givenAnInterceptorThatThrows_whenCompletion_thenInterceptorExceptionNothingSentAndTheRouterStaysHealthy() {
        FakeProvider provider = FakeProvider.builder().reply("a").reply("b").build();
        boolean[] broken = {true};
        try (Router router = router().retryPolicy(r -> r.numRetries(3).backoff(Duration.ZERO, Duration.ZERO))
                .deployment(fake("g", "d", provider)).interceptor((a, q) -> {
                    if (broken[0]) {
                        throw new IllegalStateException("bug in the interceptor");
                    }
                    return Interception.proceed();
                }).build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "hi")))
                    .isInstanceOfSatisfying(InterceptorException.class, e -> {
                        assertThat(e.interceptor()).isEqualTo("RequestControlTest-lambda");
                        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class)
                                .hasMessage("bug in the interceptor");
                    });
            assertThat(provider.callCount()).isZero();
            assertThat(router.deploymentStatuses()).singleElement().satisfies(s -> {
                assertThat(s.coolingUntil()).isEmpty();
                assertThat(s.inFlight()).isZero();
            });

            broken[0] = false;
            assertThat(router.completion(ChatRequest.ofUser("g", "hi")).text()).isEqualTo("a");
            assertThat(provider.callCount()).isEqualTo(1);
        }
    }

    @Test
    void givenInterceptors_whenEmbedding_thenTheyDoNotRun() {
        try (Router router = router().deployment(fake("g", "d", FakeProvider.replying("x")))
                .interceptor((a, q) -> Interception.refuse("chat only")).build()) {
            assertThat(router.embedding(io.llmrouter.api.embedding.EmbeddingRequest.of("g", "text")).data())
                    .hasSize(1);
        }
    }

    // ---- Response rules ----

    @Test
    void givenARejectedAnswer_whenAnotherDeploymentAnswersWell_thenItIsRetriedThereWithoutCooldown() {
        FakeProvider bad = FakeProvider.builder().reply("BAD answer").build();
        FakeProvider good = FakeProvider.replying("good answer");
        List<Attempt> seen = new CopyOnWriteArrayList<>();
        try (Router router = router()
                .deployment(fake("g", "bad", bad).toBuilder().order(0).build())
                .deployment(fake("g", "good", good).toBuilder().order(1).build())
                .responseRule(rejecting("BAD", false))
                .listener(new RouterListener() {
                    @Override
                    public void onAttempt(RouterCall call, int n, Attempt attempt) {
                        seen.add(attempt);
                    }
                })
                .build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("g", "hi"));

            assertThat(r.text()).isEqualTo("good answer");
            assertThat(r.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId,
                    a -> a.errorType().orElse("ok")).containsExactly(tuple("bad", "ResponseRejectedException"),
                            tuple("good", "ok"));
            assertThat(seen.get(0).errorMessage()).hasValueSatisfying(m -> assertThat(m)
                    .contains("no-BAD").contains("said 'BAD'"));
            assertThat(router.deploymentStatuses()).allSatisfy(s -> assertThat(s.coolingUntil()).isEmpty());
        }
    }

    @Test
    void givenARuleThatCountsTowardCooldown_whenItRejects_thenTheDeploymentCoolsDown() {
        try (Router router = router()
                .deployment(fake("g", "bad", FakeProvider.replying("BAD")).toBuilder().order(0).build())
                .deployment(fake("g", "good", FakeProvider.replying("fine")).toBuilder().order(1).build())
                .responseRule(rejecting("BAD", true))
                .build()) {
            assertThat(router.completion(ChatRequest.ofUser("g", "hi")).text()).isEqualTo("fine");

            assertThat(router.deploymentStatuses()).filteredOn(s -> s.deploymentId().equals("bad")).singleElement()
                    .satisfies(s -> assertThat(s.coolingUntil()).isPresent());
        }
    }

    @Test
    void givenEveryAnswerRejected_whenTheKindHasItsOwnRetryCount_thenItIsRetriedThatOftenThenFailsNamingTheRule() {
        FakeProvider provider = FakeProvider.replying("BAD");
        try (Router router = router()
                .retryPolicy(r -> r.numRetries(0).retries(FailureKind.RESPONSE_REJECTED, 2)
                        .backoff(Duration.ZERO, Duration.ZERO))
                .deployment(fake("g", "d", provider)).responseRule(rejecting("BAD", false)).build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "hi")))
                    .isInstanceOfSatisfying(ResponseRejectedException.class, e -> {
                        assertThat(e.rule()).isEqualTo("no-BAD");
                        assertThat(e.reason()).isEqualTo("said 'BAD'");
                        assertThat(e.attempts()).hasSize(3);
                        assertThat(e.deploymentId()).contains("d");
                    });
            assertThat(provider.callCount()).isEqualTo(3);
        }
    }

    @Test
    void givenEveryAnswerOfAGroupRejected_whenItHasAFallback_thenTheFallbackAnswers() {
        try (Router router = router().retryPolicy(r -> r.numRetries(0))
                .deployment(fake("g", "d", FakeProvider.replying("BAD")))
                .deployment(fake("backup", "b", FakeProvider.replying("from backup")))
                .fallbackPolicy(f -> f.fallbacks("g", "backup"))
                .responseRule(rejecting("BAD", false)).build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("g", "hi"));

            assertThat(r.text()).isEqualTo("from backup");
            assertThat(r.routing().orElseThrow().isFallback()).isTrue();
        }
    }

    @Test
    void givenEveryGroupRejected_whenFallbacksAreExhausted_thenTheErrorIsStillAResponseRejection() {
        try (Router router = router().retryPolicy(r -> r.numRetries(0))
                .deployment(fake("g", "d", FakeProvider.replying("BAD")))
                .deployment(fake("backup", "b", FakeProvider.replying("BAD too")))
                .fallbackPolicy(f -> f.fallbacks("g", "backup"))
                .responseRule(rejecting("BAD", false)).build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "hi")))
                    .isInstanceOfSatisfying(ResponseRejectedException.class, e -> {
                        assertThat(e.rule()).isEqualTo("no-BAD");
                        assertThat(e.getMessage()).contains("model groups tried: [g, backup]");
                    });
        }
    }

    @Test
    void givenARejectedAnswer_whenSettled_thenItsCostIsStillInTheSpend() {
        FakeProvider bad = FakeProvider.builder().usage(Usage.of(0, 500_000)).reply("BAD").build(); // $1
        FakeProvider good = FakeProvider.builder().usage(Usage.of(0, 500_000)).reply("fine").build(); // $1
        try (Router router = router()
                .deployment(Deployment.builder("g", "openai/m").id("bad").order(0).price(PRICE).provider(bad).build())
                .deployment(Deployment.builder("g", "openai/m").id("good").order(1).price(PRICE).provider(good).build())
                .budget(io.llmrouter.budget.Budget.global().limitUsd("100").build())
                .responseRule(rejecting("BAD", false)).build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("g", "hi"));

            assertThat(r.cost().totalUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("1"));
            assertThat(router.spend().total()).isEqualByComparingTo("2");
            assertThat(router.budgetStatuses().get(0).spentUsd()).isEqualByComparingTo("2");
        }
    }

    @Test
    void givenARuleThatThrows_whenTheAnswerArrives_thenInterceptorExceptionAndTheRequestIsNotSentAgain() {
        FakeProvider first = FakeProvider.replying("one");
        FakeProvider second = FakeProvider.replying("two");
        ResponseRule broken = (a, q, r) -> {
            throw new IllegalArgumentException("bug in the rule");
        };
        try (Router router = router().retryPolicy(r -> r.numRetries(3))
                .deployment(fake("g", "d1", first)).deployment(fake("g", "d2", second))
                .deployment(fake("backup", "b", second))
                .fallbackPolicy(f -> f.fallbacks("g", "backup"))
                .responseRule(broken).build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", "hi")))
                    .isInstanceOf(InterceptorException.class).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(first.callCount() + second.callCount()).as("sent exactly once").isEqualTo(1);
            assertThat(router.deploymentStatuses()).allSatisfy(s -> {
                assertThat(s.coolingUntil()).isEmpty();
                assertThat(s.inFlight()).isZero();
            });
        }
    }

    @Test
    void givenARuleRejectingTheContextsFirstAttempt_whenCompletionAsync_thenTheRetryAnswers() throws Exception {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofMillis(50))
                .reply("first").reply("second").build();
        ResponseRule firstNeverGood = (attempt, q, r) -> attempt.attemptNumber() == 1
                ? RuleVerdict.reject("the first attempt is never good") : RuleVerdict.accept();
        try (Router router = virtual().retryPolicy(r -> r.numRetries(1).backoff(Duration.ZERO, Duration.ZERO))
                .deployment(fake("g", "d", provider))
                .interceptor((a, q) -> Interception.proceed(q.toBuilder().user("attempt-" + a.attemptNumber()).build()))
                .responseRule(firstNeverGood).build()) {
            CompletableFuture<ChatResponse> f = router.completionAsync(ChatRequest.ofUser("g", "hi"));
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThat(f.get(5, TimeUnit.SECONDS).text()).isEqualTo("second");
            assertThat(provider.requests()).extracting(q -> q.user().orElse("-"))
                    .containsExactly("attempt-1", "attempt-2");
        }
    }

    // ---- Streaming ----

    @Test
    void givenAnEndOfStreamRule_whenItRejectsTheAssembledAnswer_thenTheStreamFailsWithTheRejectionAsCause() {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).stream("a ", "BAD ", "answer").build();
        FakeProvider other = FakeProvider.builder().scheduler(time.scheduler()).stream("other").build();
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        try (Router router = virtual()
                .deployment(fake("g", "d", provider).toBuilder().order(0).build())
                .deployment(fake("g", "d2", other).toBuilder().order(1).build())
                .responseRule(rejecting("BAD", false)).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThat(texts(seen)).as("the chunks reached the caller before the end").isEqualTo("a BAD answer");
            assertThatThrownBy(f::join).cause().isInstanceOf(StreamInterruptedException.class)
                    .hasCauseInstanceOf(ResponseRejectedException.class);
            assertThat(other.callCount()).as("nothing is retried after the caller got chunks").isZero();
        }
    }

    @Test
    void givenAChunkRule_whenItRejectsBeforeAnythingReachedTheCaller_thenTheStreamFailsOverInvisibly() {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).stream("BAD ", "start").build();
        FakeProvider other = FakeProvider.builder().scheduler(time.scheduler()).stream("good ", "stream").build();
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        ResponseRule noBadWords = new ResponseRule() {
            @Override
            public RuleVerdict check(AttemptContext attempt, ChatRequest request, ChatResponse response) {
                return RuleVerdict.accept();
            }

            @Override
            public boolean checksChunks() {
                return true;
            }

            @Override
            public RuleVerdict checkChunk(AttemptContext attempt, ChatChunk chunk, String textSoFar) {
                return textSoFar.contains("BAD") ? RuleVerdict.reject("bad word") : RuleVerdict.accept();
            }
        };
        try (Router router = virtual()
                .deployment(fake("g", "d", provider).toBuilder().order(0).build())
                .deployment(fake("g", "d2", other).toBuilder().order(1).build())
                .responseRule(noBadWords).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThat(f.join().text()).isEqualTo("good stream");
            assertThat(texts(seen)).isEqualTo("good stream");
            assertThat(f.join().routing().orElseThrow().attempts()).extracting(a -> a.errorType().orElse("ok"))
                    .containsExactly("ResponseRejectedException", "ok");
        }
    }

    @Test
    void givenAChunkRule_whenItRejectsAfterChunksReachedTheCaller_thenTheStreamIsInterrupted() {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).stream("fine ", "BAD ", "more").build();
        FakeProvider other = FakeProvider.builder().scheduler(time.scheduler()).stream("other").build();
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        ResponseRule noBadWords = new ResponseRule() {
            @Override
            public RuleVerdict check(AttemptContext attempt, ChatRequest request, ChatResponse response) {
                return RuleVerdict.accept();
            }

            @Override
            public boolean checksChunks() {
                return true;
            }

            @Override
            public RuleVerdict checkChunk(AttemptContext attempt, ChatChunk chunk, String textSoFar) {
                return chunk.text().orElse("").contains("BAD") ? RuleVerdict.reject("bad word") : RuleVerdict.accept();
            }
        };
        try (Router router = virtual()
                .deployment(fake("g", "d", provider).toBuilder().order(0).build())
                .deployment(fake("g", "d2", other).toBuilder().order(1).build())
                .responseRule(noBadWords).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThat(texts(seen)).isEqualTo("fine ");
            assertThatThrownBy(f::join).cause().isInstanceOfSatisfying(StreamInterruptedException.class,
                    e -> assertThat(e.partialText()).startsWith("fine ")).hasCauseInstanceOf(ResponseRejectedException.class);
            assertThat(other.callCount()).isZero();
        }
    }

    @Test
    void givenAChunkRuleThatThrows_whenStreaming_thenInterceptorExceptionAndTheStreamIsNotOpenedAgain() {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).stream("one ", "two").build();
        FakeProvider other = FakeProvider.builder().scheduler(time.scheduler()).stream("other").build();
        ResponseRule broken = new ResponseRule() {
            @Override
            public RuleVerdict check(AttemptContext attempt, ChatRequest request, ChatResponse response) {
                return RuleVerdict.accept();
            }

            @Override
            public boolean checksChunks() {
                return true;
            }

            @Override
            public RuleVerdict checkChunk(AttemptContext attempt, ChatChunk chunk, String textSoFar) {
                throw new IllegalStateException("bug in the chunk rule");
            }
        };
        try (Router router = virtual().retryPolicy(r -> r.numRetries(3).backoff(Duration.ZERO, Duration.ZERO))
                .deployment(fake("g", "d", provider).toBuilder().order(0).build())
                .deployment(fake("g", "d2", other).toBuilder().order(1).build())
                .responseRule(broken).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { });
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThatThrownBy(f::join).cause().isInstanceOf(InterceptorException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(provider.callCount() + other.callCount()).isEqualTo(1);
            assertThat(router.deploymentStatuses()).allSatisfy(s -> {
                assertThat(s.coolingUntil()).isEmpty();
                assertThat(s.inFlight()).isZero();
            });
        }
    }

    @Test
    void givenAnAnsweringInterceptor_whenStreaming_thenTheCallerReceivesTheAnswerAsChunks() {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).stream("provider").build();
        ChatResponse canned = ChatResponse.builder().id("c").model("m").choices(List.of(
                io.llmrouter.api.chat.Choice.builder().index(0).message(Message.assistant("canned answer"))
                        .finishReason(FinishReason.STOP).build()))
                .build();
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        try (Router router = virtual().deployment(fake("g", "d", provider))
                .interceptor((a, q) -> a.streaming() ? Interception.answer(canned) : Interception.proceed()).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), seen::add);
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThat(texts(seen)).isEqualTo("canned answer");
            assertThat(f.join().routing().orElseThrow().interceptor()).isPresent();
            assertThat(provider.callCount()).isZero();
        }
    }

    @Test
    void givenAModifyingInterceptor_whenStreaming_thenTheStreamIsOpenedWithTheChangedRequest() {
        FakeProvider provider = FakeProvider.builder().scheduler(time.scheduler()).stream("ok").build();
        try (Router router = virtual().deployment(fake("g", "d", provider))
                .interceptor((a, q) -> Interception.proceed(q.toBuilder().messages(List.of(Message.user("changed")))
                        .build())).build()) {
            CompletableFuture<ChatResponse> f = router.streamAsync(ChatRequest.ofUser("g", "hi"), c -> { });
            time.advanceUntil(f::isDone, Duration.ofMinutes(1));

            assertThat(f.join().text()).isEqualTo("ok");
            assertThat(provider.requests()).singleElement()
                    .satisfies(q -> assertThat(q.messages().get(0).text()).isEqualTo("changed"));
        }
    }
}
