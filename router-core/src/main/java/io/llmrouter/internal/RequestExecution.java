package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.llmrouter.Deployment;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.cost.CostCalculator;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's journey: the requested group with its retries, then each fallback group in
 * order, until a deployment answers or every group has failed.
 *
 * <p>Attempts run one after another (a retry starts only when the previous attempt has ended),
 * so the attempt list needs no lock: each step is ordered after the previous by the future that
 * completes it. No thread is parked: provider calls are asynchronous, backoff and timeouts are
 * scheduled on the router's scheduler.
 */
final class RequestExecution implements RoutingContext {

    private static final Logger log = LoggerFactory.getLogger(RequestExecution.class);

    private final RouterEngine engine;
    private final ChatRequest request;
    private final List<String> groupOrder;
    private final List<Attempt> attempts = new ArrayList<>(4);
    private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    private volatile CompletableFuture<?> inFlight;
    private String currentGroup;
    /** Deployments that failed this request; retries prefer others. Null until the first failure. */
    private Set<DeploymentState> failedHere;

    RequestExecution(RouterEngine engine, ChatRequest request) {
        this.engine = engine;
        this.request = request;
        this.groupOrder = engine.groupsFor(request.model());
        this.currentGroup = request.model();
    }

    CompletableFuture<ChatResponse> start() {
        result.whenComplete((r, e) -> {
            CompletableFuture<?> f = inFlight;
            if (result.isCancelled() && f != null) {
                f.cancel(true);
            }
        });
        runGroup(0).whenComplete((response, error) -> {
            if (error == null) {
                engine.notifyListeners(l -> l.onSuccess(request, response));
                result.complete(response);
                return;
            }
            LlmRouterException failure = asRouterException(Futures.unwrap(error), null);
            if (failure.attempts().isEmpty()) {
                failure.initAttempts(attempts);
            }
            engine.notifyListeners(l -> l.onFailure(request, failure));
            result.completeExceptionally(failure);
        });
        return result;
    }

    private CompletableFuture<ChatResponse> runGroup(int index) {
        String groupName = groupOrder.get(index);
        ModelGroup group = engine.group(groupName);
        currentGroup = groupName;
        CompletionStage<ChatResponse> stage = group.retry()
                .executeCompletionStage(engine.scheduler(), () -> attemptOnce(group));
        return stage.toCompletableFuture().handle((response, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(response);
            }
            LlmRouterException failure = asRouterException(Futures.unwrap(error), null);
            if (index + 1 < groupOrder.size() && !result.isDone()) {
                String next = groupOrder.get(index + 1);
                log.debug("model group '{}' failed ({}); falling back to '{}'", groupName,
                        failure.getClass().getSimpleName(), next);
                engine.notifyListeners(l -> l.onFallback(request, groupName, next, failure));
                return runGroup(index + 1);
            }
            return CompletableFuture.<ChatResponse>failedFuture(failure);
        }).thenCompose(Function.identity());
    }

    private CompletableFuture<ChatResponse> attemptOnce(ModelGroup group) {
        if (result.isDone()) {
            return CompletableFuture.failedFuture(new CancellationException("request cancelled"));
        }
        DeploymentState chosen;
        try {
            chosen = choose(group);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (chosen == null) {
            return CompletableFuture.failedFuture(RouterEngine.noDeployment(group));
        }
        return call(group, chosen);
    }

    /**
     * Chooses a deployment that is not cooling down and whose breaker lets a call through,
     * preferring deployments that have not already failed this request.
     */
    private DeploymentState choose(ModelGroup group) {
        DeploymentState fresh = choose(group, true);
        return fresh != null || failedHere == null ? fresh : choose(group, false);
    }

    private DeploymentState choose(ModelGroup group, boolean skipFailed) {
        long now = engine.settings().clock().millis();
        List<DeploymentState> all = group.deployments();
        List<DeploymentState> candidates = new ArrayList<>(all.size());
        int bestOrder = Integer.MAX_VALUE;
        for (DeploymentState d : all) {
            if (d.isCoolingDown(now) || skipFailed && failedHere != null && failedHere.contains(d)) {
                continue;
            }
            int order = d.order();
            if (order < bestOrder) {
                candidates.clear();
                bestOrder = order;
            }
            if (order == bestOrder) {
                candidates.add(d);
            }
        }
        while (!candidates.isEmpty()) {
            DeploymentCandidate picked = engine.settings().strategy().choose(this, candidates);
            int i = picked == null ? -1 : indexOf(candidates, picked);
            if (i < 0) {
                throw new IllegalStateException("routing strategy " + engine.settings().strategy()
                        + " returned " + picked + ", which is not one of the candidates");
            }
            DeploymentState d = candidates.get(i);
            if (d.breaker().tryAcquirePermission()) {
                return d;
            }
            candidates.remove(i);
        }
        return null;
    }

    private static int indexOf(List<DeploymentState> candidates, DeploymentCandidate picked) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == picked) {
                return i;
            }
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).id().equals(picked.id())) {
                return i;
            }
        }
        return -1;
    }

    private CompletableFuture<ChatResponse> call(ModelGroup group, DeploymentState state) {
        Deployment d = state.deployment();
        Duration timeout = d.timeout().orElse(engine.settings().timeout());
        ProviderCall.Builder cb = ProviderCall.builder(request.toBuilder().model(d.providerModel()).build())
                .deploymentId(state.id())
                .modelGroup(group.name())
                .providerRoute(d.providerRoute())
                .timeout(timeout)
                .headers(d.headers());
        d.apiBase().ifPresent(cb::apiBase);
        d.apiKey().ifPresent(cb::apiKey);
        ProviderCall call = cb.build();

        CompletableFuture<ChatResponse> attempt = new CompletableFuture<>();
        long start = System.nanoTime();
        state.enter();
        CompletableFuture<ChatResponse> providerFuture;
        try {
            providerFuture = state.provider().completeAsync(call);
        } catch (RuntimeException e) {
            providerFuture = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ChatResponse> pf = providerFuture;
        inFlight = pf;
        ScheduledFuture<?> timer = engine.scheduler().schedule(() -> {
            if (attempt.completeExceptionally(new RequestTimeoutException("deployment '" + state.id()
                    + "' did not answer within " + timeout, contextOf(state)))) {
                pf.cancel(true);
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        pf.whenComplete((r, e) -> {
            if (e == null) {
                attempt.complete(r);
            } else {
                attempt.completeExceptionally(e);
            }
        });
        if (result.isCancelled()) {
            pf.cancel(true);
        }
        return attempt.handle((response, error) -> {
            timer.cancel(false);
            state.exit();
            long nanos = System.nanoTime() - start;
            Duration took = Duration.ofNanos(nanos);
            if (error == null) {
                state.breaker().onSuccess(nanos, TimeUnit.NANOSECONDS);
                Attempt ok = Attempt.success(state.id(), group.name(), d.providerRoute(), took);
                attempts.add(ok);
                engine.notifyListeners(l -> l.onAttempt(request, ok));
                log.debug("deployment '{}' answered in {} ms", state.id(), took.toMillis());
                return finish(group, state, response);
            }
            LlmRouterException failure = asRouterException(Futures.unwrap(error), state);
            state.breaker().onError(nanos, TimeUnit.NANOSECONDS, failure);
            if (failure instanceof RateLimitException && group.deployments().size() > 1
                    && state.breaker().getState() != CircuitBreaker.State.OPEN) {
                state.breaker().transitionToOpenState();
            }
            if (failedHere == null) {
                failedHere = new HashSet<>(4);
            }
            failedHere.add(state);
            Attempt failed = Attempt.failure(state.id(), group.name(), d.providerRoute(), took, failure);
            attempts.add(failed);
            engine.notifyListeners(l -> l.onAttempt(request, failed));
            log.debug("deployment '{}' failed in {} ms: {}", state.id(), took.toMillis(), failure.toString());
            throw failure;
        });
    }

    private ChatResponse finish(ModelGroup group, DeploymentState state, ChatResponse response) {
        Cost cost = costOf(state, response);
        RoutingInfo routing = RoutingInfo.of(request.model(), group.name(), state.id(),
                state.deployment().providerRoute(), attempts);
        return response.toBuilder().cost(cost).routing(routing).build();
    }

    private Cost costOf(DeploymentState state, ChatResponse response) {
        String route = state.deployment().providerRoute();
        if (state.price().isEmpty()) {
            if (engine.warnUnpricedOnce(route)) {
                log.warn("no price for '{}' (deployment '{}'): its answers are unpriced; set Deployment.price(..)"
                        + " or baseModel(..)", route, state.id());
            }
            return Cost.unpriced("no price for '" + route + "' in the price table");
        }
        if (response.usage().isEmpty()) {
            return Cost.unpriced("provider reported no usage for '" + route + "'");
        }
        return CostCalculator.cost(state.price().get(), response.usage().get(), state.pricedBy());
    }

    private ErrorContext contextOf(DeploymentState state) {
        return ErrorContext.builder().provider(state.deployment().providerPrefix()).deploymentId(state.id())
                .model(state.deployment().providerModel()).build();
    }

    /** Any failure as a typed router exception; a provider's stray runtime exception is wrapped, not lost. */
    private LlmRouterException asRouterException(Throwable error, DeploymentState state) {
        if (error instanceof LlmRouterException lre) {
            return lre;
        }
        ErrorContext ctx = state == null ? ErrorContext.builder().model(currentGroup).build() : contextOf(state);
        if (error instanceof CancellationException) {
            return new LlmRouterException("request cancelled", ctx, error);
        }
        String who = state == null ? "router" : "provider '" + state.deployment().providerPrefix() + "'";
        return new LlmRouterException(who + " failed unexpectedly: " + error.getClass().getName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage()), ctx, error);
    }

    @Override
    public ChatRequest request() {
        return request;
    }

    @Override
    public String modelGroup() {
        return currentGroup;
    }

    @Override
    public RandomGenerator random() {
        return engine.random();
    }
}
