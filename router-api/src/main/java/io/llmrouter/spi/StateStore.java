package io.llmrouter.spi;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The router state that several router instances must share to act as one: each deployment's
 * health transitions (cooling until, and why), its requests and tokens per clock minute (for
 * rpm/tpm limits and usage-based routing), spend totals, budget reservations and settlements,
 * and, optionally, latency statistics. A router without {@code Router.Builder.stateStore(..)}
 * keeps all of it in memory, private to that router; a network store ({@code RedisStateStore} of
 * router-redis) gives a fleet of routers one view.
 *
 * <p><b>Threading.</b> Every method may be called from any thread, concurrently; implementations
 * are thread-safe. Methods return at once: reads are answered from a local view (a network store
 * keeps one up to date, for example through pub/sub and periodic refresh), writes are accepted
 * fire-and-forget and applied in the order each thread made them ({@link #flush()} waits until
 * every write accepted before it is applied), and the one operation that must be decided by the
 * shared state, a budget reservation, returns a {@link CompletionStage}. The in-memory store
 * completes that stage before returning and allocates and locks nothing on the router's path when
 * no budget is configured.
 *
 * <p><b>Time.</b> Every time-dependent operation takes the time from the caller: the router's
 * clock, in epoch milliseconds or as an {@link java.time.Instant}. A store decides by that time
 * only (never by its own clock), so a store is deterministic under a test clock, and routers
 * sharing a store must have synchronized wall clocks (NTP), as minutes and budget periods are
 * keyed by wall-clock time.
 *
 * <p><b>Expiry.</b> Per-minute usage belongs to its clock minute ({@code floor(epochMillis /
 * 60000)}) and reads as zero once the minute is over; a cooldown ends when the caller's time
 * reaches its {@code coolingUntil}; a budget window's spend and reservations end with its
 * window. A store may drop state that has expired.
 *
 * <p>Values that cross this interface are immutable ({@link DeploymentHealth}, {@link BudgetWindow},
 * {@link BudgetReservation}, {@link BudgetBalance}, {@link SpendTotals}, strings, {@link BigDecimal}).
 * Every store passes the contract test {@code io.llmrouter.spi.StateStoreContractTest} of
 * router-core's test jar.
 *
 * @since 0.1.0
 */
public interface StateStore {

    // ---- per-minute usage ------------------------------------------------------------------

    /**
     * The per-minute request and token counter of one deployment. The router asks once per
     * deployment, when it is built, and keeps the handle; calls on the same id return counters
     * over the same counts.
     *
     * @param deploymentId the deployment's id
     * @return its counter, never null
     */
    UsageCounter usage(String deploymentId);

    // ---- health ----------------------------------------------------------------------------

    /**
     * Publishes a health transition of a deployment: a cooldown starting or ending. Accepted at
     * once, fire-and-forget. Transitions of one deployment are applied in the order of their
     * {@link DeploymentHealth#at()}, whatever order they arrive in, by these rules (the router's
     * cooldown rules):
     * <ul>
     *   <li>a cooldown never shortens a cooldown still running at its {@code at}: the deployment
     *       cools until the later of the two ends (with that cooldown's reason);</li>
     *   <li>an {@linkplain DeploymentHealth#available available} transition ends the cooldown that
     *       started at or before its {@code at};</li>
     *   <li>a transition older than the one applied last, that the rules above do not keep, is
     *       ignored (a late message from another instance does not undo a newer state).</li>
     * </ul>
     *
     * @param transition the transition
     */
    void publishHealth(DeploymentHealth transition);

    /**
     * The deployment's health as last applied: {@link DeploymentHealth#available} at the epoch
     * when nothing was published. A cooldown in the result is over once the caller's time reaches
     * its end ({@link DeploymentHealth#isCoolingDownAt(long)}).
     *
     * @param deploymentId the deployment's id
     * @return its health, never null
     */
    DeploymentHealth health(String deploymentId);

    // ---- spend -----------------------------------------------------------------------------

    /**
     * Adds the priced cost of one answer to the spend totals: the total, its deployment, provider
     * and model group, its user (if any) and each of its tags. Accepted at once, fire-and-forget;
     * totals are exact (no amount lost or counted twice) once applied.
     *
     * @param deploymentId the deployment that answered
     * @param provider its provider route prefix, e.g. {@code openai}
     * @param modelGroup the model group that answered
     * @param user the request's end user
     * @param tags the request's tags
     * @param usd the cost in USD, zero or more
     */
    void addSpend(String deploymentId, String provider, String modelGroup, Optional<String> user, List<String> tags,
            BigDecimal usd);

    /**
     * Counts one answer of the deployment that could not be priced (its spend is unknown).
     * Accepted at once, fire-and-forget.
     *
     * @param deploymentId the deployment that answered
     */
    void countUnpriced(String deploymentId);

    /**
     * The spend totals, as a snapshot of the local view (writes not yet {@linkplain #flush()
     * flushed} may be missing).
     *
     * @return the totals, never null
     */
    SpendTotals spendTotals();

    // ---- budgets ---------------------------------------------------------------------------

    /**
     * Reserves {@code amountUsd} on every window, atomically per window and all-or-nothing over
     * them: each window in turn, in the given order, admits the amount only if its spend plus its
     * reservations plus the amount stay within its limit; if one does not, the reservations made
     * on the windows before it are released and the result is {@linkplain BudgetReservation#refused
     * refused by} that window. So, however many callers (or router instances) reserve at once,
     * spend plus reservations never pass a window's limit. A window newer than the one the store
     * holds for its budget id starts that budget's new period (spend and reservations zero).
     *
     * @param windows the budget windows to reserve on, in the order to try them
     * @param amountUsd the amount, zero or more: the most the call can cost
     * @return the reservation, granted (with an id) or refused; the in-memory store returns a
     *     completed stage
     */
    CompletionStage<BudgetReservation> reserve(List<BudgetWindow> windows, BigDecimal amountUsd);

    /**
     * Settles a granted reservation: releases its amount from the windows it was made on (those
     * still current) and adds {@code actualUsd} to the spend of each window of {@code chargeTo}
     * (normally the reservation's own {@link BudgetReservation#windows()}; the current windows of
     * the same budgets when a period ended while the call ran). Per budget, the release and the
     * charge are one atomic step, so no concurrent reservation is admitted into the room the
     * release opens before the cost takes it. A reservation is settled at most once: settling it
     * again, or settling a refused one, does nothing. Accepted at once, fire-and-forget.
     *
     * @param reservation the reservation
     * @param actualUsd what the call cost, zero or more
     * @param chargeTo the windows to charge
     */
    void settle(BudgetReservation reservation, BigDecimal actualUsd, List<BudgetWindow> chargeTo);

    /**
     * Releases a reservation without charging anything: {@code settle(reservation, 0,
     * reservation.windows())}.
     *
     * @param reservation the reservation
     */
    default void release(BudgetReservation reservation) {
        settle(reservation, BigDecimal.ZERO, reservation.windows());
    }

    /**
     * The spend and open reservations of a budget window, from the local view: zero for a window
     * the store has not seen, or one that a newer window of the same budget has replaced.
     *
     * @param window the window
     * @return its balance, never null
     */
    BudgetBalance balance(BudgetWindow window);

    // ---- latency (optional) ----------------------------------------------------------------

    /**
     * The latency samples of one deployment. Optional state: a store may keep latency local to
     * each router (the default does, and so may a network store: latency is cheap to relearn and
     * differs by instance). The router asks once per deployment, when it is built.
     *
     * @param deploymentId the deployment's id
     * @return its recorder, never null
     */
    LatencyRecorder latency(String deploymentId);

    // ---- availability and remote events ----------------------------------------------------

    /**
     * Whether the shared state is reachable now. A store that is always reachable (the in-memory
     * one) returns {@link Availability#AVAILABLE}; a network store returns
     * {@link Availability#UNAVAILABLE} during an outage, while it answers from its local view.
     *
     * @return the availability, never null
     * @since 0.1.0
     */
    default Availability availability() {
        return Availability.AVAILABLE;
    }

    /**
     * Subscribes to what other routers sharing the store do, and to the store's outages: a router
     * subscribes once when it is built and closes the subscription when it is closed. Health
     * transitions that other instances published are delivered to
     * {@link Subscriber#onHealth}, so each router applies a remote cooldown to its own
     * deployment; a store need not deliver the transitions its own router published. Events
     * arrive on a store thread: subscribers return quickly and never block. The default (for a
     * store that no other router shares) delivers nothing.
     *
     * @param subscriber the subscriber
     * @return the subscription, closed to stop delivery
     * @since 0.1.0
     */
    default Subscription subscribe(Subscriber subscriber) {
        return Subscription.NONE;
    }

    // ---- writes ----------------------------------------------------------------------------

    /**
     * Completes when every write accepted before the call has been applied to the shared state
     * (for tests, and before a router is closed). The in-memory store applies writes at once and
     * returns a completed stage.
     *
     * @return a stage completing when the writes are applied
     */
    CompletionStage<Void> flush();

    /**
     * A deployment's requests and tokens in the current clock minute, kept against its rpm/tpm
     * limits. Thread-safe; lock-free in the in-memory store, and no allocation. A network store
     * decides against its local view of the fleet's counts and pushes its increments
     * fire-and-forget, so increments are never lost, while the limits across a fleet are as exact
     * as its view is fresh.
     *
     * @since 0.1.0
     */
    interface UsageCounter {

        /** What {@link #tryReserve} returns when the request does not fit: {@value}. */
        long NO_CAPACITY = Long.MIN_VALUE;

        /**
         * Whether one more request of {@code tokens} would fit in the minute of {@code nowMillis}
         * (no reservation).
         *
         * @param nowMillis the caller's time, epoch millis
         * @param rpmLimit requests per minute, 0 for no limit
         * @param tpmLimit tokens per minute, 0 for no limit
         * @param tokens the request's estimated tokens
         * @return whether it fits
         */
        boolean fits(long nowMillis, int rpmLimit, int tpmLimit, long tokens);

        /**
         * Counts one request and {@code tokens} in the minute of {@code nowMillis} if both stay
         * within the limits; atomic: concurrent reservations never pass a limit together.
         *
         * @param nowMillis the caller's time, epoch millis
         * @param rpmLimit requests per minute, 0 for no limit
         * @param tpmLimit tokens per minute, 0 for no limit
         * @param tokens the request's estimated tokens
         * @return the minute the reservation counts in, for {@link #correct} (normally
         *     {@code floor(nowMillis / 60000)}; a store may count a caller whose time is a little
         *     behind in the newer minute), or {@link #NO_CAPACITY}
         */
        long tryReserve(long nowMillis, int rpmLimit, int tpmLimit, long tokens);

        /**
         * Adds {@code deltaTokens} (the real usage minus the estimate; may be negative) to the
         * minute of a reservation, if that minute is still current; a past minute is not changed.
         *
         * @param minute the minute {@link #tryReserve} returned
         * @param deltaTokens the correction
         */
        void correct(long minute, long deltaTokens);

        /**
         * The requests counted in the minute of {@code nowMillis}.
         *
         * @param nowMillis the caller's time, epoch millis
         * @return the count, 0 in a minute without requests
         */
        int requests(long nowMillis);

        /**
         * The tokens counted in the minute of {@code nowMillis}.
         *
         * @param nowMillis the caller's time, epoch millis
         * @return the count, 0 in a minute without requests
         */
        long tokens(long nowMillis);
    }

    /**
     * Whether a store's shared state is reachable.
     *
     * @since 0.1.0
     */
    enum Availability {
        /** Reads and writes reach the shared state. */
        AVAILABLE,
        /** The shared state cannot be reached: the store answers from its local view and resynchronizes later. */
        UNAVAILABLE
    }

    /**
     * Receives what a shared store learns from other routers, and its outages. Every method has an
     * empty default.
     *
     * @since 0.1.0
     */
    interface Subscriber {

        /**
         * Another router published a health transition, which the store has applied.
         *
         * @param transition the transition
         */
        default void onHealth(DeploymentHealth transition) {
        }

        /**
         * The store's availability changed: once when an outage starts and once when it ends.
         *
         * @param availability the new availability
         * @param detail what happened, for a log line (never a secret)
         */
        default void onAvailability(Availability availability, String detail) {
        }
    }

    /**
     * A subscription to a store's events; closing it stops delivery. Idempotent.
     *
     * @since 0.1.0
     */
    interface Subscription extends AutoCloseable {

        /** A subscription that delivers nothing. */
        Subscription NONE = () -> { };

        @Override
        void close();
    }

    /**
     * A deployment's latency samples, summarized as {@link LatencyStats}. Thread-safe; recording
     * allocates nothing in the in-memory store.
     *
     * @since 0.1.0
     */
    interface LatencyRecorder {

        /**
         * Records one successful call.
         *
         * @param latencyNanos its whole-call latency
         * @param outputTokens its output tokens, 0 when unknown
         */
        void record(long latencyNanos, int outputTokens);

        /**
         * Records one stream's time to its first chunk.
         *
         * @param nanos the time to first token
         */
        void recordFirstToken(long nanos);

        /**
         * The statistics over the recent samples.
         *
         * @return the statistics, {@link LatencyStats#EMPTY} before the first sample
         */
        LatencyStats stats();
    }
}
