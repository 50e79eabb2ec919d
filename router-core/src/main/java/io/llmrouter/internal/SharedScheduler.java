package io.llmrouter.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one scheduler of every router built without its own: a single daemon thread, created on
 * first use and never shut down. One per JVM rather than one per router, so a router dropped
 * without {@code close()} leaves no thread behind, and no router thread keeps the JVM alive.
 * Its tasks are short (timers that complete futures, retries that start an asynchronous call).
 */
final class SharedScheduler {

    /** The name of the scheduler's thread. */
    static final String THREAD_NAME = "llmrouter-scheduler";

    /** The period of the scheduler's no-op tick (see {@link #create()}). */
    static final Duration PACER_PERIOD = Duration.ofSeconds(1);

    private SharedScheduler() {
    }

    /** The JVM-wide scheduler. */
    static ScheduledExecutorService get() {
        return Holder.INSTANCE;
    }

    private static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        // A tick every PACER_PERIOD keeps the timer queue's head at most that far away, so a
        // call's or a stream's timer (seconds to minutes ahead) is queued without waking the
        // scheduler thread; a timer that becomes the head costs a thread wake-up per schedule,
        // which showed on loopback benchmarks as tens of microseconds per stream.
        s.scheduleAtFixedRate(() -> { }, PACER_PERIOD.toMillis(), PACER_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    private static final class Holder {
        static final ScheduledExecutorService INSTANCE = create();
    }
}
