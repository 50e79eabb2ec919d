package io.llmrouter.internal;

import io.llmrouter.CachePolicy;
import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.RequestOptions;
import io.llmrouter.Timeouts;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.control.RequestInterceptor;
import io.llmrouter.control.ResponseRule;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.budget.SpendReport;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.spi.ResponseCache;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.StateStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
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

    private final RouterSettings settings;
    private final Map<String, ModelGroup> groups;
    /** The wildcard groups ({@code openai/*}, {@code *}), most specific (longest prefix) first; often empty. */
    private final List<ModelGroup> wildcards;
    /** The groups made for model names that wildcards serve, by requested name (at most {@link #MAX_WILDCARD_MODELS}). */
    private final Map<String, ModelGroup> wildcardModels = new ConcurrentHashMap<>();
    /** The most model names served through wildcards whose deployments (and their health) are kept: {@value}. */
    static final int MAX_WILDCARD_MODELS = 1024;
    private final ScheduledExecutorService scheduler;
    /** The router's own scheduler, or null when the builder was given one. */
    private final RouterScheduler ownScheduler;
    /** The requests in flight, so close() can end them, and the closed state. */
    private final InFlightRequests inFlight = new InFlightRequests();
    private final RandomGenerator sharedRandom;
    private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventSeq = new AtomicLong();
    private final StateStore store;
    private final Budgets budgets;
    private final List<Deployment> deployments;
    /** The deployments by id, for health transitions other routers publish through the store. */
    private final Map<String, DeploymentState> byId = new ConcurrentHashMap<>();
    private final StateStore.Subscription storeSubscription;
    /** The response-cache step, or null when the cache is off (then routing pays one null check for it). */
    private final CacheStep cache;
    /** The interceptors and response rules, or null when none is registered. */
    private final RequestControls controls;
    /** Whether any listener is registered: without one no {@link RouterCall} is made and no event sent. */
    private final boolean hasListeners;

    /**
     * Builds the engine without a response cache; see {@link #RouterEngine(RouterSettings, CachePolicy)}.
     *
     * @param settings the validated settings
     */
    public RouterEngine(RouterSettings settings) {
        this(settings, CachePolicy.disabled());
    }

    /**
     * Builds the engine; resolves every deployment's provider and price now, so a missing
     * provider fails at build time.
     *
     * @param settings the validated settings
     * @param cachePolicy the response cache
     * @throws IllegalStateException if the cache policy names an unknown model group
     */
    public RouterEngine(RouterSettings settings, CachePolicy cachePolicy) {
        this(settings, cachePolicy, List.of(), List.of());
    }

    /**
     * Builds the engine with request controls; see {@link #RouterEngine(RouterSettings, CachePolicy)}.
     *
     * @param settings the validated settings
     * @param cachePolicy the response cache
     * @param interceptors the request interceptors, in order
     * @param rules the response rules, in order
     * @throws IllegalStateException if the cache policy names an unknown model group
     */
    public RouterEngine(RouterSettings settings, CachePolicy cachePolicy, List<RequestInterceptor> interceptors,
            List<ResponseRule> rules) {
        this.controls = RequestControls.of(interceptors, rules);
        this.settings = settings;
        this.hasListeners = !settings.listeners().isEmpty();
        this.sharedRandom = settings.random() == null ? null : new SynchronizedRandom(settings.random());
        this.store = settings.stateStore() != null ? settings.stateStore()
                : new InMemoryStateStore(settings.maxSpendKeys());
        this.budgets = new Budgets(settings.budgets(), store);
        GroupAssembly.Result assembled = GroupAssembly.assemble(settings, this);
        this.deployments = assembled.deployments();
        this.groups = assembled.groups();
        List<ModelGroup> wild = new ArrayList<>();
        for (ModelGroup g : groups.values()) {
            if (GroupAssembly.isWildcard(g.name())) {
                wild.add(g);
            }
        }
        wild.sort((a, b) -> Integer.compare(b.name().length(), a.name().length()));
        this.wildcards = List.copyOf(wild);
        if (settings.scheduler() != null) {
            this.scheduler = settings.scheduler();
            this.ownScheduler = null;
        } else {
            this.ownScheduler = new RouterScheduler(inFlight::isBusy);
            this.scheduler = ownScheduler.executor();
        }
        for (ModelGroup g : groups.values()) {
            for (DeploymentState d : g.deployments()) {
                byId.put(d.id(), d);
            }
        }
        this.cache = cachePolicy.isEnabled() ? cacheStep(cachePolicy) : null;
        this.storeSubscription = store.subscribe(new StoreEvents());
    }

    /** The interceptors and response rules, or null when none is registered (the attempt's one check). */
    RequestControls controls() {
        return controls;
    }

    private CacheStep cacheStep(CachePolicy policy) {
        for (String g : policy.groups()) {
            if (!groups.containsKey(g)) {
                throw new IllegalStateException("cache policy names unknown model group '" + g + "'; known: "
                        + groups.keySet());
            }
        }
        policy.semanticGroup().ifPresent(g -> {
            if (!groups.containsKey(g)) {
                throw new IllegalStateException("cache policy's semantic embedding group '" + g
                        + "' is not a model group; known: " + groups.keySet());
            }
        });
        ResponseCache backend = policy.backend().orElseGet(() -> new CaffeineResponseCache(policy.maxEntries(),
                policy.maxWeightBytes(), settings.clock()));
        return new CacheStep(this, policy, backend, settings.clock());
    }

    /** The response cache's policy (disabled when off). */
    public CachePolicy cachePolicy() {
        return cache == null ? CachePolicy.disabled() : cache.policy();
    }

    /** The response cache's backend description, or empty when off. */
    public Optional<String> cacheBackend() {
        return cache == null ? Optional.empty() : Optional.of(cache.backend().description());
    }

    /**
     * What the shared store reports: cooldowns other routers published (applied to the local
     * deployment, so every router skips it) and the store's outages (one warning each).
     */
    private final class StoreEvents implements StateStore.Subscriber {

        @Override
        public void onHealth(io.llmrouter.spi.DeploymentHealth transition) {
            DeploymentState d = byId.get(transition.deploymentId());
            if (d != null) {
                d.health().applyRemote(transition, settings.clock().millis());
            }
        }

        @Override
        public void onAvailability(StateStore.Availability availability, String detail) {
            if (availability == StateStore.Availability.UNAVAILABLE) {
                log.warn("state store unavailable ({}): answering from local state until it returns", detail);
                notifyListeners(l -> l.onStateStoreUnavailable(detail));
            } else {
                log.info("state store available again ({}): shared state resynchronized", detail);
                notifyListeners(RouterListener::onStateStoreAvailable);
            }
        }
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

    /** The state shared through the store: the given one, or the in-memory default. */
    StateStore stateStore() {
        return store;
    }

    /** Adds an answer's cost to the spend totals (or counts it unpriced). */
    void recordSpend(RouterRequest request, String group, DeploymentState d, Cost cost) {
        if (cost.isPriced()) {
            store.addSpend(d.id(), d.deployment().providerPrefix(), group, request.user(), request.tags(),
                    cost.totalUsd().orElse(BigDecimal.ZERO));
        } else {
            store.countUnpriced(d.id());
        }
    }

    /** The spend report, with the response cache's hits and savings. */
    public SpendReport spend() {
        SpendReport r = SpendLedger.report(store.spendTotals());
        return cache == null ? r : r.withCache(cache.hits(), cache.savedUsd());
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
                d.health().reset();
            }
            g.healthChanged();
        }
    }

    /** The health of every deployment, in definition order. */
    public List<DeploymentStatus> statuses() {
        long now = settings.clock().millis();
        StateStore.Availability shared = store.availability();
        List<DeploymentStatus> out = new ArrayList<>();
        for (ModelGroup g : groups.values()) {
            for (DeploymentState d : g.deployments()) {
                DeploymentStatus s = d.status(now);
                out.add(shared == StateStore.Availability.AVAILABLE ? s : new DeploymentStatus(s.deploymentId(),
                        s.modelGroup(), s.state(), s.coolingUntil().orElse(null), s.inFlight(), s.recentFailures(),
                        shared));
            }
        }
        return List.copyOf(out);
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

    /**
     * The group a request for {@code name} goes to: the group of that name, else the one made for
     * it from the most specific wildcard group that matches it, else null.
     */
    ModelGroup group(String name) {
        ModelGroup g = groups.get(name);
        return g != null || wildcards.isEmpty() ? g : wildcardGroup(name);
    }

    /** Runs a request that waited for a call slot on the router's scheduler. */
    void wakeSlotWaiter(Runnable waiter) {
        scheduler.execute(waiter);
    }

    /** Whether a request for {@code name} has a group to go to (an explicit one or a wildcard). */
    boolean hasGroup(String name) {
        return groups.containsKey(name)
                || !wildcards.isEmpty() && (wildcardModels.containsKey(name) || wildcardMatch(name) != null);
    }

    /** The most specific wildcard group whose pattern matches {@code name}, or null. */
    private ModelGroup wildcardFor(String name) {
        for (ModelGroup w : wildcards) {
            String pattern = w.name();
            if (name.length() >= pattern.length() && name.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return w;
            }
        }
        return null;
    }

    /**
     * The name a wildcard serves {@code name} as: {@code name} itself when a wildcard matches it,
     * else, as LiteLLM does, {@code <provider>/name} with the provider the price table gives the
     * bare name ({@code gpt-4o} → {@code openai/gpt-4o}) when a wildcard matches that; or null.
     */
    private String wildcardMatch(String name) {
        if (wildcardFor(name) != null) {
            return name;
        }
        if (name.indexOf('/') < 0) {
            Optional<String> provider = settings.priceTable().get(name).flatMap(p -> p.provider());
            if (provider.isPresent()) {
                String qualified = provider.get() + "/" + name;
                if (wildcardFor(qualified) != null) {
                    return qualified;
                }
            }
        }
        return null;
    }

    /** The group made for {@code name} from its wildcard (kept, with its health, for up to MAX names), or null. */
    private ModelGroup wildcardGroup(String name) {
        ModelGroup made = wildcardModels.get(name);
        if (made != null) {
            return made;
        }
        String matched = wildcardMatch(name);
        if (matched == null) {
            return null;
        }
        made = GroupAssembly.derive(this, settings, wildcardFor(matched), name, matched);
        if (wildcardModels.size() >= MAX_WILDCARD_MODELS) {
            return made; // served, but not kept: its deployments' health lasts for this request only
        }
        ModelGroup raced = wildcardModels.putIfAbsent(name, made);
        if (raced != null) {
            return raced;
        }
        for (DeploymentState d : made.deployments()) {
            byId.putIfAbsent(d.id(), d);
        }
        return made;
    }

    /** The deployment with this id, or null. */
    DeploymentState deploymentState(String id) {
        return byId.get(id);
    }

    /** The ids of the deployments, in definition order (for messages). */
    List<String> deploymentIds() {
        List<String> ids = new ArrayList<>(deployments.size());
        deployments.forEach(d -> ids.add(d.id()));
        return ids;
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
        RouterCall call = startCall(request, RouterCall.Kind.CHAT);
        CompletableFuture<ChatResponse> refused = refused(call, request, options);
        if (refused != null) {
            return refused;
        }
        return route(call, Operation.CHAT, request, options);
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
        RouterCall call = startCall(request, RouterCall.Kind.CHAT);
        CompletableFuture<ChatResponse> refused = refused(call, request, options);
        if (refused != null) {
            return refused;
        }
        Duration deadline = settings.deadline(options);
        Instant deadlineAt = deadline == null ? null : settings.clock().instant().plus(deadline);
        return route(call, new CallerThreadChatOperation(Thread.currentThread(), settings.clock(), deadlineAt),
                request, options);
    }

    /**
     * Validates the embedding request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<EmbeddingResponse> embed(EmbeddingRequest request, RequestOptions options) {
        RouterCall call = startCall(request, RouterCall.Kind.EMBEDDING);
        CompletableFuture<EmbeddingResponse> refused = refused(call, request, options);
        if (refused != null) {
            return refused;
        }
        return route(call, Operation.EMBEDDING, request, options);
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
        RouterCall call = startCall(request, RouterCall.Kind.CHAT_STREAM);
        CompletableFuture<ChatResponse> refused = refused(call, request, options);
        if (refused != null) {
            return refused;
        }
        StreamOperation op = new StreamOperation(consumer, scheduler, settings.clock(), settings.firstTokenTimeout(),
                settings.streamIdleTimeout(), options.timeouts().flatMap(Timeouts::firstTokenTimeout).orElse(null),
                options.timeouts().flatMap(Timeouts::streamIdleTimeout).orElse(null));
        return route(call, op, request, options);
    }

    /**
     * The call's {@link RouterCall} after its {@code onRequestStart} event (on the caller's thread),
     * or null when no listener is registered.
     */
    private RouterCall startCall(RouterRequest request, RouterCall.Kind kind) {
        if (!hasListeners) {
            return null;
        }
        RouterCall call = RouterCall.of(LogContext.newRequestId(), request, kind, settings.clock().instant());
        notifyCall(call, request.model(), null, l -> l.onRequestStart(call));
        return call;
    }

    /**
     * Sends one event of {@code call} to the listeners, with the call's MDC values around it;
     * nothing when {@code call} is null (no listener).
     */
    void notifyCall(RouterCall call, String group, String deployment, Consumer<RouterListener> event) {
        if (call == null) {
            return;
        }
        LogContext mdc = LogContext.open(call.id(), group, deployment);
        try {
            notifyListeners(event);
        } finally {
            LogContext.close(mdc);
        }
    }

    /**
     * The validate step: the failed future of a request that may not be routed (the router is
     * closed, or {@link RequestValidation} finds it unsendable), or null when it may.
     */
    private <R> CompletableFuture<R> refused(RouterCall call, RouterRequest request, RequestOptions options) {
        if (inFlight.isClosed()) {
            return closedFuture(call, request);
        }
        Optional<String> problem = RequestValidation.problem(request, options, this, settings.fallbackPolicy());
        return problem.isPresent() ? rejected(call, request, problem.get()) : null;
    }

    /** The cache step when the request's group is cached, then (or else) the request's execution. */
    private <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<R> route(RouterCall call,
            Operation<Q, R> operation, Q request, RequestOptions options) {
        CacheStep c = cache;
        // A call to one deployment by id is never answered from the cache: the caller wants that deployment's answer.
        if (c != null && c.covers(request.model()) && options.deployment().isEmpty()) {
            return c.execute(call, operation, request, options);
        }
        return new RequestExecution<>(this, call, operation, request, options).start();
    }

    /** The request's execution, past the cache step. */
    <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<R> executeUncached(RouterCall call,
            Operation<Q, R> operation, Q request, RequestOptions options) {
        return new RequestExecution<>(this, call, operation, request, options).start();
    }

    /**
     * Registers a request as in flight; one that registers after {@link #close()} began is ended
     * at once with {@link #closedException(RouterRequest)}.
     *
     * @return whether the request may go on
     */
    boolean register(RequestExecution<?, ?> execution) {
        if (!inFlight.register(execution)) {
            return false;
        }
        if (ownScheduler != null) {
            ownScheduler.callStarted();
        }
        return true;
    }

    void unregister(RequestExecution<?, ?> execution) {
        inFlight.unregister(execution);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return inFlight.isClosed();
    }

    /** The failure of every call made to, or in flight on, a closed router. */
    RouterClosedException closedException(RouterRequest request) {
        return InFlightRequests.closedException(request);
    }

    private <R> CompletableFuture<R> closedFuture(RouterCall call, RouterRequest request) {
        RouterClosedException e = closedException(request);
        notifyCall(call, request.model(), null, l -> l.onFailure(call, e));
        return CompletableFuture.failedFuture(e);
    }

    private <R> CompletableFuture<R> rejected(RouterCall call, RouterRequest request, String message) {
        BadRequestException e = new BadRequestException(message, ErrorContext.builder().model(request.model()).build());
        notifyCall(call, request.model(), null, l -> l.onFailure(call, e));
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

    /**
     * Refuses new requests and ends every request in flight at once with a
     * {@link RouterClosedException}: their HTTP calls are cancelled, and their in-flight counts and
     * budget reservations released. Idempotent. The router's own scheduler is not shut down (a
     * timer scheduled in a race with close would be rejected, stranding its call): with nothing
     * left to run, its thread ends by itself. A scheduler given to the builder is left alone.
     */
    @Override
    public void close() {
        inFlight.close();
        storeSubscription.close();
    }

    /**
     * Refuses new requests, waits up to {@code grace} for the requests in flight to end on their
     * own, then {@link #close()}s.
     *
     * @param grace the longest wait
     * @return whether every request in flight ended within {@code grace}
     */
    public boolean close(Duration grace) {
        boolean ended = inFlight.close(grace);
        storeSubscription.close();
        return ended;
    }
}
