package io.llmrouter.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The scheduler of a router built without one: one daemon thread that exists only while the router
 * has timers to run. The thread ends after {@link #IDLE_TIMEOUT} with nothing queued and comes back
 * with the next timer, so a router that is idle, closed, or dropped without {@code close()} holds
 * no thread, and no router thread ever keeps the JVM alive.
 *
 * <p>One per router, not one per JVM: a callback that blocks the scheduler thread (user code
 * attached to a future that a timer completes) then delays only that router's timers.
 *
 * <p>While calls are in flight a no-op tick every {@link #PACER_PERIOD} keeps the timer queue's
 * head at most that far away, so a call's or a stream's timer (seconds to minutes ahead) is queued
 * without waking the scheduler thread; a timer that becomes the head costs a thread wake-up per
 * schedule, which showed on loopback benchmarks as tens of microseconds per stream. The tick stops
 * once no call is in flight (else its queue entry would keep the thread alive forever) and restarts
 * with the next call.
 *
 * <p>A cancelled timer is not taken out of the queue at once (that takes the queue's one lock, on
 * the thread that ends the call: with 64 callers it was the router's most contended lock); the tick
 * purges the cancelled timers once a second, and once more when it stops, so the thread can still
 * end when idle. A cancelled timer should not hold its call's objects (see {@link AttemptStep}'s):
 * it may wait up to a second in the queue.
 */
final class RouterScheduler {

    /** The name of the scheduler's thread. */
    static final String THREAD_NAME = "llmrouter-scheduler";

    /** How long the thread waits with nothing queued before it ends. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

    /** The period of the no-op tick while calls are in flight. */
    static final Duration PACER_PERIOD = Duration.ofSeconds(1);

    private final ScheduledThreadPoolExecutor executor;
    private final BooleanSupplier busy;
    private final AtomicBoolean pacing = new AtomicBoolean();

    /**
     * @param busy whether the router has calls in flight (read once per tick)
     */
    RouterScheduler(BooleanSupplier busy) {
        this.busy = busy;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(false); // the tick purges cancelled timers instead
        executor.setKeepAliveTime(IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        // Safe with a scheduled pool here: the last worker leaves only when the queue is empty, and
        // a worker that leaves while a timer was being queued is replaced (ThreadPoolExecutor's
        // exit check), so a queued timer always finds a thread.
        executor.allowCoreThreadTimeOut(true);
    }

    /** The executor for timers. */
    ScheduledExecutorService executor() {
        return executor;
    }

    /** A call starts: starts the tick if it is stopped. One volatile read when it runs. */
    void callStarted() {
        if (!pacing.get() && pacing.compareAndSet(false, true)) {
            schedulePacer();
        }
    }

    private void schedulePacer() {
        executor.schedule(this::tick, PACER_PERIOD.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void tick() {
        executor.purge();
        if (busy.getAsBoolean()) {
            schedulePacer();
            return;
        }
        pacing.set(false);
        // A call that started after the check above but saw pacing == true would go unpaced: restart.
        if (busy.getAsBoolean() && pacing.compareAndSet(false, true)) {
            schedulePacer();
        }
    }
}
