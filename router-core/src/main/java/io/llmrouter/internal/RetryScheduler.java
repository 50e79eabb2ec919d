package io.llmrouter.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The executor a group's retry loop is given: a retry with no wait (another healthy deployment
 * takes it, or the retry policy's backoff is zero) starts at once on the thread that saw the failure;
 * a retry that waits is scheduled on the router's scheduler as before.
 *
 * <p>Resilience4j's asynchronous retry hands every retry to the executor it is given, even one
 * with no wait, so each failover went through the scheduler's thread: for a blocking
 * {@code completion()} that was two thread hand-offs (to the scheduler, and from the HTTP client's
 * thread back to the caller) and the retry made with the provider's asynchronous call. Started at
 * once, a blocking call's retry stays on the caller's thread and is made with the provider's
 * synchronous call, like its first attempt. Anywhere else (an HTTP client's thread, the scheduler)
 * the retry starts the provider's asynchronous call, which does not block. Each such retry runs
 * inside the failure handling of the attempt before it; after {@link #MAX_NESTED} of them on one
 * thread the next goes through the scheduler, so a policy with many retries cannot overflow the
 * stack.
 *
 * <p>Only {@link #schedule(Runnable, long, TimeUnit)} with no delay, the call Resilience4j makes
 * for such a retry, runs anything on the calling thread; every other method delegates.
 */
final class RetryScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /**
     * Retries started at once and nested on one thread (each runs inside the failure handling of the
     * one before) before the next is handed to the scheduler, which starts a fresh stack: bounds the
     * stack when a policy allows many retries with no wait.
     */
    static final int MAX_NESTED = 16;

    /** How many retries started at once are running on this thread, one inside the other. */
    private static final ThreadLocal<int[]> NESTED = ThreadLocal.withInitial(() -> new int[1]);

    private final ScheduledExecutorService scheduler;

    /**
     * @param scheduler the router's scheduler, which runs every retry that waits
     */
    RetryScheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (delay > 0) {
            return scheduler.schedule(command, delay, unit);
        }
        int[] nested = NESTED.get();
        if (nested[0] >= MAX_NESTED) {
            return scheduler.schedule(command, 0, unit);
        }
        nested[0]++;
        try {
            command.run();
        } finally {
            nested[0]--;
        }
        return Ran.INSTANCE;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return scheduler.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduler.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduler.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        scheduler.execute(command);
    }

    /** Not this view's to shut down: the router's scheduler has its own owner. */
    @Override
    public void shutdown() {
        throw new UnsupportedOperationException("the router's retry scheduler is not shut down on its own");
    }

    /** Not this view's to shut down: the router's scheduler has its own owner. */
    @Override
    public List<Runnable> shutdownNow() {
        throw new UnsupportedOperationException("the router's retry scheduler is not shut down on its own");
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return scheduler.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return scheduler.awaitTermination(timeout, unit);
    }

    /** The handle of a task that has already run on the calling thread. */
    private static final class Ran implements ScheduledFuture<Object> {
        static final Ran INSTANCE = new Ran();

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
