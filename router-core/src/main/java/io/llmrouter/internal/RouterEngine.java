package io.llmrouter.internal;

import io.llmrouter.CachePolicy;
import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.FallbackPolicy;
import io.llmrouter.RequestOptions;
import io.llmrouter.Timeouts;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.control.RequestInterceptor;
import io.llmrouter.control.ResponseRule;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.budget.SpendReport;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
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
import java.util.Collections;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
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

    /**
     * The settings the router was built with. Their deployments and fallback policy are the built
     * ones: the current ones are in {@link #topology} ({@link #currentSettings()}).
     */
    private final RouterSettings settings;
    private final QueueSettings queueSettings;
    private final DegradedAnswers degradedAnswers;
    /** What the router routes over now; replaced as a whole by a live change ({@link #change}). */
    private volatile Topology topology;
    /** Serializes live changes (writers only: requests never take it). */
    private final Object changeLock = new Object();
    /** Resolves route prefixes to providers, for the build and every live change (each provider made once). */
    private final ProviderRegistry registry;
    /** The most model names served through wildcards whose deployments (and their health) are kept: {@value}. */
    static final int MAX_WILDCARD_MODELS = 1024;
    private final ScheduledExecutorService scheduler;
    /** The executor of the groups' retry loops: {@link #scheduler}, with retries that do not wait started at once. */
    private final RetryScheduler retryScheduler;
    /** The router's own scheduler, or null when the builder was given one. */
    private final RouterScheduler ownScheduler;
    /** The requests in flight, so close() can end them, and the closed state. */
    private final InFlightRequests inFlight = new InFlightRequests();
    private final RandomGenerator sharedRandom;
    private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventSeq = new AtomicLong();
    private final StateStore store;
    /** Replaced (copy on write, under {@link #budgetChange}) when budgets are added or removed live. */
    private volatile Budgets budgets;
    private final Object budgetChange = new Object();
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
     * Builds the engine without aliases; see {@link #RouterEngine(RouterSettings, CachePolicy, Map, Set)}.
     *
     * @param settings the validated settings
     * @param cachePolicy the response cache
     */
    public RouterEngine(RouterSettings settings, CachePolicy cachePolicy) {
        this(settings, cachePolicy, Map.of(), Set.of());
    }

    /**
     * Builds the engine; resolves every deployment's provider and price now, so a missing
     * provider fails at build time.
     *
     * @param settings the validated settings
     * @param cachePolicy the response cache
     * @param aliases alias to model group, in definition order
     * @param hiddenAliases the aliases {@link #listedGroups()} leaves out
     * @throws IllegalStateException if the cache policy or an alias names an unknown model group,
     *     or an alias is also a group
     */
    public RouterEngine(RouterSettings settings, CachePolicy cachePolicy, Map<String, String> aliases,
            Set<String> hiddenAliases) {
        this(settings, cachePolicy, aliases, hiddenAliases, QueueSettings.DEFAULTS, DegradedAnswers.NONE, List.of(),
                List.of());
    }

    /**
     * Builds the engine; see {@link #RouterEngine(RouterSettings, CachePolicy, Map, Set)}.
     *
     * @param settings the validated settings
     * @param cachePolicy the response cache
     * @param aliases alias to model group, in definition order
     * @param hiddenAliases the aliases {@link #listedGroups()} leaves out
     * @param queueSettings the bounds of the groups' queues of requests waiting for capacity
     * @param degradedAnswers the groups' answers of last resort
     * @param interceptors the request interceptors, in order
     * @param rules the response rules, in order
     */
    public RouterEngine(RouterSettings settings, CachePolicy cachePolicy, Map<String, String> aliases,
            Set<String> hiddenAliases, QueueSettings queueSettings, DegradedAnswers degradedAnswers,
            List<RequestInterceptor> interceptors, List<ResponseRule> rules) {
        this.queueSettings = queueSettings;
        this.degradedAnswers = degradedAnswers;
        this.controls = RequestControls.of(interceptors, rules);
        this.settings = settings;
        this.hasListeners = !settings.listeners().isEmpty();
        this.sharedRandom = settings.random() == null ? null : new SynchronizedRandom(settings.random());
        this.store = settings.stateStore() != null ? settings.stateStore()
                : new InMemoryStateStore(settings.maxSpendKeys());
        this.budgets = new Budgets(settings.budgets(), store);
        this.registry = new ProviderRegistry(settings.providers(), RouterEngine.class.getClassLoader());
        Set<String> groupNames = groupNames(settings.deployments());
        checkAliases(groupNames, aliases);
        checkCacheGroups(groupNames, cachePolicy);
        GroupAssembly.Result assembled = GroupAssembly.assemble(settings, this, registry, Map.of(), Map.of());
        this.topology = topology(settings, assembled, new ConcurrentHashMap<>(), aliases, hiddenAliases);
        if (settings.scheduler() != null) {
            this.scheduler = settings.scheduler();
            this.ownScheduler = null;
        } else {
            this.ownScheduler = new RouterScheduler(inFlight::isBusy);
            this.scheduler = ownScheduler.executor();
        }
        this.retryScheduler = new RetryScheduler(scheduler);
        this.cache = cachePolicy.isEnabled() ? cacheStep(cachePolicy) : null;
        this.storeSubscription = store.subscribe(new StoreEvents());
    }

    private static Set<String> groupNames(List<Deployment> deployments) {
        Set<String> names = new LinkedHashSet<>();
        deployments.forEach(d -> names.add(d.modelGroup()));
        return names;
    }

    /** The interceptors and response rules, or null when none is registered (the attempt's one check). */
    RequestControls controls() {
        return controls;
    }

    private static void checkCacheGroups(Set<String> groups, CachePolicy policy) {
        if (!policy.isEnabled()) {
            return;
        }
        for (String g : policy.groups()) {
            if (!groups.contains(g)) {
                throw new IllegalStateException("cache policy names unknown model group '" + g + "'; known: "
                        + groups);
            }
        }
        policy.semanticGroup().ifPresent(g -> {
            if (!groups.contains(g)) {
                throw new IllegalStateException("cache policy's semantic embedding group '" + g
                        + "' is not a model group; known: " + groups);
            }
        });
    }

    private static void checkAliases(Set<String> groups, Map<String, String> aliases) {
        for (Map.Entry<String, String> a : aliases.entrySet()) {
            if (groups.contains(a.getKey())) {
                throw new IllegalStateException("alias '" + a.getKey() + "' is also a model group");
            }
            if (!groups.contains(a.getValue())) {
                throw new IllegalStateException("alias '" + a.getKey() + "' names unknown model group '"
                        + a.getValue() + "'; known: " + groups);
            }
        }
    }

    /**
     * The topology of assembled groups: wildcards sorted most specific first, {@code wildcardModels}
     * (kept from the previous topology, or new) and the deployments by id.
     */
    private static Topology topology(RouterSettings settings, GroupAssembly.Result assembled,
            Map<String, ModelGroup> wildcardModels, Map<String, String> aliases, Set<String> hiddenAliases) {
        List<ModelGroup> wild = new ArrayList<>();
        Map<String, DeploymentState> byId = new ConcurrentHashMap<>();
        for (ModelGroup g : assembled.groups().values()) {
            if (GroupAssembly.isWildcard(g.name())) {
                wild.add(g);
            }
            for (DeploymentState d : g.deployments()) {
                byId.put(d.id(), d);
            }
        }
        wild.sort((a, b) -> Integer.compare(b.name().length(), a.name().length()));
        for (ModelGroup g : wildcardModels.values()) {
            for (DeploymentState d : g.deployments()) {
                byId.putIfAbsent(d.id(), d);
            }
        }
        Set<String> listed = new LinkedHashSet<>(assembled.groups().keySet());
        aliases.keySet().stream().filter(a -> !hiddenAliases.contains(a)).forEach(listed::add);
        return new Topology(settings, assembled.groups(), List.copyOf(wild), wildcardModels, byId,
                assembled.deployments(), Collections.unmodifiableMap(new LinkedHashMap<>(aliases)),
                Collections.unmodifiableSet(listed));
    }

    /**
     * What a live change did.
     *
     * @param added the ids of new deployments
     * @param replaced the ids of deployments whose definition changed (fresh health)
     * @param removed the ids of deployments that are gone
     * @param unchanged the ids of deployments that kept their state
     * @param fallbackPolicyChanged whether the fallback policy changed
     * @param aliasesChanged whether the aliases changed
     */
    public record Change(List<String> added, List<String> replaced, List<String> removed, List<String> unchanged,
            boolean fallbackPolicyChanged, boolean aliasesChanged) {
    }

    /**
     * Applies a live change atomically: validates the new configuration as a whole (the rules of
     * the router's build), then publishes a new topology in which deployments whose definition did
     * not change keep their state, and retires the replaced and removed deployments and groups (no
     * new request chooses them; calls in flight on them finish and are settled as usual; a request
     * in a retired group selects again in the new topology). Changes are serialized; requests take
     * no lock.
     *
     * @param newDeployments makes the whole new deployment list from the current one (under the
     *     change lock, so edits never race), or null to keep the current one
     * @param newFallbackPolicy the new fallback policy, or null to keep the current one
     * @param newAliases the new aliases (alias to group), or null to keep the current ones
     * @param newHiddenAliases the new aliases left out of {@link #listedGroups()} (with {@code newAliases})
     * @return what changed
     * @throws IllegalArgumentException if the change is invalid (nothing is applied)
     * @throws IllegalStateException if the router is closed
     */
    public Change change(UnaryOperator<List<Deployment>> newDeployments, FallbackPolicy newFallbackPolicy,
            Map<String, String> newAliases, Set<String> newHiddenAliases) {
        synchronized (changeLock) {
            if (isClosed()) {
                throw new IllegalStateException("the router is closed: it takes no more changes");
            }
            Topology t = topology;
            List<Deployment> deps = newDeployments != null ? List.copyOf(newDeployments.apply(t.deployments))
                    : t.deployments;
            FallbackPolicy fallback = newFallbackPolicy != null ? newFallbackPolicy : t.settings.fallbackPolicy();
            Map<String, String> aliases = newAliases != null ? newAliases : t.aliases;
            Set<String> oldHidden = new java.util.HashSet<>();
            t.aliases.keySet().stream().filter(a -> !t.listedGroups.contains(a)).forEach(oldHidden::add);
            Set<String> hidden = newAliases != null ? Set.copyOf(newHiddenAliases) : oldHidden;
            RouterSettings next = settings.withTopology(deps, fallback);
            GroupAssembly.Result assembled;
            try {
                next.validated();
                Set<String> names = groupNames(deps);
                checkAliases(names, aliases);
                checkCacheGroups(names, cachePolicy());
                assembled = GroupAssembly.assemble(next, this, registry, t.byId, t.groups);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("change rejected, nothing applied: " + e.getMessage(), e);
            }
            boolean sameWildcards = true;
            List<ModelGroup> oldWild = t.wildcards;
            List<ModelGroup> newWild = new ArrayList<>();
            assembled.groups().values().stream().filter(g -> GroupAssembly.isWildcard(g.name())).forEach(newWild::add);
            if (oldWild.size() != newWild.size()) {
                sameWildcards = false;
            } else {
                for (ModelGroup g : oldWild) {
                    sameWildcards &= assembled.groups().get(g.name()) == g;
                }
            }
            Map<String, ModelGroup> derived = sameWildcards ? t.wildcardModels : new ConcurrentHashMap<>();
            Topology published = topology(next, assembled, derived, aliases, hidden);
            topology = published;
            // After the publication, so a request woken in a retired group finds its successor.
            Change change = retireAndReport(t, published, assembled.reused(), !sameWildcards);
            log.info("router changed: {} added, {} replaced, {} removed, {} unchanged", change.added().size(),
                    change.replaced().size(), change.removed().size(), change.unchanged().size());
            return new Change(change.added(), change.replaced(), change.removed(), change.unchanged(),
                    !fallback.equals(t.settings.fallbackPolicy()),
                    !aliases.equals(t.aliases) || !hidden.equals(oldHidden));
        }
    }

    private static Change retireAndReport(Topology old, Topology now, Set<String> reused, boolean dropDerived) {
        for (ModelGroup g : old.groups.values()) {
            if (now.groups.get(g.name()) != g) {
                g.retire();
            }
        }
        if (dropDerived) {
            for (ModelGroup g : old.wildcardModels.values()) {
                g.deployments().forEach(DeploymentState::retire);
                g.retire();
            }
        }
        List<String> added = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Set<String> oldIds = new LinkedHashSet<>();
        old.deployments.forEach(d -> oldIds.add(d.id()));
        for (Deployment d : now.deployments) {
            (reused.contains(d.id()) ? unchanged : oldIds.contains(d.id()) ? replaced : added).add(d.id());
        }
        List<String> removed = new ArrayList<>();
        for (Deployment d : old.deployments) {
            if (!reused.contains(d.id())) {
                old.byId.get(d.id()).retire();
                if (!contains(now.deployments, d.id())) {
                    removed.add(d.id());
                }
            }
        }
        return new Change(List.copyOf(added), List.copyOf(replaced), List.copyOf(removed), List.copyOf(unchanged),
                false, false);
    }

    private static boolean contains(List<Deployment> deployments, String id) {
        for (Deployment d : deployments) {
            if (d.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private CacheStep cacheStep(CachePolicy policy) {
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
            DeploymentState d = topology.byId.get(transition.deploymentId());
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

    /**
     * Adds {@code budget}, replacing the one of the same scope, key and period, and when
     * {@code spentUsd} is not null raises its current period's spend in the store to at least that.
     */
    public void putBudget(Budget budget, BigDecimal spentUsd) {
        synchronized (budgetChange) {
            budgets = budgets.with(budget);
        }
        if (spentUsd != null) {
            budgets.seed(budget, spentUsd, settings.clock().instant());
        }
    }

    /** Removes the budget of {@code budget}'s scope, key and period; whether there was one. */
    public boolean removeBudget(Budget budget) {
        synchronized (budgetChange) {
            Budgets before = budgets;
            budgets = before.without(budget);
            return budgets != before;
        }
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
        return topology.settings;
    }

    /**
     * The settings with the current deployments and fallback policy (one volatile read): what a
     * new request runs under.
     */
    RouterSettings currentSettings() {
        return topology.settings;
    }

    /** The request with an alias replaced by its group; the same request when it names no alias. */
    private ChatRequest resolved(ChatRequest request) {
        String group = aliasTarget(request.model());
        return group == null ? request : request.toBuilder().model(group).build();
    }

    /** The model group {@code name} is an alias of, or null when it is none. */
    String aliasTarget(String name) {
        Map<String, String> a = topology.aliases;
        return a.isEmpty() ? null : a.get(name);
    }

    /** The aliases (alias to group), in definition order; empty when none. */
    public Map<String, String> aliases() {
        return topology.aliases;
    }

    /** The model groups callers may name: the groups, then the aliases that are not hidden. */
    public Set<String> listedGroups() {
        return topology.listedGroups;
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
        for (ModelGroup g : topology.groups.values()) {
            for (DeploymentState d : g.deployments()) {
                out.add(new ResolvedDeployment(d.id(), g.name(), d.deployment(), d.price().orElse(null), d.pricedBy(),
                        d.knownCapabilities(), d.contextWindow(), d.weight()));
            }
        }
        return out;
    }

    /** Takes the given deployments out (their calls fail at once) until {@link #endSimulatedOutage()}. */
    public void simulateOutage(Set<String> deploymentIds) {
        for (ModelGroup g : topology.groups.values()) {
            for (DeploymentState d : g.deployments()) {
                if (deploymentIds.contains(d.id())) {
                    d.simulatedOutage(true);
                }
            }
        }
    }

    /** Ends a simulated outage and puts every deployment back in rotation (breakers reset). */
    public void endSimulatedOutage() {
        for (ModelGroup g : topology.groups.values()) {
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
        for (ModelGroup g : topology.groups.values()) {
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

    /** The executor to give a group's retry loop (see {@link RetryScheduler}). */
    ScheduledExecutorService retryScheduler() {
        return retryScheduler;
    }

    QueueSettings queueSettings() {
        return queueSettings;
    }

    DegradedAnswers degradedAnswers() {
        return degradedAnswers;
    }

    /**
     * The group a request for {@code name} goes to: the group of that name, else the one made for
     * it from the most specific wildcard group that matches it, else null.
     */
    ModelGroup group(String name) {
        Topology t = topology;
        ModelGroup g = t.groups.get(name);
        return g != null || t.wildcards.isEmpty() ? g : wildcardGroup(t, name);
    }

    /** Runs a request that waited for capacity on the router's scheduler. */
    void wakeSlotWaiter(Runnable waiter) {
        scheduler.execute(waiter);
    }

    /** Whether a request for {@code name} has a group to go to (an explicit one or a wildcard). */
    boolean hasGroup(String name) {
        Topology t = topology;
        return t.groups.containsKey(name)
                || !t.wildcards.isEmpty() && (t.wildcardModels.containsKey(name) || wildcardMatch(t, name) != null);
    }

    /** The most specific wildcard group whose pattern matches {@code name}, or null. */
    private static ModelGroup wildcardFor(Topology t, String name) {
        for (ModelGroup w : t.wildcards) {
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
    private String wildcardMatch(Topology t, String name) {
        if (wildcardFor(t, name) != null) {
            return name;
        }
        if (name.indexOf('/') < 0) {
            Optional<String> provider = settings.priceTable().get(name).flatMap(p -> p.provider());
            if (provider.isPresent()) {
                String qualified = provider.get() + "/" + name;
                if (wildcardFor(t, qualified) != null) {
                    return qualified;
                }
            }
        }
        return null;
    }

    /** The group made for {@code name} from its wildcard (kept, with its health, for up to MAX names), or null. */
    private ModelGroup wildcardGroup(Topology t, String name) {
        ModelGroup made = t.wildcardModels.get(name);
        if (made != null) {
            return made;
        }
        String matched = wildcardMatch(t, name);
        if (matched == null) {
            return null;
        }
        made = GroupAssembly.derive(this, t.settings, wildcardFor(t, matched), name, matched);
        if (t.wildcardModels.size() >= MAX_WILDCARD_MODELS) {
            return made; // served, but not kept: its deployments' health lasts for this request only
        }
        ModelGroup raced = t.wildcardModels.putIfAbsent(name, made);
        if (raced != null) {
            return raced;
        }
        for (DeploymentState d : made.deployments()) {
            t.byId.putIfAbsent(d.id(), d);
        }
        return made;
    }

    /** The deployment with this id, or null. */
    DeploymentState deploymentState(String id) {
        return topology.byId.get(id);
    }

    /** The ids of the deployments, in definition order (for messages). */
    List<String> deploymentIds() {
        List<Deployment> deployments = topology.deployments;
        List<String> ids = new ArrayList<>(deployments.size());
        deployments.forEach(d -> ids.add(d.id()));
        return ids;
    }

    /** The model groups, in definition order. */
    public Set<String> modelGroups() {
        return topology.groups.keySet();
    }

    /** The deployments with their effective ids, in definition order. */
    public List<Deployment> deployments() {
        return topology.deployments;
    }

    /**
     * Validates the chat request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<ChatResponse> execute(ChatRequest request, RequestOptions options) {
        request = resolved(request);
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
        request = resolved(request);
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
        String group = aliasTarget(request.model());
        return validateAndRoute(RouterCall.Kind.EMBEDDING, Operation.EMBEDDING,
                group == null ? request : request.toBuilder().model(group).build(), options);
    }

    /**
     * Resolves an alias, validates the text completion request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<TextCompletionResponse> textComplete(TextCompletionRequest request,
            RequestOptions options) {
        return endpoint(RouterCall.Kind.TEXT_COMPLETION, Operation.TEXT_COMPLETION, request, options);
    }

    /**
     * Resolves an alias, validates the moderation request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<ModerationResponse> moderate(ModerationRequest request, RequestOptions options) {
        return endpoint(RouterCall.Kind.MODERATION, Operation.MODERATION, request, options);
    }

    /**
     * Resolves an alias, validates the rerank request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<RerankResponse> rerank(RerankRequest request, RequestOptions options) {
        return endpoint(RouterCall.Kind.RERANK, Operation.RERANK, request, options);
    }

    /**
     * Resolves an alias, validates the image generation request and routes it. Never throws: every
     * failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<ImageResponse> generateImage(ImageRequest request, RequestOptions options) {
        return endpoint(RouterCall.Kind.IMAGE_GENERATION, Operation.IMAGE, request, options);
    }

    /**
     * Resolves an alias, validates the speech request and routes it. Never throws: every failure
     * completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<SpeechResponse> speech(SpeechRequest request, RequestOptions options) {
        return endpoint(RouterCall.Kind.SPEECH, Operation.SPEECH, request, options);
    }

    /**
     * Resolves an alias, validates the transcription request and routes it. Never throws: every
     * failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<TranscriptionResponse> transcribe(TranscriptionRequest request, RequestOptions options) {
        return endpoint(RouterCall.Kind.TRANSCRIPTION, Operation.TRANSCRIPTION, request, options);
    }

    /**
     * Resolves an alias, validates the Responses API request and routes it. Never throws: every
     * failure completes the future.
     *
     * @param request the request
     * @param options per-request overrides
     * @return the response future
     */
    public CompletableFuture<ResponsesResponse> responses(ResponsesRequest request, RequestOptions options) {
        return endpoint(RouterCall.Kind.RESPONSES, Operation.RESPONSES, request, options);
    }

    /** An endpoint beyond chat: the request with an alias replaced by its group, validated and routed. */
    private <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<R> endpoint(RouterCall.Kind kind,
            Operation.EndpointOperation<Q, R> operation, Q request, RequestOptions options) {
        String group = aliasTarget(request.model());
        return validateAndRoute(kind, operation, group == null ? request : operation.withModel(request, group),
                options);
    }

    private <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<R> validateAndRoute(
            RouterCall.Kind kind, Operation<Q, R> operation, Q request, RequestOptions options) {
        RouterCall call = startCall(request, kind);
        CompletableFuture<R> refused = refused(call, request, options);
        if (refused != null) {
            return refused;
        }
        return route(call, operation, request, options);
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
        request = resolved(request);
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
     * Like {@link #stream} for a blocking reader on the calling thread: the first attempt, on a
     * provider with its own {@link io.llmrouter.spi.Provider#openStream}, is opened and read on
     * this thread up to its first chunk, and {@code puller} receives what reads the rest there.
     *
     * @param request the request
     * @param options per-request overrides
     * @param consumer receives the chunks (on the reader's thread when pulled)
     * @param puller receives the reader's {@link ChunkPuller}, before any attempt starts
     * @return the accumulated response future
     */
    public CompletableFuture<ChatResponse> streamBlocking(ChatRequest request, RequestOptions options,
            Consumer<ChatChunk> consumer, Consumer<ChunkPuller> puller) {
        request = resolved(request);
        RouterCall call = startCall(request, RouterCall.Kind.CHAT_STREAM);
        CompletableFuture<ChatResponse> refused = refused(call, request, options);
        if (refused != null) {
            return refused;
        }
        StreamOperation op = new StreamOperation(consumer, Thread.currentThread(), scheduler, settings.clock(),
                settings.firstTokenTimeout(), settings.streamIdleTimeout(),
                options.timeouts().flatMap(Timeouts::firstTokenTimeout).orElse(null),
                options.timeouts().flatMap(Timeouts::streamIdleTimeout).orElse(null));
        puller.accept(op);
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
        Optional<String> problem = RequestValidation.problem(request, options, this,
                topology.settings.fallbackPolicy());
        return problem.isPresent() ? rejected(call, request, problem.get()) : null;
    }

    /** The cache step when the request's group is cached, then (or else) the request's execution. */
    private <Q extends RouterRequest, R extends RouterResponse> CompletableFuture<R> route(RouterCall call,
            Operation<Q, R> operation, Q request, RequestOptions options) {
        CacheStep c = cache;
        // A call to one deployment by id is never answered from the cache: the caller wants that deployment's answer.
        // The cache keeps chat and embedding answers only.
        if (c != null && c.covers(request.model()) && options.deployment().isEmpty()
                && (request instanceof ChatRequest || request instanceof EmbeddingRequest)) {
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
