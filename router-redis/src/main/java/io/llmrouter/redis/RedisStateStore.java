package io.llmrouter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.spi.BudgetBalance;
import io.llmrouter.spi.BudgetReservation;
import io.llmrouter.spi.BudgetWindow;
import io.llmrouter.spi.DeploymentHealth;
import io.llmrouter.spi.SpendTotals;
import io.llmrouter.spi.StateStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} on Redis, so several router instances (pods, JVMs) act as one: a deployment
 * cooled by one is skipped by all, rpm/tpm limits count the calls of all, and budgets hold across
 * all of them, strictly.
 *
 * <pre>{@code
 * RedisStateStore store = RedisStateStore.builder().host("redis.internal").port(6379)
 *     .username("llmrouter").password(Secret.fromEnv("REDIS_PASSWORD")).tls().keyPrefix("checkout").build();
 * Router router = Router.builder().stateStore(store).deployment(...).build();
 * // on shutdown, after the routers: store.close();
 * }</pre>
 *
 * <p><b>What goes over the network.</b> The request path makes no Redis call, except a budget
 * reservation (which must be decided by the fleet) and its settlement: health, usage and spend are
 * read from a local view, and a call's usage and spend only add to local counters (lock-free, no
 * allocation per call). Every {@link Builder#flushInterval(Duration) flush interval} a background
 * thread sends the summed increments in one batch (one script per deployment's minute, one for the
 * spend fields, pipelined on one connection), so the other instances see this one's usage and spend
 * at most one flush interval (plus their own flush or refresh) late, while this instance's own
 * counts are exact at once. Cooldowns are pushed to every instance by pub/sub at once; usage, spend
 * and budget balances are refreshed every {@link Builder#refreshInterval(Duration) refresh interval}
 * and after each batch's reply. Budgets
 * reserve and settle with Lua scripts (atomic), and reservations expire after
 * {@link Builder#reservationTtl(Duration)}, so a JVM that dies leaks nothing. See
 * {@code src-docs/fleet.md} for the keys, the commands and the ACL.
 *
 * <p><b>Outages.</b> Built while Redis is down, killed, frozen or failing over, the store answers
 * from its local view ({@link #availability()} is {@code UNAVAILABLE}), keeps summing its usage
 * and spend increments (one counter per field, whatever the number of calls) and queues its
 * settlements (written exactly once when Redis returns), grants budget reservations
 * {@linkplain BudgetReservation#isProvisional() provisionally} (a budget that fails closed refuses
 * them), tells its subscribers once per outage, and resynchronizes when Redis answers again.
 *
 * <p>Thread-safe. The builder is not. Close the store after the routers that use it: closing sends
 * what is not sent yet.
 *
 * @since 0.1.0
 */
public final class RedisStateStore implements StateStore, AutoCloseable {

    /** The default host: {@value}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port: {@value}. */
    public static final int DEFAULT_PORT = 6379;
    /** The default database index: {@value}. */
    public static final int DEFAULT_DATABASE = 0;
    /** The default key prefix: {@value}. */
    public static final String DEFAULT_KEY_PREFIX = "llmrouter";
    /** The default wait for one Redis command before the store counts Redis as unavailable: 1 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** The default interval of the refresh of the local view (and of reconnect attempts): 1 s. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);
    /** The default interval at which the summed usage and spend increments are sent to Redis: 100 ms. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);
    /** The default life of a budget reservation that is never settled: 10 minutes. */
    public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofMinutes(10);
    /** The default life of spend totals and of budgets without periods, renewed by each write: 40 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(40);
    /**
     * The most writes kept for replay during an outage (settlements, and batches whose reply was
     * lost): {@value}; older ones are dropped, counted and logged. Usage and spend increments are
     * not writes: they are summed per field, however long the outage.
     */
    public static final int MAX_QUEUED_WRITES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(RedisStateStore.class);
    private static final int NANO = 9;
    private static final long MINUTE_KEY_TTL_MS = 120_000;
    private static final Duration HEALTH_TTL = Duration.ofDays(1);
    /** The most spend fields in one script call (a batch with more is split). */
    private static final int SPEND_FIELDS_PER_WRITE = 1_000;

    private final RedisURI uri;
    private final String prefix;
    private final Duration commandTimeout;
    private final Duration refreshInterval;
    private final Duration flushInterval;
    private final Duration reservationTtl;
    private final Duration retention;
    private final int maxSpendKeys;
    private final Clock clock;
    private final String instanceId;
    private final String healthKey;
    private final String healthChannel;
    private final String spendKey;

    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService keeper;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;

    private final AtomicReference<Availability> availability = new AtomicReference<>(Availability.UNAVAILABLE);
    private volatile String outageDetail = "not connected yet";
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private final Map<String, RedisUsage> usage = new ConcurrentHashMap<>();
    private final Map<String, LocalLatency> latency = new ConcurrentHashMap<>();
    private final Map<String, DeploymentHealth> health = new ConcurrentHashMap<>();
    /** Spend per field: the local view and what is not sent yet. */
    private final Map<String, SpendField> spend = new ConcurrentHashMap<>();
    /** The fixed spend fields of a deployment (total, deployment, provider, group), by deployment id. */
    private final Map<String, DeploymentSpend> deploymentSpend = new ConcurrentHashMap<>();
    private final SpendField totalSpend = field("total");
    /** Unsent usage increments of minutes that ended, for the next flush. */
    private final ConcurrentLinkedQueue<RetiredUsage> retiredUsage = new ConcurrentLinkedQueue<>();
    /** Held by whoever drains and sends the increments (the flusher, {@link #flush()}), never by a call. */
    private final Object flushLock = new Object();
    private final Map<String, BudgetView> budgets = new ConcurrentHashMap<>();
    /** The outage's settled provisional costs per budget window, not yet written. */
    private final Map<BudgetWindow, Long> pendingCharges = new ConcurrentHashMap<>();
    /** Provisional reservations not yet settled, by id. */
    private final Set<String> provisional = ConcurrentHashMap.newKeySet();
    private final AtomicLong seq = new AtomicLong();
    /** Writes sent and not yet answered, for {@link #flush()}. */
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** Idempotent writes that failed or were made during an outage, replayed on resynchronization. */
    private final ConcurrentLinkedQueue<Write> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final AtomicLong droppedWrites = new AtomicLong();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean commandFailureWarned =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** One budget's period as last seen: its start, spend and reservations in nano-USD. */
    private record BudgetView(long start, long spent, long reserved) {
    }

    /** A write to replay: a script and its arguments, what to do with its answer, and on failure (or null). */
    private record Write(RedisScript script, String[] keys, String[] args, Consumer<Object> onReply,
            Runnable onFailure) {
        Write(RedisScript script, String[] keys, String[] args, Consumer<Object> onReply) {
            this(script, keys, args, onReply, null);
        }
    }

    /**
     * One spend field: its amount in the local view (this instance's at once, the fleet's as last
     * read) and this instance's increments not sent yet, in nano-USD (or a count).
     */
    private static final class SpendField {
        final String name;
        final AtomicLong total = new AtomicLong();
        final AtomicLong unsent = new AtomicLong();

        SpendField(String name) {
            this.name = name;
        }

        void add(long amount) {
            total.addAndGet(amount);
            unsent.addAndGet(amount);
        }
    }

    /** A deployment's fixed spend fields, so a call builds no field name. */
    private record DeploymentSpend(String provider, String modelGroup, SpendField deployment, SpendField providerField,
            SpendField group) {
    }

    /** The unsent increments of a minute that ended. */
    private record RetiredUsage(RedisUsage usage, long minute, long requests, long tokens) {
    }

    private RedisStateStore(Builder b) {
        this.prefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.refreshInterval = b.refreshInterval;
        this.flushInterval = b.flushInterval;
        this.reservationTtl = b.reservationTtl;
        this.retention = b.retention;
        this.maxSpendKeys = b.maxSpendKeys;
        this.clock = b.clock;
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        this.instanceId = HexFormat.of().formatHex(random);
        this.healthKey = prefix + ":health";
        this.healthChannel = prefix + ":health";
        this.spendKey = prefix + ":spend";
        RedisURI.Builder u = RedisURI.builder().withHost(b.host).withPort(b.port).withDatabase(b.database)
                .withTimeout(commandTimeout);
        if (b.tls) {
            u.withSsl(true).withVerifyPeer(true);
        }
        if (b.password != null) {
            if (b.username != null) {
                u.withAuthentication(b.username, b.password.reveal().toCharArray());
            } else {
                u.withPassword(b.password.reveal().toCharArray());
            }
        }
        this.uri = u.build();
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                // Reconnect at the refresh pace, not Lettuce's default backoff of up to 30 s.
                .reconnectDelay(Delay.constant(refreshInterval)).build();
        this.client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder();
        if (b.trustedCertificates != null) {
            options.sslOptions(io.lettuce.core.SslOptions.builder().jdkSslProvider()
                    .trustManager(b.trustedCertificates.toFile()).build());
        }
        client.setOptions(options
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(MAX_QUEUED_WRITES)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        this.keeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "llmrouter-redis-" + instanceId);
            t.setDaemon(true);
            return t;
        });
        keep(); // connects now when Redis is there, so the first request already sees the fleet
        keeper.scheduleWithFixedDelay(this::keep, refreshInterval.toMillis(), refreshInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        keeper.scheduleWithFixedDelay(this::flushQuietly, flushInterval.toMillis(), flushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * A builder with the defaults: {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}, database
     * {@value #DEFAULT_DATABASE}, no authentication, no TLS, key prefix {@value #DEFAULT_KEY_PREFIX}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- shared with RedisResponseCache ------------------------------------------------------

    /** The Lettuce client (its resources, options and credentials), for the response cache's own connection. */
    RedisClient client() {
        return client;
    }

    /** Where the client connects. */
    RedisURI uri() {
        return uri;
    }

    /** The prefix of every key. */
    String keyPrefix() {
        return prefix;
    }

    /** The time limit of one command. */
    Duration commandTimeout() {
        return commandTimeout;
    }

    // ---- connection keeping -------------------------------------------------------------------

    /** Connects, resynchronizes after an outage, or refreshes the local view; on the keeper thread. */
    private void keep() {
        if (closed) {
            return;
        }
        try {
            if (connection == null) {
                connect();
            }
            if (availability.get() == Availability.UNAVAILABLE) {
                await(connection.async().ping());
                resync();
                becameAvailable();
                replayQueued(); // writes made while the resynchronization ran
                sendIncrements(); // the usage counted during the outage
            } else {
                if (queuedCount.get() > 0 || !pendingCharges.isEmpty()) {
                    replayQueued(); // writes that failed alone (a timeout) while Redis was up
                }
                refresh();
            }
        } catch (RuntimeException e) {
            log.debug("Redis state store: connect, resynchronization or refresh failed", e);
            unavailable(e);
        }
    }

    private void connect() {
        StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
        StatefulRedisPubSubConnection<String, String> p;
        try {
            p = client.connectPubSub(StringCodec.UTF8);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        p.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onHealthMessage(message);
            }
        });
        await(p.async().subscribe(healthChannel));
        connection = c;
        pubSub = p;
    }

    private void resync() {
        StatefulRedisConnection<String, String> c = connection;
        for (RedisScript s : RedisScript.values()) {
            await(c.async().scriptLoad(s.source));
        }
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        // One write that must succeed (an empty spend operation), so a server that reads but does not
        // write (a replica answering READONLY during a failover) is not taken for a recovery.
        writes.add(dispatch(new Write(RedisScript.SPEND, new String[] {spendKey, prefix + ":op:" + nextId()},
                new String[] {Long.toString(retention.toMillis()), markerTtl()}, null), false));
        // The local health view, as it changed during the outage (merged by the rules: late news changes nothing).
        for (DeploymentHealth h : health.values()) {
            if (!h.at().equals(Instant.EPOCH)) {
                writes.add(dispatch(healthWrite(h), false));
            }
        }
        awaitAll(writes);
        replayQueued();
        refresh();
    }

    /**
     * Replays the writes queued during the outage, each applied exactly once (operation and
     * settlement markers); throws when one fails (it is queued again).
     */
    private void replayQueued() {
        int n = queuedCount.get();
        List<CompletableFuture<Boolean>> replays = new ArrayList<>();
        synchronized (flushLock) {
            for (Write w : drainSpend()) {
                replays.add(dispatch(w, true));
            }
        }
        for (Write w : drainPendingCharges()) {
            replays.add(dispatch(w, true));
        }
        for (int i = 0; i < n; i++) {
            Write w = queued.poll();
            if (w == null) {
                break;
            }
            queuedCount.decrementAndGet();
            replays.add(dispatch(w, true));
        }
        awaitAll(replays);
        long dropped = droppedWrites.getAndSet(0);
        if (dropped > 0) {
            log.warn("{} writes of the Redis outage were dropped (more than {} queued)", dropped, MAX_QUEUED_WRITES);
        }
    }

    private void awaitAll(List<CompletableFuture<Boolean>> writes) {
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .get(commandTimeout.toMillis() * 10 + writes.size(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("writes of the resynchronization did not complete", e);
        }
        for (CompletableFuture<Boolean> w : writes) {
            if (!w.join()) {
                throw new IllegalStateException("a write of the resynchronization failed");
            }
        }
    }

    /** Reads the shared state into the local view: health, spend, budget balances, this minute's usage. */
    private void refresh() {
        var async = connection.async();
        Map<String, String> h = await(async.hgetall(healthKey));
        for (Map.Entry<String, String> e : h.entrySet()) {
            DeploymentHealth t = parseHealth(e.getKey(), e.getValue());
            if (t != null) {
                applyRemote(t);
            }
        }
        refreshSpend(await(async.hgetall(spendKey)));
        for (Map.Entry<String, BudgetView> e : budgets.entrySet()) {
            var values = await(async.hmget(budgetKey(e.getKey()), "start", "spent", "reserved"));
            if (values.get(0).hasValue()) {
                updateBudget(e.getKey(), Long.parseLong(values.get(0).getValue()),
                        Long.parseLong(values.get(1).getValueOrElse("0")),
                        Long.parseLong(values.get(2).getValueOrElse("0")));
            }
        }
        for (RedisUsage u : usage.values()) {
            long m = u.currentMinute();
            if (m != Long.MIN_VALUE) {
                var values = await(async.hmget(usageKey(u.deploymentId(), m), "r", "t", "r:" + instanceId,
                        "t:" + instanceId));
                u.observed(m, Long.parseLong(values.get(0).getValueOrElse("0")),
                        Long.parseLong(values.get(1).getValueOrElse("0")),
                        Long.parseLong(values.get(2).getValueOrElse("0")),
                        Long.parseLong(values.get(3).getValueOrElse("0")));
            }
        }
    }

    /**
     * Reads the fleet's spend into the local view, plus this instance's increments not sent yet
     * (what was sent before the read, on the same connection, is in the fleet's amounts).
     */
    private void refreshSpend(Map<String, String> fields) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            SpendField f = field(e.getKey());
            f.total.set(Long.parseLong(e.getValue()) + f.unsent.get());
        }
    }

    private <T> T await(RedisFuture<T> f) {
        try {
            return f.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Redis did not answer within " + commandTimeout, e);
        }
    }

    private void becameAvailable() {
        if (availability.compareAndSet(Availability.UNAVAILABLE, Availability.AVAILABLE)) {
            String detail = "connected to " + uri.getHost() + ":" + uri.getPort();
            log.debug("Redis state store available: {}", detail);
            for (Subscriber s : subscribers) {
                notify(s, Availability.AVAILABLE, detail);
            }
        }
    }

    /** Counts Redis as unavailable after a failure that is about the connection; once per outage. */
    private void unavailable(Throwable failure) {
        Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (e instanceof RedisCommandExecutionException rce && !isOutageReply(rce)) {
            // A refusal that is not an outage (NOPERM: the ACL lacks a command; a script error): once, then DEBUG.
            if (commandFailureWarned.compareAndSet(false, true)) {
                log.warn("Redis state store command refused: {} (further refusals are logged at DEBUG)",
                        rce.getMessage());
            } else {
                log.debug("Redis state store command refused: {}", rce.getMessage());
            }
            return;
        }
        String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (availability.compareAndSet(Availability.AVAILABLE, Availability.UNAVAILABLE)) {
            outageDetail = detail;
            log.debug("Redis state store unavailable: {}", detail);
            for (Subscriber s : subscribers) {
                notify(s, Availability.UNAVAILABLE, detail);
            }
        } else if (connection == null) {
            outageDetail = detail;
        }
    }

    private static boolean isOutageReply(RedisCommandExecutionException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("LOADING") || m.startsWith("BUSY") || m.startsWith("READONLY")
                || m.startsWith("MASTERDOWN") || m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN");
    }

    private static void notify(Subscriber s, Availability a, String detail) {
        try {
            s.onAvailability(a, detail);
        } catch (RuntimeException e) {
            log.warn("state store subscriber {} threw; ignored", s, e);
        }
    }

    /** Replays on the keeper thread what a provisional settlement left after Redis came back. */
    private void replayQuietly() {
        try {
            replayQueued();
        } catch (RuntimeException e) {
            unavailable(e);
        }
    }

    // ---- sending ------------------------------------------------------------------------------

    /**
     * Sends a script, loading it again on {@code NOSCRIPT}. The returned future completes after
     * {@code onReply} ran, or exceptionally.
     */
    private CompletableFuture<Object> eval(RedisScript script, String[] keys, String[] args) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        var async = c.async();
        CompletableFuture<Object> first;
        try {
            first = async.evalsha(script.sha, script.output, keys, args).toCompletableFuture();
        } catch (RuntimeException e) {
            // Refused before sending (the request queue is full, the connection is closing): never thrown
            // into the router's call.
            return CompletableFuture.failedFuture(e);
        }
        return first.handle((reply, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return async.scriptLoad(script.source).toCompletableFuture()
                        .thenCompose(sha -> async.evalsha(sha, script.output, keys, args).toCompletableFuture());
            }
            return failure == null ? CompletableFuture.completedFuture(reply) : CompletableFuture.failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /**
     * Sends a write, tracked for {@link #flush()}. A replayable write that fails, or that is made
     * during an outage, is queued for the resynchronization.
     */
    private CompletableFuture<Boolean> send(Write w, boolean replayable) {
        if (availability.get() == Availability.UNAVAILABLE) {
            if (replayable) {
                enqueue(w);
            }
            return CompletableFuture.completedFuture(false);
        }
        return dispatch(w, replayable);
    }

    /** Sends a write whatever the availability (the resynchronization's replays). */
    private CompletableFuture<Boolean> dispatch(Write w, boolean replayable) {
        CompletableFuture<Object> f = eval(w.script, w.keys, w.args);
        CompletableFuture<Boolean> done = f.handle((reply, failure) -> {
            if (failure != null) {
                unavailable(failure);
                if (replayable) {
                    enqueue(w);
                }
                if (w.onFailure != null) {
                    w.onFailure.run();
                }
                return false;
            }
            if (w.onReply != null) {
                w.onReply.accept(reply);
            }
            return true;
        });
        inFlight.add(done);
        done.whenComplete((r, e) -> inFlight.remove(done));
        return done;
    }

    private void enqueue(Write w) {
        queued.add(w);
        if (queuedCount.incrementAndGet() > MAX_QUEUED_WRITES && queued.poll() != null) {
            queuedCount.decrementAndGet();
            droppedWrites.incrementAndGet();
        }
    }

    private String nextId() {
        return instanceId + "-" + seq.incrementAndGet();
    }

    private String usageKey(String deploymentId, long minute) {
        return prefix + ":u:" + deploymentId + ":" + minute;
    }

    private String budgetKey(String budgetId) {
        return prefix + ":b:" + budgetId;
    }

    private String budgetReservationsKey(String budgetId) {
        return prefix + ":bz:" + budgetId;
    }

    private String markerTtl() {
        return Long.toString(reservationTtl.toMillis() + Duration.ofMinutes(5).toMillis());
    }

    // ---- usage --------------------------------------------------------------------------------

    @Override
    public UsageCounter usage(String deploymentId) {
        Objects.requireNonNull(deploymentId, "deploymentId");
        return usage.computeIfAbsent(deploymentId, id -> new RedisUsage(this, id));
    }

    /** Keeps the unsent increments of a minute that ended for the next flush (dropped during an outage). */
    void retired(RedisUsage u, long m, long requests, long tokens) {
        if ((requests != 0 || tokens != 0) && availability.get() == Availability.AVAILABLE) {
            retiredUsage.add(new RetiredUsage(u, m, requests, tokens));
        }
    }

    /** One increment of {@code u}'s minute {@code m}; on failure given back to {@code u} (if still its minute). */
    private Write usageWrite(RedisUsage u, long m, long requests, long tokens) {
        return new Write(RedisScript.USAGE, new String[] {usageKey(u.deploymentId(), m)},
                new String[] {Long.toString(requests), Long.toString(tokens), Long.toString(MINUTE_KEY_TTL_MS),
                    instanceId},
                reply -> {
                    List<?> l = (List<?>) reply;
                    u.observed(m, toLong(l.get(0)), toLong(l.get(1)), toLong(l.get(2)), toLong(l.get(3)));
                },
                () -> u.undrain(m, requests, tokens));
    }

    /** The flush task, on the keeper thread. */
    private void flushQuietly() {
        try {
            sendIncrements();
        } catch (RuntimeException e) {
            log.debug("Redis state store: sending the increments failed", e);
            unavailable(e);
        }
    }

    /**
     * Sends the usage and spend increments summed since the last flush, one script per deployment's
     * minute and one per {@value #SPEND_FIELDS_PER_WRITE} spend fields, without waiting for the
     * replies. During an outage nothing is taken: the increments keep adding up locally.
     */
    private void sendIncrements() {
        if (closed) {
            return;
        }
        synchronized (flushLock) {
            if (availability.get() == Availability.UNAVAILABLE || connection == null) {
                return;
            }
            for (RetiredUsage r; (r = retiredUsage.poll()) != null; ) {
                // Not given back on failure: the minute has ended.
                dispatch(new Write(RedisScript.USAGE, new String[] {usageKey(r.usage().deploymentId(), r.minute())},
                        new String[] {Long.toString(r.requests()), Long.toString(r.tokens()),
                            Long.toString(MINUTE_KEY_TTL_MS), instanceId}, null), false);
            }
            for (RedisUsage u : usage.values()) {
                long[] d = u.drain();
                if (d != null) {
                    dispatch(usageWrite(u, d[0], d[1], d[2]), false);
                }
            }
            for (Write w : drainSpend()) {
                dispatch(w, true); // queued for replay if it fails: applied once (the operation marker)
            }
        }
    }

    private static long toLong(Object o) {
        return o instanceof Long l ? l : Long.parseLong(String.valueOf(o));
    }

    @Override
    public LatencyRecorder latency(String deploymentId) {
        Objects.requireNonNull(deploymentId, "deploymentId");
        return latency.computeIfAbsent(deploymentId, k -> new LocalLatency());
    }

    // ---- health -------------------------------------------------------------------------------

    @Override
    public void publishHealth(DeploymentHealth transition) {
        Objects.requireNonNull(transition, "transition");
        health.merge(transition.deploymentId(), transition, RedisStateStore::apply);
        send(healthWrite(transition), false); // resynchronization publishes the local view again
    }

    private Write healthWrite(DeploymentHealth t) {
        return new Write(RedisScript.HEALTH, new String[] {healthKey}, new String[] {t.deploymentId(),
            Long.toString(t.coolingUntil().map(Instant::toEpochMilli).orElse(0L)), Long.toString(t.at().toEpochMilli()),
            t.reason(), instanceId, Long.toString(HEALTH_TTL.toMillis()), healthChannel}, null);
    }

    /** The health after {@code next} is applied to {@code current}: the rules of {@link StateStore#publishHealth}. */
    static DeploymentHealth apply(DeploymentHealth current, DeploymentHealth next) {
        long at = next.at().toEpochMilli();
        if (next.isCoolingDown() && current.isCoolingDownAt(at)) {
            return next.coolingUntil().get().isAfter(current.coolingUntil().get()) ? next : current;
        }
        return next.at().isBefore(current.at()) ? current : next;
    }

    /** A transition as stored in the health hash, {@code until|at|reason}; null when unreadable. */
    private static DeploymentHealth parseHealth(String deploymentId, String value) {
        String[] p = value.split("\\|", 3);
        try {
            long until = Long.parseLong(p[0]);
            Instant at = Instant.ofEpochMilli(Long.parseLong(p[1]));
            return until > 0 ? DeploymentHealth.coolingDown(deploymentId, Instant.ofEpochMilli(until), p[2], at)
                    : DeploymentHealth.available(deploymentId, at);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A published transition, {@code until|at|origin|reason|deploymentId}. */
    private void onHealthMessage(String message) {
        String[] p = message.split("\\|", 5);
        if (p.length < 5 || p[2].equals(instanceId)) {
            return; // ours: already applied
        }
        DeploymentHealth t = parseHealth(p[4], p[0] + "|" + p[1] + "|" + p[3]);
        if (t != null) {
            applyRemote(t);
        }
    }

    private void applyRemote(DeploymentHealth t) {
        if (t.equals(health.get(t.deploymentId()))) {
            return; // known already (a refresh reads every transition again)
        }
        DeploymentHealth after = health.merge(t.deploymentId(), t, RedisStateStore::apply);
        if (after == t) {
            for (Subscriber s : subscribers) {
                try {
                    s.onHealth(t);
                } catch (RuntimeException e) {
                    log.warn("state store subscriber {} threw; ignored", s, e);
                }
            }
        }
    }

    @Override
    public DeploymentHealth health(String deploymentId) {
        DeploymentHealth h = health.get(deploymentId);
        return h != null ? h : health.computeIfAbsent(deploymentId, k -> DeploymentHealth.available(k, Instant.EPOCH));
    }

    // ---- spend --------------------------------------------------------------------------------

    @Override
    public void addSpend(String deploymentId, String provider, String modelGroup, Optional<String> user,
            List<String> tags, BigDecimal usd) {
        long nano = toNano(usd, RoundingMode.HALF_EVEN);
        DeploymentSpend d = deploymentSpend.get(deploymentId);
        if (d == null || !d.provider().equals(provider) || !d.modelGroup().equals(modelGroup)) {
            d = new DeploymentSpend(provider, modelGroup, field("d:" + deploymentId), field("p:" + provider),
                    field("g:" + modelGroup));
            deploymentSpend.put(deploymentId, d);
        }
        totalSpend.add(nano);
        d.deployment().add(nano);
        d.providerField().add(nano);
        d.group().add(nano);
        if (user.isPresent()) {
            field("u:" + user.get()).add(nano);
        }
        for (int i = 0; i < tags.size(); i++) {
            field("t:" + tags.get(i)).add(nano);
        }
    }

    @Override
    public void countUnpriced(String deploymentId) {
        field("n:" + deploymentId).add(1);
    }

    private SpendField field(String name) {
        SpendField f = spend.get(name);
        return f != null ? f : spend.computeIfAbsent(name, SpendField::new);
    }

    /**
     * The spend increments not sent yet, taken, as writes of at most {@value #SPEND_FIELDS_PER_WRITE}
     * fields, each applied once (its operation marker), so a replay after a lost reply adds nothing.
     */
    private List<Write> drainSpend() {
        List<Write> out = new ArrayList<>(1);
        List<String> args = null;
        for (SpendField f : spend.values()) {
            long v = f.unsent.getAndSet(0);
            if (v == 0) {
                continue;
            }
            if (args == null) {
                args = new ArrayList<>();
                args.add(Long.toString(retention.toMillis()));
                args.add(markerTtl());
            }
            args.add(f.name);
            args.add(Long.toString(v));
            if (args.size() == 2 + 2 * SPEND_FIELDS_PER_WRITE) {
                out.add(spendWrite(args));
                args = null;
            }
        }
        if (args != null) {
            out.add(spendWrite(args));
        }
        return out;
    }

    private Write spendWrite(List<String> args) {
        return new Write(RedisScript.SPEND, new String[] {spendKey, prefix + ":op:" + nextId()},
                args.toArray(String[]::new), null);
    }

    /** The outage's provisional charges, summed per budget window, one settlement each. */
    private List<Write> drainPendingCharges() {
        List<Write> out = new ArrayList<>();
        for (BudgetWindow w : List.copyOf(pendingCharges.keySet())) {
            Long v = pendingCharges.remove(w);
            if (v != null) {
                out.add(settleWrite(nextId(), v, List.of(), List.of(w)));
            }
        }
        return out;
    }

    @Override
    public SpendTotals spendTotals() {
        Map<String, BigDecimal> byDeployment = new HashMap<>();
        Map<String, BigDecimal> byProvider = new HashMap<>();
        Map<String, BigDecimal> byGroup = new HashMap<>();
        Map<String, Long> users = new HashMap<>();
        Map<String, Long> tags = new HashMap<>();
        Map<String, Long> unpriced = new HashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, SpendField> e : spend.entrySet()) {
            String f = e.getKey();
            long v = e.getValue().total.get();
            if (f.equals("total")) {
                total = fromNano(v);
            } else if (f.startsWith("d:")) {
                byDeployment.put(f.substring(2), fromNano(v));
            } else if (f.startsWith("p:")) {
                byProvider.put(f.substring(2), fromNano(v));
            } else if (f.startsWith("g:")) {
                byGroup.put(f.substring(2), fromNano(v));
            } else if (f.startsWith("u:")) {
                users.put(f.substring(2), v);
            } else if (f.startsWith("t:")) {
                tags.put(f.substring(2), v);
            } else if (f.startsWith("n:")) {
                unpriced.put(f.substring(2), v);
            }
        }
        Map<String, BigDecimal> byUser = new HashMap<>();
        BigDecimal otherUsers = largest(users, byUser);
        Map<String, BigDecimal> byTag = new HashMap<>();
        BigDecimal otherTags = largest(tags, byTag);
        return new SpendTotals(total, byDeployment, byProvider, byGroup, byUser, otherUsers, byTag, otherTags,
                unpriced);
    }

    /** Puts the {@code maxSpendKeys} largest amounts into {@code listed}; returns the sum of the rest. */
    private BigDecimal largest(Map<String, Long> amounts, Map<String, BigDecimal> listed) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(amounts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        long rest = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i < maxSpendKeys) {
                listed.put(sorted.get(i).getKey(), fromNano(sorted.get(i).getValue()));
            } else {
                rest += sorted.get(i).getValue();
            }
        }
        return fromNano(rest);
    }

    static long toNano(BigDecimal usd, RoundingMode rounding) {
        return usd.setScale(NANO, rounding).unscaledValue().longValueExact();
    }

    static BigDecimal fromNano(long nano) {
        BigDecimal usd = BigDecimal.valueOf(nano, NANO).stripTrailingZeros();
        return usd.scale() < 0 ? usd.setScale(0) : usd;
    }

    // ---- budgets ------------------------------------------------------------------------------

    @Override
    public CompletionStage<BudgetReservation> reserve(List<BudgetWindow> windows, BigDecimal amountUsd) {
        List<BudgetWindow> ws = List.copyOf(windows);
        Objects.requireNonNull(amountUsd, "amountUsd");
        long amount = toNano(amountUsd, RoundingMode.CEILING);
        String id = nextId();
        if (availability.get() == Availability.UNAVAILABLE || connection == null) {
            return CompletableFuture.completedFuture(provisionalReserve(id, ws, amountUsd, amount));
        }
        String[] keys = new String[ws.size() * 2];
        String[] args = new String[3 + ws.size() * 3];
        args[0] = Long.toString(amount);
        args[1] = id;
        args[2] = Long.toString(reservationTtl.toMillis());
        for (int i = 0; i < ws.size(); i++) {
            BudgetWindow w = ws.get(i);
            keys[2 * i] = budgetKey(w.budgetId());
            keys[2 * i + 1] = budgetReservationsKey(w.budgetId());
            args[3 + 3 * i] = Long.toString(w.start().toEpochMilli());
            args[4 + 3 * i] = Long.toString(toNano(w.limitUsd(), RoundingMode.FLOOR));
            args[5 + 3 * i] = Long.toString(keyTtl(w));
        }
        CompletableFuture<Object> f = eval(RedisScript.RESERVE, keys, args);
        inFlight.add(f);
        f.whenComplete((r, e) -> inFlight.remove(f));
        return f.handle((reply, failure) -> {
            if (failure != null) {
                unavailable(failure);
                return provisionalReserve(id, ws, amountUsd, amount);
            }
            List<?> l = (List<?>) reply;
            updateBudgets(ws, l, 1);
            int refused = (int) toLong(l.get(0));
            return refused == 0 ? BudgetReservation.granted(id, amountUsd, ws)
                    : BudgetReservation.refused(amountUsd, ws.get(refused - 1));
        });
    }

    /** A reservation decided by the local view while Redis is unreachable. */
    private BudgetReservation provisionalReserve(String id, List<BudgetWindow> ws, BigDecimal amountUsd, long amount) {
        synchronized (budgets) {
            for (BudgetWindow w : ws) {
                BudgetView v = view(w);
                if (v.spent + v.reserved + amount > toNano(w.limitUsd(), RoundingMode.FLOOR)) {
                    return BudgetReservation.refused(amountUsd, w);
                }
            }
            for (BudgetWindow w : ws) {
                BudgetView v = view(w);
                budgets.put(w.budgetId(), new BudgetView(v.start, v.spent, v.reserved + amount));
            }
        }
        provisional.add(id);
        return BudgetReservation.provisional(id, amountUsd, ws);
    }

    /** The view of {@code w}'s period: zero when the view holds an older period (or none). */
    private BudgetView view(BudgetWindow w) {
        long start = w.start().toEpochMilli();
        BudgetView v = budgets.get(w.budgetId());
        return v != null && v.start == start ? v : new BudgetView(start, 0, 0);
    }

    /** Reads {@code spent, reserved, start} triples from a script's reply, one per window, from {@code from}. */
    private void updateBudgets(List<BudgetWindow> ws, List<?> reply, int from) {
        for (int i = 0; i < ws.size() && from + 3 * i + 2 < reply.size(); i++) {
            Object start = reply.get(from + 3 * i + 2);
            if (start != null) {
                updateBudget(ws.get(i).budgetId(), toLong(start), toLong(reply.get(from + 3 * i)),
                        toLong(reply.get(from + 3 * i + 1)));
            }
        }
    }

    private void updateBudget(String budgetId, long start, long spent, long reserved) {
        synchronized (budgets) {
            BudgetView v = budgets.get(budgetId);
            if (v == null || v.start <= start) {
                budgets.put(budgetId, new BudgetView(start, spent, reserved));
            }
        }
    }

    private long keyTtl(BudgetWindow w) {
        if (w.end().equals(Instant.MAX)) {
            return retention.toMillis();
        }
        long left = w.end().toEpochMilli() - clock.millis();
        return Math.max(0, left) + Duration.ofDays(1).toMillis();
    }

    @Override
    public void settle(BudgetReservation reservation, BigDecimal actualUsd, List<BudgetWindow> chargeTo) {
        Objects.requireNonNull(actualUsd, "actualUsd");
        Optional<String> id = reservation.id();
        if (id.isEmpty()) {
            return; // refused: nothing held
        }
        long actual = toNano(actualUsd, RoundingMode.HALF_EVEN);
        List<BudgetWindow> held = reservation.windows();
        if (reservation.isProvisional()) {
            if (!provisional.remove(id.get())) {
                return;
            }
            synchronized (budgets) {
                long amount = toNano(reservation.amountUsd(), RoundingMode.CEILING);
                for (BudgetWindow w : held) {
                    BudgetView v = view(w);
                    budgets.put(w.budgetId(), new BudgetView(v.start, v.spent, Math.max(0, v.reserved - amount)));
                }
                for (BudgetWindow w : chargeTo) {
                    BudgetView v = view(w);
                    budgets.put(w.budgetId(), new BudgetView(v.start, v.spent + actual, v.reserved));
                }
            }
            // Nothing was held in Redis: the cost is summed per window and charged when Redis returns.
            for (BudgetWindow w : chargeTo) {
                pendingCharges.merge(w, actual, Long::sum);
            }
            if (availability.get() == Availability.AVAILABLE && !closed) {
                keeper.execute(this::replayQuietly);
            }
            return;
        }
        List<BudgetWindow> charged = List.copyOf(chargeTo);
        send(settleWrite(id.get(), actual, held, charged), true);
    }

    /** A settlement: release {@code held} (if still held), charge {@code actual} to {@code chargeTo}, once per id. */
    private Write settleWrite(String id, long actual, List<BudgetWindow> held, List<BudgetWindow> chargeTo) {
        String[] keys = new String[1 + 2 * (held.size() + chargeTo.size())];
        String[] args = new String[4 + held.size() + 2 * chargeTo.size()];
        keys[0] = prefix + ":settled:" + id;
        args[0] = id;
        args[1] = Long.toString(actual);
        args[2] = markerTtl();
        args[3] = Integer.toString(held.size());
        for (int i = 0; i < held.size(); i++) {
            keys[1 + 2 * i] = budgetKey(held.get(i).budgetId());
            keys[2 + 2 * i] = budgetReservationsKey(held.get(i).budgetId());
            args[4 + i] = Long.toString(held.get(i).start().toEpochMilli());
        }
        int k = 1 + 2 * held.size();
        int a = 4 + held.size();
        for (BudgetWindow w : chargeTo) {
            keys[k++] = budgetKey(w.budgetId());
            keys[k++] = budgetReservationsKey(w.budgetId());
            args[a++] = Long.toString(w.start().toEpochMilli());
            args[a++] = Long.toString(keyTtl(w));
        }
        return new Write(RedisScript.SETTLE, keys, args, reply -> updateBudgets(chargeTo, (List<?>) reply, 1));
    }

    @Override
    public BudgetBalance balance(BudgetWindow window) {
        BudgetView v = budgets.get(window.budgetId());
        if (v == null) {
            // A budget this instance has not used yet (a restart): the next refresh reads its period.
            budgets.putIfAbsent(window.budgetId(), new BudgetView(Long.MIN_VALUE, 0, 0));
            return BudgetBalance.ZERO;
        }
        if (v.start != window.start().toEpochMilli() || v.spent == 0 && v.reserved == 0) {
            return BudgetBalance.ZERO;
        }
        return new BudgetBalance(fromNano(v.spent), fromNano(v.reserved));
    }

    // ---- availability, events, writes ---------------------------------------------------------

    @Override
    public Availability availability() {
        return availability.get();
    }

    @Override
    public Subscription subscribe(Subscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        if (availability.get() == Availability.UNAVAILABLE) {
            notify(subscriber, Availability.UNAVAILABLE, outageDetail);
        }
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Sends the usage and spend increments not sent yet (without waiting for the flush interval),
     * then completes when every write sent before the call has been answered (or, during an outage,
     * kept or queued for replay), and the spend totals have been read back.
     */
    @Override
    public CompletionStage<Void> flush() {
        try {
            sendIncrements();
        } catch (RuntimeException e) {
            unavailable(e); // kept: sent by the next flush
        }
        CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(pending).handle((r, e) -> null).thenCompose(x -> {
            StatefulRedisConnection<String, String> c = connection;
            if (c == null || availability.get() == Availability.UNAVAILABLE) {
                return CompletableFuture.completedFuture(null);
            }
            return c.async().hgetall(spendKey).toCompletableFuture()
                    .handle((fields, failure) -> {
                        if (fields != null) {
                            refreshSpend(fields);
                        }
                        return (Void) null;
                    });
        });
    }

    /** Writes queued for replay because Redis was unreachable (for tests and metrics). */
    public int queuedWrites() {
        return queuedCount.get();
    }

    /** This instance's spend fields with increments not sent yet (for the warning at close). */
    private long unsentSpendFields() {
        long n = 0;
        for (SpendField f : spend.values()) {
            if (f.unsent.get() != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Sends what is not sent yet and flushes (waiting at most the command timeout), then stops the
     * flush and refresh thread and closes the connections. What Redis did not take by then (it is
     * down) is lost, with a WARN log saying how much. Close the routers first. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush().toCompletableFuture().get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("flush on close did not complete: {}", e.toString());
        }
        closed = true;
        keeper.shutdownNow();
        try {
            keeper.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long unsent = unsentSpendFields();
        int queuedAtClose = queuedCount.get() + pendingCharges.size();
        if (unsent > 0 || queuedAtClose > 0) {
            log.warn("Redis state store closed while Redis is unavailable: the increments of {} spend fields and {}"
                    + " settlements or charges were not written", unsent, queuedAtClose);
        }
        if (pubSub != null) {
            pubSub.close();
        }
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedisStateStore[" + uri.getHost() + ":" + uri.getPort() + " db " + uri.getDatabase()
                + (uri.isSsl() ? " tls" : "") + ", prefix '" + prefix + "', refresh " + refreshInterval.toMillis()
                + " ms, flush " + flushInterval.toMillis() + " ms, " + availability.get() + "]";
    }

    /**
     * Builds a {@link RedisStateStore}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int database = DEFAULT_DATABASE;
        private String username;
        private Secret password;
        private boolean tls;
        private java.nio.file.Path trustedCertificates;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private Duration reservationTtl = DEFAULT_RESERVATION_TTL;
        private Duration retention = DEFAULT_RETENTION;
        private int maxSpendKeys = Router.DEFAULT_MAX_SPEND_KEYS;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The Redis host; default {@value RedisStateStore#DEFAULT_HOST}. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** The Redis port, 1 to 65535; default {@value RedisStateStore#DEFAULT_PORT}. */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The database index, 0 or more; default {@value RedisStateStore#DEFAULT_DATABASE}. */
        public Builder database(int database) {
            if (database < 0) {
                throw new IllegalArgumentException("database must not be negative, was " + database);
            }
            this.database = database;
            return this;
        }

        /** The ACL user (Redis 6+); without it, a password authenticates the {@code default} user. */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** The password; never logged nor shown by {@link RedisStateStore#toString()}. */
        public Builder password(Secret password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Connects with TLS, verifying the server's certificate (JVM trust store); default plain TCP. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * Connects with TLS, verifying the server's certificate (and host name) against the CA
         * certificates of a PEM file instead of the JVM's trust store: for a Redis with a private CA.
         *
         * @param caCertificatesPem a PEM file of trusted CA certificates
         * @return this builder
         */
        public Builder tls(java.nio.file.Path caCertificatesPem) {
            Objects.requireNonNull(caCertificatesPem, "caCertificatesPem");
            if (!java.nio.file.Files.isReadable(caCertificatesPem)) {
                throw new IllegalArgumentException("caCertificatesPem is not a readable file: " + caCertificatesPem);
            }
            this.tls = true;
            this.trustedCertificates = caCertificatesPem;
            return this;
        }

        /**
         * The prefix of every key and channel, one per application sharing a Redis; default
         * {@value RedisStateStore#DEFAULT_KEY_PREFIX}. Letters, digits, {@code -}, {@code _}, {@code .}.
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (!keyPrefix.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("keyPrefix must be 1-64 of [A-Za-z0-9_.-], was '" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** The wait for one command (and for connecting); default 1 s. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = positive(commandTimeout, "commandTimeout");
            return this;
        }

        /** How often the local view is refreshed and, during an outage, reconnection tried; default 1 s. */
        public Builder refreshInterval(Duration refreshInterval) {
            this.refreshInterval = positive(refreshInterval, "refreshInterval");
            return this;
        }

        /**
         * How often this instance's usage (rpm/tpm) and spend increments, summed locally, are sent
         * to Redis in one batch; default 100 ms ({@link RedisStateStore#DEFAULT_FLUSH_INTERVAL}).
         * The other instances see them at most this late (plus their own flush or refresh); a
         * shorter interval sends more, smaller batches. {@link RedisStateStore#flush()} and
         * {@link RedisStateStore#close()} send at once.
         *
         * @param flushInterval the interval, positive
         * @return this builder
         */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = positive(flushInterval, "flushInterval");
            return this;
        }

        /**
         * How long an unsettled budget reservation holds its amount (a caller that died or never
         * settles); longer than the longest call; default 10 minutes.
         */
        public Builder reservationTtl(Duration reservationTtl) {
            this.reservationTtl = positive(reservationTtl, "reservationTtl");
            return this;
        }

        /** How long spend totals (and budgets without periods) live after their last write; default 40 days. */
        public Builder retention(Duration retention) {
            this.retention = positive(retention, "retention");
            return this;
        }

        /** How many users and tags the spend totals list one by one; default {@link Router#DEFAULT_MAX_SPEND_KEYS}. */
        public Builder maxSpendKeys(int maxSpendKeys) {
            if (maxSpendKeys < 0) {
                throw new IllegalArgumentException("maxSpendKeys must not be negative, was " + maxSpendKeys);
            }
            this.maxSpendKeys = maxSpendKeys;
            return this;
        }

        /** The clock for key lifetimes (give the routers' clock); default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        /**
         * The store, connecting now (waiting at most the command timeout); if Redis cannot be
         * reached it is built anyway, in an outage, and connects when Redis answers.
         *
         * @return the store
         */
        public RedisStateStore build() {
            return new RedisStateStore(this);
        }
    }
}
