package io.llmrouter.providers.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.AsyncTimeout;

/**
 * Keeps Okio's timeout watchdog from being woken by every call.
 *
 * <p>OkHttp enforces a call's whole-call timeout ({@code Call.timeout()}) with an Okio
 * {@link AsyncTimeout}: entering one inserts it into a queue ordered by deadline, watched by a
 * single "Okio Watchdog" thread, and an insert at the head of that queue signals the watchdog so
 * it can re-arm its wait. With one call in flight (or all calls sharing the same long limit) every
 * call lands at the head, so every call pays a futex wake-up and the watchdog a context switch:
 * measured at about a seventh of a loopback call's time on a two-core machine.
 *
 * <p>The pacer is an {@code AsyncTimeout} of {@link #PERIOD} that re-enters itself each time it
 * expires, so the queue's head is always a deadline at most {@code PERIOD} away. A call whose limit
 * is longer than that (600 s by default) queues behind it without a signal; a shorter one still
 * goes to the head and signals, as it must. The watchdog wakes once per period instead of twice per
 * call. The pacer stops after {@link #IDLE_NANOS} without calls (the watchdog may then exit, as
 * Okio intends) and restarts with the next call. Correctness never depends on it: with it stopped,
 * calls behave exactly as without it.
 */
public final class WatchdogPacer {

    /** How often the pacer expires and re-enters (the watchdog's wake-up rate while calls run). */
    public static final long PERIOD_MILLIS = 1_000;

    /** The pacer stops after this long without calls. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final Pacer PACER = new Pacer();

    private WatchdogPacer() {
    }

    /** Marks a call with a timeout as starting; starts the pacer if it is stopped. Cheap when running. */
    public static void touch() {
        PACER.lastUse = System.nanoTime();
        if (!PACER.running.get() && PACER.running.compareAndSet(false, true)) {
            PACER.start();
        }
    }

    /** Whether the pacer is currently queued (for tests). */
    static boolean isRunning() {
        return PACER.running.get();
    }

    private static final class Pacer extends AsyncTimeout {
        final AtomicBoolean running = new AtomicBoolean();
        volatile long lastUse;

        Pacer() {
            timeout(PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }

        void start() {
            exit();
            enter();
        }

        @Override
        protected void timedOut() {
            // Called on the watchdog thread once the period has passed.
            exit();
            if (System.nanoTime() - lastUse > IDLE_NANOS) {
                running.set(false);
                // A call that touched after the check above restarts us; one that touched before
                // but saw running == true has only lost the pacing for this call.
                if (System.nanoTime() - lastUse <= IDLE_NANOS && running.compareAndSet(false, true)) {
                    enter();
                }
                return;
            }
            enter();
        }
    }
}
