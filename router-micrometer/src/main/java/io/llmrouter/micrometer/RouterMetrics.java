package io.llmrouter.micrometer;

import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Router;
import io.llmrouter.api.RouterResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ErrorTypes;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.spi.CacheEvent;
import io.llmrouter.spi.RouterCall;
import io.llmrouter.spi.RouterListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router's metrics on a Micrometer {@link MeterRegistry}: a {@link RouterListener} for the
 * events, plus gauges of the router's state once {@linkplain #bind(Router) bound} to it.
 *
 * <pre>{@code
 * RouterMetrics metrics = RouterMetrics.create(registry);
 * Router router = Router.builder().listener(metrics).deployment(...).build();
 * metrics.bind(router);   // cooldown, in-flight, rpm/tpm and budget gauges
 * }</pre>
 *
 * <p>The meters, with their tags (every tag is always present, so Prometheus accepts them):
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #OPERATION_DURATION}</td><td>timer</td><td>{@code gen_ai.operation.name},
 *       {@code gen_ai.request.model} (the model group asked for), {@code gen_ai.provider.name} (of the
 *       deployment that answered or failed last; {@code none} when none was called),
 *       {@code error.type} ({@code none} on success)</td></tr>
 *   <tr><td>{@value #TOKEN_USAGE}</td><td>distribution summary</td><td>{@code gen_ai.operation.name},
 *       {@code gen_ai.request.model}, {@code gen_ai.provider.name}, {@code gen_ai.token.type}
 *       ({@code input}, {@code output})</td></tr>
 *   <tr><td>{@value #REQUESTS}</td><td>counter</td><td>{@code model_group}, {@code outcome}
 *       ({@code success} or the error type)</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>counter</td><td>{@code deployment}, {@code provider},
 *       {@code outcome}</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>{@code model_group}</td></tr>
 *   <tr><td>{@value #FALLBACKS}</td><td>counter</td><td>{@code model_group} (from),
 *       {@code fallback_group} (to)</td></tr>
 *   <tr><td>{@value #COOLDOWNS}</td><td>counter</td><td>{@code deployment}, {@code model_group}</td></tr>
 *   <tr><td>{@value #TIME_TO_FIRST_TOKEN}</td><td>timer</td><td>{@code deployment}</td></tr>
 *   <tr><td>{@value #STREAM_DURATION}</td><td>timer</td><td>{@code deployment}</td></tr>
 *   <tr><td>{@value #SPEND}</td><td>counter (USD)</td><td>{@code model_group}, {@code provider}</td></tr>
 *   <tr><td>{@value #BUDGET_REFUSALS}</td><td>counter</td><td>{@code model_group}</td></tr>
 *   <tr><td>{@value #DEPLOYMENT_COOLING_DOWN}</td><td>gauge (1 cooling, 0 not)</td><td>{@code deployment},
 *       {@code model_group}</td></tr>
 *   <tr><td>{@value #DEPLOYMENT_IN_FLIGHT}</td><td>gauge</td><td>{@code deployment}, {@code model_group}</td></tr>
 *   <tr><td>{@value #DEPLOYMENT_RPM}, {@value #DEPLOYMENT_TPM}</td><td>gauge (this minute's calls and
 *       tokens, by this router)</td><td>{@code deployment}, {@code model_group}</td></tr>
 *   <tr><td>{@value #BUDGET_REMAINING}</td><td>gauge (USD)</td><td>{@code budget} (its name)</td></tr>
 *   <tr><td>{@value #CACHE_HITS}, {@value #CACHE_MISSES}</td><td>counter (when the response cache is
 *       on)</td><td>{@code model_group}; hits also {@code semantic} ({@code true}/{@code false})</td></tr>
 *   <tr><td>{@value #DEGRADED_ANSWERS}</td><td>counter</td><td>{@code model_group}, {@code error.type}
 *       (the failure the degraded answer replaced)</td></tr>
 * </table>
 *
 * <p>Cardinality stays low: tags carry configured names only (groups, deployments, providers,
 * budgets, error types), never users, tags of requests or ids. Once bound, a call for a model group
 * the router does not have is tagged {@code unknown}. Durations are measured on the router's
 * clock: give the builder the clock the router was given, if any.
 *
 * <p>Thread-safe; one instance serves one router.
 *
 * @since 0.1.0
 */
public final class RouterMetrics implements RouterListener {

    /** Duration of a router call, answered or failed (GenAI semantic conventions). */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Input and output tokens of an answered call (GenAI semantic conventions). */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Router calls by model group and outcome. */
    public static final String REQUESTS = "llmrouter.requests";
    /** Calls to deployments by deployment, provider and outcome. */
    public static final String ATTEMPTS = "llmrouter.attempts";
    /** Retries by model group. */
    public static final String RETRIES = "llmrouter.retries";
    /** Fallbacks from one model group to another. */
    public static final String FALLBACKS = "llmrouter.fallbacks";
    /** Deployments taken out of rotation. */
    public static final String COOLDOWNS = "llmrouter.cooldowns";
    /** Time from a streamed attempt's start to its first chunk. */
    public static final String TIME_TO_FIRST_TOKEN = "llmrouter.stream.time_to_first_token";
    /** Time from a streamed attempt's start to the end of a stream that reached the caller. */
    public static final String STREAM_DURATION = "llmrouter.stream.duration";
    /** Spend in USD by model group and provider. */
    public static final String SPEND = "llmrouter.spend";
    /** Calls refused by a budget. */
    public static final String BUDGET_REFUSALS = "llmrouter.budget.refusals";
    /** Whether a deployment is cooling down (1) or not (0). */
    public static final String DEPLOYMENT_COOLING_DOWN = "llmrouter.deployment.cooling_down";
    /** Calls in flight on a deployment. */
    public static final String DEPLOYMENT_IN_FLIGHT = "llmrouter.deployment.in_flight";
    /** Calls this router sent a deployment in the current minute. */
    public static final String DEPLOYMENT_RPM = "llmrouter.deployment.rpm";
    /** Tokens this router's answered calls used on a deployment in the current minute. */
    public static final String DEPLOYMENT_TPM = "llmrouter.deployment.tpm";
    /** What a budget has left in its current period, in USD. */
    public static final String BUDGET_REMAINING = "llmrouter.budget.remaining";
    /** Requests answered from the response cache (or a concurrent identical request's answer). */
    public static final String CACHE_HITS = "llmrouter.cache.hits";
    /** Requests of a cached model group that the response cache could not answer. */
    public static final String CACHE_MISSES = "llmrouter.cache.misses";
    /**
     * Calls answered with a model group's degraded answer (every deployment and fallback failed),
     * by model group and the error type it replaced; they also count as answered calls.
     *
     * @since 0.1.0
     */
    public static final String DEGRADED_ANSWERS = "llmrouter.degraded_answers";

    static final String NONE = "none";
    static final String SUCCESS = "success";
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Clock clock;
    /** Per deployment: its success counter and its minute windows. */
    private final ConcurrentHashMap<String, DeploymentMeters> deployments = new ConcurrentHashMap<>();
    /** Per operation, group and provider: the meters of answered calls. */
    private final ConcurrentHashMap<CallKey, CallMeters> answered = new ConcurrentHashMap<>();
    /** The bound router (its model groups and deployments are read live, so live changes are followed), or null before {@link #bind}. */
    private volatile Router bound;

    private RouterMetrics(Builder b) {
        this.registry = b.registry;
        this.clock = b.clock;
    }

    /**
     * Metrics on {@code registry}, timed on the system clock.
     *
     * @param registry the registry
     * @return the metrics, to register with {@link Router.Builder#listener}
     * @throws NullPointerException if {@code registry} is null
     */
    public static RouterMetrics create(MeterRegistry registry) {
        return builder(registry).build();
    }

    /**
     * A builder of metrics on {@code registry}.
     *
     * @param registry the registry
     * @return the builder
     * @throws NullPointerException if {@code registry} is null
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Registers the gauges of {@code router}'s state: each deployment's cooldown, calls in flight,
     * rpm and tpm, and each budget's remaining USD; and each deployment's successful-attempt
     * counter at zero, so its rate is defined from the start. Call it once, after building the
     * router with this instance as a listener. The gauges read the router when scraped. Deployments
     * and groups added to the router later by a live change ({@link Router#apply}) get their gauges
     * and tags when their first attempt is reported; those of removed deployments read NaN.
     *
     * @param router the router
     * @return this
     * @throws NullPointerException if {@code router} is null
     */
    public RouterMetrics bind(Router router) {
        Objects.requireNonNull(router, "router");
        for (Deployment d : router.deployments()) {
            gauges(router, d, deployment(d.id(), d.modelGroup(), d.providerPrefix()));
        }
        bound = router;
        for (BudgetStatus b : router.budgetStatuses()) {
            String name = b.budget().name();
            Gauge.builder(BUDGET_REMAINING, router, r -> remaining(r, name)).baseUnit("usd")
                    .tags("budget", name).register(registry);
        }
        return this;
    }

    /** Registers {@code d}'s gauges (again: registering an existing gauge is a no-op). */
    private void gauges(Router router, Deployment d, DeploymentMeters m) {
        Gauge.builder(DEPLOYMENT_COOLING_DOWN, router, r -> status(r, d.id())
                .map(s -> s.state() == DeploymentStatus.State.COOLING_DOWN ? 1.0 : 0.0).orElse(Double.NaN))
                .tags("deployment", d.id(), "model_group", d.modelGroup()).register(registry);
        Gauge.builder(DEPLOYMENT_IN_FLIGHT, router, r -> status(r, d.id())
                .map(s -> (double) s.inFlight()).orElse(Double.NaN))
                .tags("deployment", d.id(), "model_group", d.modelGroup()).register(registry);
        Gauge.builder(DEPLOYMENT_RPM, m.calls, w -> w.value(minute()))
                .tags("deployment", d.id(), "model_group", d.modelGroup()).register(registry);
        Gauge.builder(DEPLOYMENT_TPM, m.tokens, w -> w.value(minute()))
                .tags("deployment", d.id(), "model_group", d.modelGroup()).register(registry);
    }

    private static Optional<DeploymentStatus> status(Router router, String deploymentId) {
        for (DeploymentStatus s : router.deploymentStatuses()) {
            if (s.deploymentId().equals(deploymentId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static double remaining(Router router, String budgetName) {
        for (BudgetStatus s : router.budgetStatuses()) {
            if (s.budget().name().equals(budgetName)) {
                return s.remainingUsd().doubleValue();
            }
        }
        return Double.NaN;
    }

    private long minute() {
        return clock.millis() / 60_000;
    }

    // ---- Events ----

    @Override
    public void onAttemptStart(RouterCall call, String deploymentId, String modelGroup, String providerRoute,
            int attemptNumber) {
        deployment(deploymentId, modelGroup, provider(providerRoute)).calls.add(1, minute());
    }

    @Override
    public void onAttempt(RouterCall call, int attemptNumber, Attempt attempt) {
        String provider = provider(attempt.providerRoute());
        if (attempt.isSuccess()) {
            deployment(attempt.deploymentId(), attempt.modelGroup(), provider).succeeded.increment();
        } else {
            registry.counter(ATTEMPTS, "deployment", attempt.deploymentId(), "provider", provider, "outcome",
                    attempt.errorType().map(ErrorTypes::of).orElse(UNKNOWN)).increment();
        }
    }

    @Override
    public void onRetry(RouterCall call, String modelGroup, int retryNumber, Duration delay,
            LlmRouterException cause) {
        registry.counter(RETRIES, "model_group", modelGroup).increment();
    }

    @Override
    public void onFallback(RouterCall call, String fromGroup, String toGroup, LlmRouterException cause) {
        registry.counter(FALLBACKS, "model_group", fromGroup, "fallback_group", toGroup).increment();
    }

    @Override
    public void onCooldownStart(String deploymentId, String modelGroup, Instant until, LlmRouterException cause) {
        registry.counter(COOLDOWNS, "deployment", deploymentId, "model_group", modelGroup).increment();
    }

    @Override
    public void onFirstToken(RouterCall call, String deploymentId, Duration timeToFirstToken) {
        Timer.builder(TIME_TO_FIRST_TOKEN).tags("deployment", deploymentId).register(registry)
                .record(timeToFirstToken);
    }

    @Override
    public void onStreamEnd(RouterCall call, String deploymentId, int chunks, Duration duration) {
        Timer.builder(STREAM_DURATION).tags("deployment", deploymentId).register(registry).record(duration);
    }

    @Override
    public void onCacheHit(CacheEvent event) {
        registry.counter(CACHE_HITS, "model_group", group(event.modelGroup()), "semantic",
                String.valueOf(event.semantic())).increment();
    }

    @Override
    public void onCacheMiss(CacheEvent event) {
        registry.counter(CACHE_MISSES, "model_group", group(event.modelGroup())).increment();
    }

    @Override
    public void onBudgetExceeded(RouterCall call, BudgetExceededException refusal) {
        registry.counter(BUDGET_REFUSALS, "model_group", group(call.modelGroup())).increment();
    }

    @Override
    public void onCharge(RouterCall call, RouterResponse response) {
        Optional<BigDecimal> usd = response.cost().totalUsd();
        Optional<RoutingInfo> routing = response.routing();
        if (usd.isPresent() && routing.isPresent()) {
            RoutingInfo r = routing.get();
            Counter.builder(SPEND).baseUnit("usd").tags("model_group", r.modelGroup(), "provider",
                    provider(r.providerRoute())).register(registry).increment(usd.get().doubleValue());
        }
    }

    @Override
    public void onDegradedAnswer(RouterCall call, RouterResponse response, LlmRouterException failure) {
        registry.counter(DEGRADED_ANSWERS, "model_group", group(call.modelGroup()), "error.type",
                ErrorTypes.of(failure)).increment();
    }

    @Override
    public void onSuccess(RouterCall call, RouterResponse response) {
        Optional<RoutingInfo> routing = response.routing();
        String provider = routing.isPresent() ? provider(routing.get().providerRoute()) : NONE;
        CallMeters m = answered.computeIfAbsent(new CallKey(call.kind().operationName(), group(call.modelGroup()),
                provider), this::callMeters);
        m.requests.increment();
        m.duration.record(elapsed(call), TimeUnit.NANOSECONDS);
        Optional<Usage> usage = response.usage();
        if (usage.isPresent()) {
            m.inputTokens.record(usage.get().promptTokens());
            m.outputTokens.record(usage.get().completionTokens());
            if (routing.isPresent()) {
                DeploymentMeters d = deployments.get(routing.get().deploymentId());
                if (d != null) {
                    d.tokens.add(usage.get().totalTokens(), minute());
                }
            }
        }
    }

    @Override
    public void onFailure(RouterCall call, LlmRouterException error) {
        String group = group(call.modelGroup());
        String type = ErrorTypes.of(error);
        List<Attempt> attempts = error.attempts();
        String provider = attempts.isEmpty() ? NONE : provider(attempts.get(attempts.size() - 1).providerRoute());
        registry.counter(REQUESTS, "model_group", group, "outcome", type).increment();
        Timer.builder(OPERATION_DURATION).tags("gen_ai.operation.name", call.kind().operationName(),
                "gen_ai.request.model", group, "gen_ai.provider.name", provider, "error.type", type)
                .register(registry).record(elapsed(call), TimeUnit.NANOSECONDS);
    }

    private long elapsed(RouterCall call) {
        return Math.max(0, Duration.between(call.startedAt(), clock.instant()).toNanos());
    }

    /** The group as a tag: once bound, a group the router does not have is {@value #UNKNOWN}. */
    private String group(String requested) {
        Router r = bound;
        return r == null || r.modelGroups().contains(requested) ? requested : UNKNOWN;
    }

    static String provider(String providerRoute) {
        int slash = providerRoute.indexOf('/');
        return slash < 0 ? providerRoute : providerRoute.substring(0, slash);
    }

    private DeploymentMeters deployment(String id, String group, String provider) {
        DeploymentMeters m = deployments.get(id);
        if (m == null) {
            DeploymentMeters made = new DeploymentMeters(
                    registry.counter(ATTEMPTS, "deployment", id, "provider", provider, "outcome", SUCCESS));
            m = deployments.putIfAbsent(id, made);
            if (m == null) {
                m = made;
                Router r = bound;
                if (r != null) {
                    // A deployment a live change added after bind(): its gauges too (not those made from wildcards).
                    for (Deployment d : r.deployments()) {
                        if (d.id().equals(id)) {
                            gauges(r, d, made);
                        }
                    }
                }
            }
        }
        return m;
    }

    private CallMeters callMeters(CallKey k) {
        Timer duration = Timer.builder(OPERATION_DURATION).tags("gen_ai.operation.name", k.operation,
                "gen_ai.request.model", k.group, "gen_ai.provider.name", k.provider, "error.type", NONE)
                .register(registry);
        DistributionSummary input = tokens(k, "input");
        DistributionSummary output = tokens(k, "output");
        return new CallMeters(registry.counter(REQUESTS, "model_group", k.group, "outcome", SUCCESS), duration,
                input, output);
    }

    private DistributionSummary tokens(CallKey k, String type) {
        return DistributionSummary.builder(TOKEN_USAGE).baseUnit("tokens").tags("gen_ai.operation.name",
                k.operation, "gen_ai.request.model", k.group, "gen_ai.provider.name", k.provider, "gen_ai.token.type",
                type).register(registry);
    }

    private record CallKey(String operation, String group, String provider) {
    }

    private record CallMeters(Counter requests, Timer duration, DistributionSummary inputTokens,
            DistributionSummary outputTokens) {
    }

    /** A deployment's success counter and this minute's calls and tokens. */
    private static final class DeploymentMeters {
        final Counter succeeded;
        final MinuteCount calls = new MinuteCount();
        final MinuteCount tokens = new MinuteCount();

        DeploymentMeters(Counter succeeded) {
            this.succeeded = succeeded;
        }
    }

    /** A count for the current minute; a new minute starts from zero (a race at the turn may lose a few). */
    static final class MinuteCount {
        private final AtomicLong minute = new AtomicLong(-1);
        private final AtomicLong count = new AtomicLong();

        void add(long n, long now) {
            long m = minute.get();
            if (m != now && minute.compareAndSet(m, now)) {
                count.set(0);
            }
            count.addAndGet(n);
        }

        double value(long now) {
            return minute.get() == now ? count.get() : 0;
        }
    }

    /**
     * Builds {@link RouterMetrics}; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final MeterRegistry registry;
        private Clock clock = Clock.systemUTC();

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * The clock that times calls and the rpm/tpm minutes: the router's, when the router was
         * given one (default: the system clock).
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the metrics.
         *
         * @return the metrics
         */
        public RouterMetrics build() {
            return new RouterMetrics(this);
        }
    }
}
