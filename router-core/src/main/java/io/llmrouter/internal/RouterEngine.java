package io.llmrouter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.llmrouter.Deployment;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceMatch;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.RouterListener;
import java.time.Duration;
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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final RandomGenerator sharedRandom;
    private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
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
        ProviderRegistry registry = new ProviderRegistry(settings.providers(), RouterEngine.class.getClassLoader());
        Map<String, List<DeploymentState>> byGroup = new LinkedHashMap<>();
        Map<String, Integer> idCounts = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        List<Deployment> finalDeployments = new ArrayList<>();
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
                    .add(newState(effective, id, provider, settings));
        }
        this.deployments = List.copyOf(finalDeployments);
        Map<String, ModelGroup> g = new LinkedHashMap<>();
        byGroup.forEach((name, states) -> g.put(name, new ModelGroup(name, states)));
        this.groups = Collections.unmodifiableMap(g);
        this.groups.values().forEach(group -> group.retry(newRetry(group)));
        if (settings.scheduler() != null) {
            this.scheduler = settings.scheduler();
            this.ownsScheduler = false;
        } else {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "llmrouter-scheduler");
                t.setDaemon(true);
                return t;
            });
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
            this.ownsScheduler = true;
        }
    }

    private DeploymentState newState(Deployment d, String id, Provider provider, RouterSettings s) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(60)
                .minimumNumberOfCalls(s.allowedFails() + 1)
                .failureRateThreshold(50)
                .waitDurationInOpenState(s.cooldownTime())
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreException(ErrorClassifier::isAboutRequest)
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
        DeploymentState state = new DeploymentState(d, id, provider, breaker, price, pricedBy);
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN) {
                state.coolUntil(s.clock().millis() + s.cooldownTime().toMillis());
                log.warn("deployment '{}' cooling down for {} ({})", id, s.cooldownTime(), event.getStateTransition());
            } else if (to == CircuitBreaker.State.CLOSED) {
                log.info("deployment '{}' back in rotation", id);
            }
        });
        return state;
    }

    private Retry newRetry(ModelGroup group) {
        IntervalBiFunction<Object> interval = (attempt, either) -> {
            Throwable error = either.isLeft() ? Futures.unwrap(either.getLeft()) : null;
            return backoffMillis(group, attempt, error);
        };
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(settings.numRetries() + 1)
                .retryOnException(e -> Futures.unwrap(e) instanceof LlmRouterException lre && lre.isRetryable())
                .intervalBiFunction(interval)
                .failAfterMaxAttempts(false)
                .build();
        return Retry.of("group:" + group.name(), config);
    }

    /**
     * How long to wait before retry number {@code attempt} (1-based) of {@code group}: no wait when
     * another deployment of the group is healthy (the retry goes there); otherwise the provider's
     * retry-after (capped), else exponential backoff with jitter.
     */
    long backoffMillis(ModelGroup group, int attempt, Throwable error) {
        long now = settings.clock().millis();
        int healthy = 0;
        for (DeploymentState d : group.deployments()) {
            if (!d.isCoolingDown(now)) {
                healthy++;
            }
        }
        if (healthy > 1) {
            return 0;
        }
        if (error instanceof RateLimitException rle && rle.retryAfter().isPresent()) {
            Duration d = rle.retryAfter().get();
            return Math.min(d.toMillis(), settings.maxRetryAfter().toMillis());
        }
        long base = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, settings.maxBackoff().toMillis());
        double jitter = 1 - 0.25 * random().nextDouble();
        return (long) (capped * jitter);
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
     * The groups to try for {@code model}, in order: the group itself, then its fallbacks (or
     * the default fallbacks when it has none).
     */
    List<String> groupsFor(String model) {
        List<String> fb = settings.fallbacks().getOrDefault(model, settings.defaultFallbacks());
        if (fb.isEmpty()) {
            return List.of(model);
        }
        List<String> order = new ArrayList<>(fb.size() + 1);
        order.add(model);
        for (String g : fb) {
            if (!order.contains(g)) {
                order.add(g);
            }
        }
        return order;
    }

    /**
     * Validates the request and routes it. Never throws: every failure completes the future.
     *
     * @param request the request
     * @return the response future
     */
    public CompletableFuture<ChatResponse> execute(ChatRequest request) {
        try {
            validate(request);
        } catch (LlmRouterException e) {
            return CompletableFuture.failedFuture(e);
        }
        return new RequestExecution(this, request).start();
    }

    private void validate(ChatRequest request) {
        if (request.messages().isEmpty()) {
            throw new BadRequestException("messages must not be empty: send at least one message",
                    ErrorContext.builder().model(request.model()).build());
        }
        if (!groups.containsKey(request.model())) {
            throw new BadRequestException("unknown model group '" + request.model() + "'; known groups: "
                    + groups.keySet(), ErrorContext.builder().model(request.model()).build());
        }
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

    boolean warnUnpricedOnce(String route) {
        return unpricedWarned.add(route);
    }

    static NoDeploymentAvailableException noDeployment(ModelGroup group) {
        return new NoDeploymentAvailableException("no deployment of model group '" + group.name()
                + "' is available: all " + group.deployments().size() + " are cooling down",
                ErrorContext.builder().model(group.name()).build());
    }

    @Override
    public void close() {
        if (ownsScheduler) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
