package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.testing.FakeProvider;
import io.llmrouter.testing.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live changes: {@link Router#apply(RouterChange)} and its shortcuts on a running router. */
class LiveChangesTest {

    /** $1 per million input tokens, $2 per million output tokens. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("1").outputPerMillion("2").build();

    private final VirtualTime time = VirtualTime.create();
    private Router router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private Router.Builder virtual() {
        return Router.builder().clock(time.clock()).scheduler(time.scheduler()).random(new SplittableRandom(7))
                .retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO));
    }

    private static Deployment dep(String group, String id, FakeProvider provider) {
        return Deployment.builder(group, "openai/gpt-4o").id(id).provider(provider).build();
    }

    private CompletableFuture<ChatResponse> start(String model) {
        return router.completionAsync(ChatRequest.ofUser(model, "hello"));
    }

    private ChatResponse call(String model) {
        CompletableFuture<ChatResponse> f = start(model);
        time.advanceUntil(f::isDone, Duration.ofHours(1));
        return f.join();
    }

    private static String servedBy(ChatResponse r) {
        return r.routing().orElseThrow().deploymentId();
    }

    private DeploymentStatus.State state(String id) {
        return router.deploymentStatuses().stream().filter(s -> s.deploymentId().equals(id)).findFirst()
                .orElseThrow().state();
    }

    private List<String> statusIds() {
        return router.deploymentStatuses().stream().map(DeploymentStatus::deploymentId).collect(Collectors.toList());
    }

    @Test
    void givenARunningRouter_whenADeploymentIsUpserted_thenItIsAddedWithItsGroupAndServesAtOnce() {
        router = virtual().deployment(dep("g", "a", FakeProvider.replying("a"))).build();

        ChangeReport report = router.upsertDeployment(dep("h", "b", FakeProvider.replying("b")));

        assertThat(report.added()).containsExactly("b");
        assertThat(report.unchanged()).containsExactly("a");
        assertThat(report.replaced()).isEmpty();
        assertThat(report.removed()).isEmpty();
        assertThat(report.hasChanges()).isTrue();
        assertThat(router.modelGroups()).containsExactly("g", "h");
        assertThat(router.deployments()).extracting(Deployment::id).containsExactly("a", "b");
        assertThat(statusIds()).containsExactly("a", "b");
        assertThat(router.describe().toMarkdown()).contains("| h |");
        assertThat(call("h").text()).isEqualTo("b");
    }

    @Test
    void givenACoolingDeployment_whenAnUnrelatedDeploymentChanges_thenItKeepsCoolingAndTheReportSaysUnchanged() {
        FakeProvider limited = FakeProvider.failingWith(429);
        router = virtual()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("limited").provider(limited).order(1).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("ok").provider(FakeProvider.replying("ok"))
                        .order(2).build())
                .build();
        assertThat(servedBy(call("g"))).isEqualTo("ok");
        assertThat(state("limited")).isEqualTo(DeploymentStatus.State.COOLING_DOWN);

        ChangeReport report = router.upsertDeployment(dep("h", "other", FakeProvider.replying("h")));

        assertThat(report.unchanged()).containsExactly("limited", "ok");
        assertThat(state("limited")).isEqualTo(DeploymentStatus.State.COOLING_DOWN);
        assertThat(servedBy(call("g"))).isEqualTo("ok");
        assertThat(limited.callCount()).isEqualTo(1);
    }

    @Test
    void givenACoolingDeploymentWithSpend_whenReplaced_thenItsHealthIsFreshAndItsSpendStays() {
        FakeProvider limited = FakeProvider.failingWith(429);
        FakeProvider paid = FakeProvider.builder().usage(Usage.of(1_000_000, 0)).reply("paid").build();
        router = virtual()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("limited").provider(limited).order(1).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("paid").provider(paid).price(PRICE).order(2)
                        .build())
                .build();
        assertThat(servedBy(call("g"))).isEqualTo("paid");
        assertThat(state("limited")).isEqualTo(DeploymentStatus.State.COOLING_DOWN);

        FakeProvider fixed = FakeProvider.replying("fixed");
        ChangeReport report = router.setDeployments(List.of(
                Deployment.builder("g", "openai/gpt-4o").id("limited").provider(fixed).order(1).build(),
                Deployment.builder("g", "openai/gpt-4o").id("paid").provider(paid).price(PRICE).order(2)
                        .apiBase("https://eu.example.com/v1").build()));

        assertThat(report.replaced()).containsExactly("limited", "paid");
        assertThat(report.unchanged()).isEmpty();
        assertThat(state("limited")).isEqualTo(DeploymentStatus.State.AVAILABLE);
        assertThat(router.spend().byDeployment().get("paid")).isEqualByComparingTo("1");
        assertThat(servedBy(call("g"))).isEqualTo("limited");
        assertThat(fixed.callCount()).isEqualTo(1);
    }

    @Test
    void givenARequestInFlight_whenItsDeploymentIsRemoved_thenItCompletesOnceSettledOnceAndNoNewRequestReachesIt() {
        FakeProvider slow = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(10))
                .usage(Usage.of(1_000_000, 0)).reply("slow").build();
        FakeProvider other = FakeProvider.replying("other");
        router = virtual()
                .budget(Budget.global().limitUsd("100").period(BudgetPeriod.DAILY).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("slow").provider(slow).price(PRICE).order(1)
                        .build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("other").provider(other).price(PRICE).order(2)
                        .build())
                .build();
        CompletableFuture<ChatResponse> inFlight = start("g");
        time.advance(Duration.ofSeconds(1));
        assertThat(slow.callCount()).isEqualTo(1);

        ChangeReport report = router.removeDeployment("slow");

        assertThat(report.removed()).containsExactly("slow");
        assertThat(statusIds()).containsExactly("other");
        assertThat(router.deployments()).extracting(Deployment::id).containsExactly("other");
        assertThat(servedBy(call("g"))).isEqualTo("other");
        time.advanceUntil(inFlight::isDone, Duration.ofMinutes(1));
        assertThat(inFlight.join().text()).isEqualTo("slow");
        assertThat(slow.callCount()).isEqualTo(1);
        assertThat(router.spend().byDeployment().get("slow")).isEqualByComparingTo("1");
        BudgetStatus budget = router.budgetStatuses().get(0);
        assertThat(budget.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(budget.spentUsd()).isEqualByComparingTo(router.spend().total()); // each answer charged once
    }

    @Test
    void givenAFailingCallInFlight_whenTheGroupChanges_thenTheRetrySelectsAmongTheNewDeployments() {
        FakeProvider failing = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(5))
                .fail(500).build();
        FakeProvider old = FakeProvider.replying("old");
        FakeProvider added = FakeProvider.replying("new");
        router = virtual()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("failing").provider(failing).order(1).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("old").provider(old).order(3).build())
                .build();
        CompletableFuture<ChatResponse> request = start("g");
        time.advance(Duration.ofSeconds(1));

        router.setDeployments(List.of(
                Deployment.builder("g", "openai/gpt-4o").id("old").provider(old).order(3).build(),
                Deployment.builder("g", "openai/gpt-4o").id("new").provider(added).order(2).build()));
        time.advanceUntil(request::isDone, Duration.ofMinutes(1));

        assertThat(servedBy(request.join())).isEqualTo("new");
        assertThat(request.join().routing().orElseThrow().attempts()).extracting(a -> a.deploymentId())
                .containsExactly("failing", "new");
        assertThat(failing.callCount()).isEqualTo(1);
        assertThat(old.callCount()).isZero();
    }

    @Test
    void givenARequestWaitingForASlot_whenADeploymentJoinsTheGroup_thenItIsServedByTheNewOne() {
        FakeProvider busy = FakeProvider.builder().scheduler(time.scheduler()).delay(Duration.ofSeconds(30))
                .reply("busy").build();
        router = virtual().timeouts(t -> t.deadline(Duration.ofMinutes(5)))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("busy").provider(busy).maxParallelRequests(1)
                        .build())
                .build();
        CompletableFuture<ChatResponse> first = start("g");
        CompletableFuture<ChatResponse> waiting = start("g");
        time.advance(Duration.ofSeconds(1));
        assertThat(waiting).isNotDone();

        router.upsertDeployment(dep("g", "spare", FakeProvider.replying("spare")));
        time.advanceUntil(waiting::isDone, Duration.ofSeconds(10));

        assertThat(waiting).isDone(); // woken by the change, not by the busy call's end 29 s later
        assertThat(servedBy(waiting.join())).isEqualTo("spare");
        assertThat(first).isNotDone();
        assertThat(busy.callCount()).isEqualTo(1);
    }

    @Test
    void givenNoFallback_whenAFallbackPolicyIsSet_thenTheNextRequestFallsBack() {
        router = virtual().retryPolicy(r -> r.numRetries(0))
                .deployment(dep("g", "broken", FakeProvider.failingWith(500)))
                .deployment(dep("h", "backup", FakeProvider.replying("backup")))
                .build();
        CompletableFuture<ChatResponse> before = start("g");
        time.advanceUntil(before::isDone, Duration.ofMinutes(1));
        assertThat(before).isCompletedExceptionally();

        ChangeReport report = router.setFallbackPolicy(FallbackPolicy.builder().fallbacks("g", "h").build());

        assertThat(report.isFallbackPolicyChanged()).isTrue();
        assertThat(report.unchanged()).containsExactly("broken", "backup");
        assertThat(servedBy(call("g"))).isEqualTo("backup");
        assertThat(router.describe().toMarkdown()).contains("h");
    }

    @Test
    void givenAnInvalidChange_whenApplied_thenItIsRejectedWithATypedErrorAndNothingChanges() {
        router = virtual()
                .deployment(dep("g", "a", FakeProvider.replying("a")))
                .deployment(dep("h", "b", FakeProvider.replying("b")))
                .fallbackPolicy(f -> f.fallbacks("g", "h"))
                .alias("fast", "g", false)
                .build();
        List<Deployment> before = router.deployments();

        assertThatThrownBy(() -> router.removeDeployment("b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing applied")
                .hasMessageContaining("'h'");
        assertThatThrownBy(() -> router.setDeployments(List.of(dep("h", "b", FakeProvider.replying("b")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'g'");
        assertThatThrownBy(() -> router.setDeployments(List.of(dep("g", "a", FakeProvider.replying("x")),
                dep("g", "a", FakeProvider.replying("y")), dep("h", "b", FakeProvider.replying("b")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate deployment id 'a'");
        assertThatThrownBy(() -> router.upsertDeployment(Deployment.builder("g", "nosuchvendor/m").id("c").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuchvendor");
        assertThatThrownBy(() -> router.setFallbackPolicy(FallbackPolicy.builder().fallbacks("g", "zzz").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zzz");
        assertThatThrownBy(() -> router.apply(RouterChange.builder().alias("h", "g", false).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("also a model group");
        assertThatThrownBy(() -> router.setDeployments(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one deployment");

        assertThat(router.deployments()).isEqualTo(before);
        assertThat(router.modelGroups()).containsExactly("g", "h", "fast");
        assertThat(call("fast").text()).isEqualTo("a");
    }

    @Test
    void givenAnUnknownId_whenRemoved_thenNothingChanges() {
        router = virtual().deployment(dep("g", "a", FakeProvider.replying("a"))).build();

        ChangeReport report = router.removeDeployment("nope");

        assertThat(report.hasChanges()).isFalse();
        assertThat(report.unchanged()).containsExactly("a");
    }

    @Test
    void givenAnAlias_whenAliasesChange_thenRequestsAndModelGroupsFollow() {
        router = virtual()
                .deployment(dep("g", "a", FakeProvider.replying("a")))
                .deployment(dep("h", "b", FakeProvider.replying("b")))
                .alias("fast", "g", false)
                .build();

        ChangeReport report = router.apply(RouterChange.builder().alias("fast", "h", false).alias("secret", "g", true)
                .build());

        assertThat(report.isAliasesChanged()).isTrue();
        assertThat(router.modelGroups()).containsExactly("g", "h", "fast");
        assertThat(call("fast").text()).isEqualTo("b");
        assertThat(call("secret").text()).isEqualTo("a");
    }

    @Test
    void givenAWildcardRoute_whenItIsReplacedThenRemoved_thenItsModelsFollowAndThenAreUnknown() {
        FakeProvider first = FakeProvider.replying("first");
        FakeProvider second = FakeProvider.replying("second");
        router = virtual()
                .deployment(dep("g", "a", FakeProvider.replying("a")))
                .deployment(Deployment.builder("openai/*", "openai/*").id("wild").provider(first).build())
                .build();
        assertThat(call("openai/gpt-4o-mini").text()).isEqualTo("first");

        ChangeReport replaced = router.upsertDeployment(
                Deployment.builder("openai/*", "openai/*").id("wild").provider(second).build());
        assertThat(replaced.replaced()).containsExactly("wild");
        assertThat(call("openai/gpt-4o-mini").text()).isEqualTo("second");

        router.removeDeployment("wild");
        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("openai/gpt-4o-mini", "hi")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("unknown model group");
        assertThat(first.callCount()).isEqualTo(1);
        assertThat(second.callCount()).isEqualTo(1);
    }

    @Test
    void givenAGroupRemoved_whenRequested_thenItFailsAsAnUnknownGroup() {
        router = virtual()
                .deployment(dep("g", "a", FakeProvider.replying("a")))
                .deployment(dep("h", "b", FakeProvider.replying("b")))
                .build();

        router.removeDeployment("b");

        assertThat(router.modelGroups()).containsExactly("g");
        assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("h", "hi")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("unknown model group 'h'");
    }

    @Test
    void givenAClosedRouter_whenChanged_thenIllegalState() {
        router = virtual().deployment(dep("g", "a", FakeProvider.replying("a"))).build();
        router.close();

        assertThatThrownBy(() -> router.upsertDeployment(dep("g", "b", FakeProvider.replying("b"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void givenChangesRunning_whenTheRouterCloses_thenChangesStopWithIllegalStateAndNothingElseFails() throws Exception {
        router = Router.builder().deployment(dep("g", "a", FakeProvider.replying("a"))).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch changing = new CountDownLatch(1);
            Future<Throwable> changer = pool.submit(() -> {
                for (int i = 0; ; i++) {
                    try {
                        router.upsertDeployment(dep("g", "b", FakeProvider.replying("b" + (i % 2))));
                        changing.countDown();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }
            });
            assertThat(changing.await(30, TimeUnit.SECONDS)).isTrue();

            router.close();

            assertThat(changer.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(router.isClosed()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenManyCallers_whenDeploymentsChangeConcurrently_thenEveryRequestIsAnsweredExactlyOnce() throws Exception {
        FakeProvider stable = FakeProvider.builder().maxRecordedCalls(0).reply("stable").build();
        FakeProvider flapping = FakeProvider.builder().maxRecordedCalls(0).reply("flapping").build();
        FakeProvider swapA = FakeProvider.builder().maxRecordedCalls(0).reply("a").build();
        FakeProvider swapB = FakeProvider.builder().maxRecordedCalls(0).reply("b").build();
        Deployment stableDep = dep("g", "stable", stable);
        router = Router.builder().random(new SplittableRandom(11)).deployment(stableDep)
                .deployment(dep("g", "swap", swapA)).build();
        int callers = 6;
        int perCaller = 300;
        ExecutorService pool = Executors.newFixedThreadPool(callers + 1);
        try {
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger answers = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perCaller; i++) {
                        try {
                            ChatResponse r = i % 2 == 0 ? router.completion(ChatRequest.ofUser("g", "hi"))
                                    : router.completionAsync(ChatRequest.ofUser("g", "hi")).get(30, TimeUnit.SECONDS);
                            if (r.text() != null) {
                                answers.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.add(e);
                        }
                    }
                    return null;
                }));
            }
            Future<Integer> changer = pool.submit(() -> {
                go.await();
                int changes = 0;
                while (!done.get()) {
                    int step = changes % 3;
                    if (step == 0) {
                        router.upsertDeployment(dep("g", "flapping", flapping));
                    } else if (step == 1) {
                        router.upsertDeployment(dep("g", "swap", changes % 2 == 0 ? swapA : swapB));
                    } else {
                        router.removeDeployment("flapping");
                    }
                    changes++;
                }
                return changes;
            });
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            int changes = changer.get(60, TimeUnit.SECONDS);

            assertThat(errors).isEmpty();
            assertThat(changes).isPositive();
            assertThat(answers.get()).isEqualTo(callers * perCaller);
            assertThat(stable.callCount() + flapping.callCount() + swapA.callCount() + swapB.callCount())
                    .isEqualTo(callers * perCaller);
            assertThat(router.deploymentStatuses()).allSatisfy(s -> assertThat(s.inFlight()).isZero());
            assertThat(router.deployments()).extracting(Deployment::id).contains("stable", "swap");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenABuiltRouter_whenTheSameDeploymentsAreSetAgain_thenEveryDeploymentKeepsItsState() {
        FakeProvider limited = FakeProvider.failingWith(429);
        List<Deployment> list = List.of(
                Deployment.builder("g", "openai/gpt-4o").provider(limited).order(1).build(),
                Deployment.builder("g", "openai/gpt-4o").apiBase("https://b.example.com").order(2)
                        .provider(FakeProvider.replying("ok")).build());
        router = virtual().deployments(list).build();
        call("g");
        Map<String, DeploymentStatus.State> states = router.deploymentStatuses().stream()
                .collect(Collectors.toMap(DeploymentStatus::deploymentId, DeploymentStatus::state));

        ChangeReport report = router.setDeployments(list);

        assertThat(report.hasChanges()).isFalse();
        assertThat(report.unchanged()).hasSize(2);
        assertThat(router.deploymentStatuses().stream()
                .collect(Collectors.toMap(DeploymentStatus::deploymentId, DeploymentStatus::state)))
                .isEqualTo(states).containsValue(DeploymentStatus.State.COOLING_DOWN);
    }
}
