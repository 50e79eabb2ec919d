package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.FailureKind;
import io.llmrouter.FallbackPolicy;
import io.llmrouter.RequestOptions;
import io.llmrouter.Timeouts;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.budget.SpendReport;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceMatch;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.RouterListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's machinery behind the public facade: model groups with their deployments,
 * circuit breakers and retry policies, and the execution of one request over them.
 *
 * <p>Internal: not API, may change in any release.
 */
public final class RouterEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouterEngine.class);

    /** Calls in the window before the failure-rate rule may cool a deployment: {@value}. */
    static final int MIN_CALLS_FOR_FAILURE_RATE = 10;
    /** Failure rate, in percent, that cools a deployment: {@value}. */
    static final float FAILURE_RATE_THRESHOLD = 50;

    private final RouterSettings settings;
    private final Map<String, ModelGroup> groups;
    private final ScheduledExecutorService scheduler;
    /** The router's own scheduler, or null when the builder was given one. */
    private final RouterScheduler ownScheduler;
    /** The requests in flight, so close() can end them. */
    private final Set<RequestExecution<?, ?>> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final RandomGenerator sharedRandom;
    private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventSeq = new AtomicLong();
    private final Budgets budgets;
    private final SpendLedger spend;
    private final List<Deployment> deployments;

    /**
     * Builds the engine; resolves every deployment's provider and price now, so a missing
     * provider fails at build time.
     *
     * @param settings the validated settings
     */
    public RouterEngine(RouterSettings settings) {
        this.settings = settings;
        this.sharedRandom = settings.random() == null ? null : new SynchronizedRandom(settings.random());
        this.budgets = new Budgets(settings.budgets());
        this.spend = new SpendLedger(settings.maxSpendKeys());
        ProviderRegistry registry = new ProviderRegistry(settings.providers(), RouterEngine.class.getClassLoader());
        Map<String, List<DeploymentState>> byGroup = new LinkedHashMap<>();
        Map<String, Integer> idCounts = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        List<Deployment> finalDeployments = new ArrayList<>();
        Map<String, Integer> groupSizes = new HashMap<>();
        settings.deployments().forEach(d -> groupSizes.merge(d.modelGroup(), 1, Integer::sum));
        Map<String, WeightBasis> weightBasis = weightBasis(settings.deployments());
        for (Deployment d : settings.deployments()) {
            String id = d.id();
            if (!d.hasExplicitId()) {
                int n = idCounts.merge(id, 1, Integer::sum);
                if (n > 1) {
                    id = id + "#" + n;
                }
            }
            if (!ids.add(id)) {
                throw new IllegalStateException("duplicate deployment id '" + id + "'; give each deployment a unique id()");
            }
            Provider provider = d.provider().isPresent() ? d.provider().get()
                    : registry.resolve(d.providerPrefix(), id);
            Deployment effective = id.equals(d.id()) ? d : d.toBuilder().id(id).build();
            finalDeployments.add(effective);
            byGroup.computeIfAbsent(d.modelGroup(), k -> new ArrayList<>())
                    .add(newState(effective, id, provider, settings, groupSizes.get(d.modelGroup()) == 1,
                            weightBasis.get(d.modelGroup()).weightOf(d)));
        }
        this.deployments = List.copyOf(finalDeployments);
        Map<String, ModelGroup> g = new LinkedHashMap<>();
        byGroup.forEach((name, states) -> g.put(name, new ModelGroup(name, states)));
        this.groups = Collections.unmodifiableMap(g);
        this.groups.values().forEach(group -> group.retry(newRetry(group)));
        if (settings.scheduler() != null) {
            this.scheduler = settings.scheduler();
            this.ownScheduler = null;
        } else {
            this.ownScheduler = new RouterScheduler(() -> !live.isEmpty());
            this.scheduler = ownScheduler.executor();
        }
    }

    /** What weighs a group's deployments: LiteLLM's rule (weights if any is set, else rpm, else tpm). */
    private enum WeightBasis {
        WEIGHT, RPM, TPM;

        int weightOf(Deployment d) {
            return switch (this) {
                case WEIGHT -> d.weight();
                case RPM -> d.rpm().orElse(1);
                case TPM -> d.tpm().orElse(1);
            };
        }
    }

    private static Map<String, WeightBasis> weightBasis(List<Deployment> deployments) {
        Map<String, List<Deployment>> byGroup = new LinkedHashMap<>();
        deployments.forEach(d -> byGroup.computeIfAbsent(d.modelGroup(), k -> new ArrayList<>()).add(d));
        Map<String, WeightBasis> out = new HashMap<>();
        byGroup.forEach((group, list) -> {
            WeightBasis basis = WeightBasis.WEIGHT;
            if (list.stream().noneMatch(Deployment::hasExplicitWeight)) {
                if (list.stream().allMatch(d -> d.rpm().isPresent())) {
                    basis = WeightBasis.RPM;
                } else if (list.stream().allMatch(d -> d.tpm().isPresent())) {
                    basis = WeightBasis.TPM;
                }
            }
            out.put(group, basis);
        });
        return out;
    }

    private DeploymentState newState(Deployment d, String id, Provider provider, RouterSettings s, boolean sole,
            int weight) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) DeploymentState.FAILURE_WINDOW.toSeconds())
                // The failure-rate rule; the only deployment of a group is never cooled by it.
                .minimumNumberOfCalls(sole ? Integer.MAX_VALUE : s.minimumCallsForFailureRate())
                .failureRateThreshold(s.failureRateThreshold())
                // The cooldown length is DeploymentState's (it varies with retry-after); the breaker
                // only has to let the probe through once that has passed.
                .waitDurationInOpenState(Duration.ofMillis(1))
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreException(e -> Futures.unwrap(e) instanceof LlmRouterException lre
                        && FailureKind.of(lre).isAboutRequest())
                .clock(s.clock())
                .build();
        CircuitBreaker breaker = CircuitBreaker.of(id, config);
        ModelPrice price = d.price().orElse(null);
        String pricedBy = price != null ? "deployment '" + id + "' price override" : null;
        if (price == null) {
            String key = d.baseModel().orElse(d.providerRoute());
            Optional<PriceMatch> match = s.priceTable().lookup(key);
            if (match.isPresent()) {
                price = match.get().price();
                pricedBy = match.get().key();
            }
        }
        return new DeploymentState(d, id, provider, breaker, price, pricedBy, this, sole, weight);
    }

    void cooldownStarted(DeploymentState d, Instant until, LlmRouterException cause) {
        log.warn("deployment '{}' cooling down until {}{}", d.id(), until,
                cause == null ? "" : " after " + cause.getClass().getSimpleName());
        LlmRouterException reason = cause != null ? cause
                : new LlmRouterException("failure rate over threshold", ErrorContext.none(), null);
        notifyListeners(l -> l.onCooldownStart(d.id(), d.modelGroup(), until, reason));
    }

    void cooldownEnded(DeploymentState d) {
        log.info("deployment '{}' back in rotation", d.id());
        notifyListeners(l -> l.onCooldownEnd(d.id(), d.modelGroup()));
    }

    Budgets budgets() {
        return budgets;
    }

    SpendLedger spendLedger() {
        return spend;
    }

    /** The spend report. */
    public SpendReport spend() {
        return spend.report();
    }

    /** Every budget's status. */
    public List<BudgetStatus> budgetStatuses() {
        return budgets.statuses(settings.clock().instant());
    }

    /** The effective settings (for the router's description of itself). */
    public RouterSettings effectiveSettings() {
        return settings;
    }

    /**
     * What the router resolved for each deployment, in definition order.
     *
     * @param id the deployment id
     * @param modelGroup its group
     * @param deployment its definition
     * @param price its resolved price, or null when unpriced
     * @param pricedBy the price entry or override that priced it, or null
     * @param capabilities the capabilities known for its model, or null when unknown
     * @param contextWindow its input window, or 0 when unknown
     * @param effectiveWeight its weight for the shuffle
     */
    public record ResolvedDeployment(String id, String modelGroup, Deployment deployment, ModelPrice price,
            String pricedBy, Set<ModelCapability> capabilities, int contextWindow, int effectiveWeight) {
    }

    /** The deployments as the router resolved them. */
    public List<ResolvedDeployment> resolvedDeployments() {
        List<ResolvedDeployment> out = new ArrayList<>();
        for (ModelGroup g : groups.values()) {
            for (DeploymentState d : g.deployments()) {
                out.add(new ResolvedDeployment(d.id(), g.name(), d.deployment(), d.price().orElse(null), d.pricedBy(),
                        d.knownCapabilities(), d.contextWindow(), d.weight()));
            }
        }
        return out;
    }

    /** Takes the given deployments out (their calls fail at once) until {@link #endSimulatedOutage()}. */
    public void simulateOutage(Set<String> deploymentIds) {
        for (ModelGroup g : groups.values()) {
            for (DeploymentState d : g.deployments()) {
                if (deploymentIds.contains(d.id())) {
                    d.simulatedOutage(true);
                }
            }
        }
    }

    /** Ends a simulated outage and puts every deployment back in rotation (breakers reset). */
    public void endSimulatedOutage() {
        for (ModelGroup g : groups.values()) {
            for (DeploymentState d : g.deployments()) {
                d.simulatedOutage(false);
                d.breaker().reset();
            }
            g.healthChanged();
        }
    }

    /** The health of every deployment, in definition order. */
    public List<DeploymentStatus> statuses() {
        long now = settings.clock().millis();
        List<DeploymentStatus> out = new ArrayList<>();
        for (ModelGroup g : groups.values()) {
            for (DeploymentState d : g.deployments()) {
                out.add(d.status(now));
            }
        }
        return List.copyOf(out);
    }

    private static Retry newRetry(ModelGroup group) {
        // RequestExecution decides every retry (per failure kind, per request) and its delay, and
        // signals it with a RetrySignal; Resilience4j runs the loop and schedules the waits.
        IntervalBiFunction<Object> interval = (attempt, either) -> either.isLeft()
                && Futures.unwrap(either.getLeft()) instanceof RetrySignal signal ? signal.delayMillis() : 0L;
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .retryOnException(e -> Futures.unwrap(e) instanceof RetrySignal)
                .intervalBiFunction(interval)
                .failAfterMaxAttempts(false)
                .build();
        return Retry.of("group:" + group.name(), config);
    }

    RandomGenerator random() {
        return sharedRandom != null ? sharedRandom : ThreadLocalRandom.current();
    }

    RouterSettings settings() {
        return settings;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ModelGroup group(String name) {
        return groups.get(name);
    }

    /** The model groups, in definition order. */
    public Set<String> modelGroups() {
        return groups.keySet();
    }

    /** The deployments with their effective ids, in definition order. */
    public List<Deployment> deployments() {
        return deployments;
    }

    /**
     * Validates the chat request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<ChatResponse> execute(ChatRequest request, RequestOptions options) {
        if (closed) {
            return closedFuture(request);
        }
        if (request.messages().isEmpty()) {
            return rejected(request, "messages must not be empty: send at least one message");
        }
        return route(Operation.CHAT, request, options);
    }

    /**
     * Like {@link #execute} for a caller that will block on the result: the first attempt runs the
     * provider's synchronous call on the calling thread.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future (usually already complete on return)
     */
    public CompletableFuture<ChatResponse> executeBlocking(ChatRequest request, RequestOptions options) {
        if (closed) {
            return closedFuture(request);
        }
        if (request.messages().isEmpty()) {
            return rejected(request, "messages must not be empty: send at least one message");
        }
        Duration deadline = settings.deadline(options);
        Instant deadlineAt = deadline == null ? null : settings.clock().instant().plus(deadline);
        return route(new CallerThreadChatOperation(Thread.currentThread(), settings.clock(), deadlineAt), request,
                options);
    }

    /**
     * Validates the embedding request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request, RequestOptions options) {
        if (closed) {
            return closedFuture(request);
        }
        if (request.inputs().isEmpty()) {
            return rejected(request, "inputs must not be empty: send at least one text to embed");
        }
        return route(Operation.EMBEDDING, request, options);
    }

    /**
     * Validates the request and streams it: {@code consumer} receives the chunks of the attempt
     * that answers; the future completes with the accumulated response. Never throws.
     *
     * @param request the request
     * @param options per-request overrides
     * @param consumer receives the chunks, on the provider's thread
     * @return the accumulated response future
     */
    public CompletableFuture<ChatResponse> stream(ChatRequest request, RequestOptions options,
            Consumer<ChatChunk> consumer) {
        if (closed) {
            return closedFuture(request);
        }
        if (request.messages().isEmpty()) {
            return rejected(request, "messages must not be empty: send at least one message");
        }
        StreamOperation op = new StreamOperation(consumer, scheduler, settings.clock(), settings.firstTokenTimeout(),
                settings.streamIdleTimeout(), options.timeouts().flatMap(Timeouts::firstTokenTimeout).orElse(null),
                options.timeouts().flatMap(Timeouts::streamIdleTimeout).orElse(null));
        return route(op, request, options);
    }

    private <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<R> route(Operation<Q, R> operation,
            Q request, RequestOptions options) {
        Optional<String> unsendable = RequestValues.problem(request);
        if (unsendable.isPresent()) {
            return rejected(request, unsendable.get());
        }
        if (!groups.containsKey(request.model())) {
            return rejected(request, "unknown model group '" + request.model() + "'; known groups: " + groups.keySet());
        }
        for (String g : options.fallbackPolicy().map(FallbackPolicy::modelGroups).orElse(Set.of())) {
            if (!groups.containsKey(g)) {
                return rejected(request, "request fallback names unknown model group '" + g + "'; known groups: "
                        + groups.keySet());
            }
        }
        return new RequestExecution<>(this, operation, request, options).start();
    }

    /**
     * Registers a request as in flight; one that registers after {@link #close()} began is ended
     * at once with {@link #closedException(RouterRequest)}.
     *
     * @return whether the request may go on
     */
    boolean register(RequestExecution<?, ?> execution) {
        live.add(execution);
        if (closed) {
            live.remove(execution);
            return false;
        }
        if (ownScheduler != null) {
            ownScheduler.callStarted();
        }
        return true;
    }

    void unregister(RequestExecution<?, ?> execution) {
        live.remove(execution);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /** The failure of every call made to, or in flight on, a closed router. */
    RouterClosedException closedException(RouterRequest request) {
        return new RouterClosedException("the router is closed; build a new one to send requests",
                ErrorContext.builder().model(request.model()).build());
    }

    private <R> CompletableFuture<R> closedFuture(RouterRequest request) {
        RouterClosedException e = closedException(request);
        notifyListeners(l -> l.onFailure(request, e));
        return CompletableFuture.failedFuture(e);
    }

    private <R> CompletableFuture<R> rejected(RouterRequest request, String message) {
        BadRequestException e = new BadRequestException(message, ErrorContext.builder().model(request.model()).build());
        notifyListeners(l -> l.onFailure(request, e));
        return CompletableFuture.failedFuture(e);
    }

    void notifyListeners(Consumer<RouterListener> event) {
        for (RouterListener l : settings.listeners()) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.warn("router listener {} threw; ignored", l, e);
            }
        }
    }

    long nextEventSeq() {
        return eventSeq.incrementAndGet();
    }

    boolean warnUnpricedOnce(String route) {
        return unpricedWarned.add(route);
    }

    NoDeploymentAvailableException noDeployment(ModelGroup group, boolean overLimits, boolean overBudget) {
        long now = settings.clock().millis();
        Instant first = overLimits ? Instant.ofEpochMilli(MinuteUsage.nextMinuteMillis(now)) : null;
        Duration retryAfter = null;
        long retryAfterSeq = Long.MIN_VALUE;
        List<String> ids = new ArrayList<>(group.deployments().size());
        for (DeploymentState d : group.deployments()) {
            ids.add(d.id());
            Optional<Instant> until = d.coolingUntil(now);
            if (until.isPresent() && (first == null || until.get().isBefore(first))) {
                first = until.get();
            }
            if (d.lastRetryAfter() != null && d.lastRetryAfterSeq() > retryAfterSeq) {
                retryAfter = d.lastRetryAfter();
                retryAfterSeq = d.lastRetryAfterSeq();
            }
        }
        String why = " are cooling down" + (overLimits ? ", over their rpm/tpm limits for this minute" : "")
                + (overBudget ? ", or over their deployment or provider budgets" : "");
        String when = first == null ? "; a probe call is in flight" : "; capacity returns at " + first;
        return new NoDeploymentAvailableException("no deployment of model group '" + group.name()
                + "' is available: " + ids + why + when,
                ErrorContext.builder().model(group.name()).build(), group.name(), ids, first, retryAfter);
    }

    /**
     * Refuses new requests and ends every request in flight at once with a
     * {@link RouterClosedException}: their HTTP calls are cancelled, and their in-flight counts and
     * budget reservations released. Idempotent. The router's own scheduler is not shut down (a
     * timer scheduled in a race with close would be rejected, stranding its call): with nothing
     * left to run, its thread ends by itself. A scheduler given to the builder is left alone.
     */
    @Override
    public void close() {
        closed = true;
        for (RequestExecution<?, ?> e : List.copyOf(live)) {
            e.abort(closedException(e.request()));
        }
    }

    /**
     * Refuses new requests, waits up to {@code grace} for the requests in flight to end on their
     * own, then {@link #close()}s.
     *
     * @param grace the longest wait
     * @return whether every request in flight ended within {@code grace}
     */
    public boolean close(Duration grace) {
        closed = true;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (RequestExecution<?, ?> e : List.copyOf(live)) {
            pending.add(e.result());
        }
        boolean drained = true;
        if (!pending.isEmpty()) {
            try {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .handle((r, err) -> null)
                        .get(Math.max(0, grace.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                drained = false;
            }
        }
        close();
        return drained;
    }

    /** Serializes access to a user-supplied (usually seeded, non-thread-safe) random source. */
    private static final class SynchronizedRandom implements RandomGenerator {
        private final RandomGenerator delegate;

        SynchronizedRandom(RandomGenerator delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized long nextLong() {
            return delegate.nextLong();
        }

        @Override
        public synchronized long nextLong(long bound) {
            return delegate.nextLong(bound);
        }

        @Override
        public synchronized double nextDouble() {
            return delegate.nextDouble();
        }

        @Override
        public synchronized int nextInt(int bound) {
            return delegate.nextInt(bound);
        }
    }
}
