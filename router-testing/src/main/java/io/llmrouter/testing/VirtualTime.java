package io.llmrouter.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for deterministic tests: a {@link Clock} and a {@link ScheduledExecutorService}
 * that share one virtual "now", which moves only when the test calls {@link #advance},
 * {@link #advanceUntil} or {@link #runDueTasks}. Inject both into the router, and retries'
 * backoff waits, per-call timeouts, request deadlines and cooldowns all follow virtual time, so a
 * test of "retry after 2 s, then fall back" takes no real time and no {@code Thread.sleep}.
 *
 * <pre>{@code
 * VirtualTime vt = VirtualTime.create();
 * Router router = Router.builder().clock(vt.clock()).scheduler(vt.scheduler()) ... .build();
 * CompletableFuture<ChatResponse> f = router.completionAsync(request); // first attempt fails
 * vt.advance(Duration.ofSeconds(2));                                    // the retry runs now
 * vt.advanceUntil(f::isDone, Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>The scheduler never runs a task on its own and owns no thread: a task runs on the thread
 * that calls {@code advance}, {@code advanceUntil} or {@code runDueTasks}, in due-time order
 * (ties in the order they were queued), with the clock reading the task's due time while it
 * runs. Tasks that running tasks schedule are run too if they fall due within the window.
 *
 * <p>Thread-safe: tasks may be scheduled from any thread (an HTTP callback thread, say) while the
 * test thread advances. The queue is guarded by a lock that is never held while a task runs;
 * calls that run tasks are serialized, and calling them from inside a task throws
 * {@link IllegalStateException}. Time only ever moves forward, and only by those calls.
 *
 * @since 0.1.0
 */
public final class VirtualTime {

    /** The start of {@link #create()}: {@code 2026-01-01T00:00:00Z}. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** Serializes the calls that run tasks; never the queue lock. */
    private final ReentrantLock driver = new ReentrantLock();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final PriorityQueue<VirtualTask<?>> queue = new PriorityQueue<>();
    /** Virtual nanoseconds since {@link #start}; read freely, written under {@link #lock}. */
    private volatile long nowNanos;
    /** Guarded by {@link #lock}. */
    private long nextSeq;
    /** Guarded by {@link #lock}. */
    private boolean shutdown;
    /** Tasks running right now; guarded by {@link #lock}. */
    private int running;

    private VirtualTime(Instant start) {
        this.start = start;
        this.clock = new VirtualClock(this, ZoneOffset.UTC);
        this.scheduler = new VirtualScheduler();
    }

    /**
     * A virtual time that starts at {@code start}, with no tasks.
     *
     * @throws NullPointerException if {@code start} is null
     */
    public static VirtualTime startingAt(Instant start) {
        return new VirtualTime(Objects.requireNonNull(start, "start"));
    }

    /** A virtual time that starts at {@link #DEFAULT_START}, with no tasks. */
    public static VirtualTime create() {
        return new VirtualTime(DEFAULT_START);
    }

    /**
     * A UTC clock whose {@code instant()} and {@code millis()} read virtual now. The same clock
     * object is returned on every call; {@code withZone} gives a view in another zone.
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The scheduler whose tasks run only when virtual time is advanced. The same object is
     * returned on every call.
     *
     * <ul>
     *   <li>{@code schedule(task, delay, unit)} queues the task due at now + delay; a delay of zero
     *       or less means due now, still queued and not run inline. {@code execute} and
     *       {@code submit} are {@code schedule} with delay zero.
     *   <li>{@code scheduleAtFixedRate} re-queues at the previous due time plus the period,
     *       {@code scheduleWithFixedDelay} at the end of the run plus the delay (the same, as the
     *       clock does not move during a run). A run that throws ends the series, and its future
     *       completes with the exception.
     *   <li>The returned futures: a task's exception is captured in its future, never thrown
     *       from {@code advance}; {@code cancel} removes the task, which then never runs;
     *       {@code getDelay} is relative to virtual now. {@code get()} of a task that has not run
     *       throws {@link IllegalStateException} ("task not run yet; advance virtual time") rather
     *       than block forever; it waits only for a one-shot task running on another thread.
     *       {@code get(timeout, unit)} waits up to {@code timeout} of real time for another thread
     *       to run the task, then throws {@link TimeoutException}.
     *   <li>{@code shutdown} rejects new tasks with {@link RejectedExecutionException}, cancels
     *       periodic tasks and keeps queued one-shot tasks (they still run when time is
     *       advanced), like {@link java.util.concurrent.ScheduledThreadPoolExecutor}'s defaults.
     *       {@code shutdownNow} cancels every queued task and returns them. {@code isTerminated}
     *       is true once shut down with nothing queued or running, and {@code awaitTermination}
     *       never waits: it returns {@code isTerminated()} at once (true unless tasks are left).
     *   <li>{@code invokeAll} and {@code invokeAny} throw {@link UnsupportedOperationException}:
     *       they block until tasks finish, which cannot happen while the caller waits.
     * </ul>
     */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Virtual now: the start plus every advance so far. */
    public Instant now() {
        return start.plusNanos(nowNanos);
    }

    /** The due time of the earliest queued task, or empty if none is queued. */
    public Optional<Instant> nextDueTime() {
        synchronized (lock) {
            VirtualTask<?> next = queue.peek();
            return next == null ? Optional.empty() : Optional.of(start.plusNanos(next.due));
        }
    }

    /** The number of queued tasks, due or not (cancelled tasks are removed at once). */
    public int pendingTasks() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /**
     * Moves virtual time forward by {@code duration}, running every task due on the way, in
     * due-time order (ties in queue order), each with the clock set to its due time; tasks those
     * tasks schedule run too if they fall due within the window. Afterwards the clock reads the
     * time before the call plus {@code duration} exactly. Tasks' exceptions go to their futures.
     *
     * <pre>{@code
     * vt.scheduler().schedule(task, 2, TimeUnit.SECONDS);
     * vt.advance(Duration.ofSeconds(2)); // task has run
     * }</pre>
     *
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if called from a task this virtual time is running
     */
    public void advance(Duration duration) {
        long nanos = nonNegativeNanos(duration, "duration");
        enterDriver();
        try {
            long limit = saturatedAdd(nowNanos, nanos);
            while (runNext(limit)) {
                // keep going until nothing is due within the window
            }
            moveTo(limit);
        } finally {
            driver.unlock();
        }
    }

    /**
     * Runs every task due at virtual now, including zero-delay tasks scheduled meanwhile,
     * without moving time. The same as {@code advance(Duration.ZERO)}.
     *
     * @throws IllegalStateException if called from a task this virtual time is running
     */
    public void runDueTasks() {
        advance(Duration.ZERO);
    }

    /**
     * Runs tasks one at a time in due order, moving the clock to each one's due time, until
     * {@code condition} holds or no task is due within {@code max}; in the latter case time moves
     * to now + {@code max}. The condition is checked before the first task and after each one,
     * so it returns at once if it already holds, and other tasks due at the same instant as the
     * last one run may remain queued ({@link #runDueTasks()} runs them).
     *
     * <pre>{@code
     * Duration waited = vt.advanceUntil(future::isDone, Duration.ofMinutes(1));
     * }</pre>
     *
     * @return the virtual time that passed: at most {@code max}, exactly {@code max} if the
     *     condition never held
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code max} is negative
     * @throws IllegalStateException if called from a task this virtual time is running
     */
    public Duration advanceUntil(BooleanSupplier condition, Duration max) {
        Objects.requireNonNull(condition, "condition");
        long maxNanos = nonNegativeNanos(max, "max");
        enterDriver();
        try {
            long from = nowNanos;
            long limit = saturatedAdd(from, maxNanos);
            while (!condition.getAsBoolean()) {
                if (!runNext(limit)) {
                    moveTo(limit);
                    break;
                }
            }
            return Duration.ofNanos(nowNanos - from);
        } finally {
            driver.unlock();
        }
    }

    @Override
    public String toString() {
        return "VirtualTime[now=" + now() + ", pending=" + pendingTasks() + "]";
    }

    private void enterDriver() {
        if (driver.isHeldByCurrentThread()) {
            throw new IllegalStateException("virtual time cannot be advanced from a task it is running");
        }
        driver.lock();
    }

    /** Runs the earliest task if it is due by {@code limit}; false if there is none. */
    private boolean runNext(long limit) {
        VirtualTask<?> task;
        synchronized (lock) {
            task = queue.peek();
            if (task == null || task.due > limit) {
                return false;
            }
            queue.poll();
            if (task.due > nowNanos) {
                nowNanos = task.due;
            }
            running++;
        }
        try {
            task.runOnce();
        } finally {
            synchronized (lock) {
                running--;
            }
        }
        return true;
    }

    private void moveTo(long target) {
        synchronized (lock) {
            if (target > nowNanos) {
                nowNanos = target;
            }
        }
    }

    private <V> VirtualTask<V> enqueue(VirtualTask<V> task, long delayNanos) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("virtual time scheduler is shut down");
            }
            task.due = saturatedAdd(nowNanos, Math.max(0, delayNanos));
            task.seq = nextSeq++;
            queue.add(task);
        }
        return task;
    }

    /** Queues the next run of a periodic task that just ran, unless shut down or cancelled. */
    private void requeue(VirtualTask<?> task) {
        synchronized (lock) {
            if (!shutdown && !task.isCancelled()) {
                long base = task.fixedRate ? task.due : nowNanos;
                task.due = saturatedAdd(base, task.periodNanos);
                task.seq = nextSeq++;
                queue.add(task);
                return;
            }
        }
        task.cancel(false);
    }

    private void remove(VirtualTask<?> task) {
        synchronized (lock) {
            queue.remove(task);
        }
    }

    private static long nonNegativeNanos(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long base, long nonNegative) {
        long sum = base + nonNegative;
        return sum < base ? Long.MAX_VALUE : sum;
    }

    /** A queued task and its future. */
    private final class VirtualTask<V> extends FutureTask<V> implements ScheduledFuture<V> {

        /** Zero for a one-shot task, else the period or delay between runs. */
        final long periodNanos;
        final boolean fixedRate;
        /** Set under {@link #lock} while the task is not queued. */
        volatile long due;
        volatile long seq;
        private volatile Thread runningOn;

        VirtualTask(Callable<V> callable) {
            super(callable);
            this.periodNanos = 0;
            this.fixedRate = false;
        }

        VirtualTask(Runnable runnable, V result, long periodNanos, boolean fixedRate) {
            super(runnable, result);
            this.periodNanos = periodNanos;
            this.fixedRate = fixedRate;
        }

        void runOnce() {
            Thread self = Thread.currentThread();
            boolean interruptedBefore = self.isInterrupted();
            runningOn = self;
            try {
                if (periodNanos == 0) {
                    run();
                } else if (runAndReset()) {
                    requeue(this);
                }
            } finally {
                runningOn = null;
                if (!interruptedBefore && isCancelled()) {
                    Thread.interrupted(); // an interrupt from cancel(true) was meant for this task only
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                remove(this);
            }
            return cancelled;
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            if (!isDone()) {
                Thread r = runningOn;
                if (periodNanos != 0 || r == null || r == Thread.currentThread()) {
                    throw new IllegalStateException("task not run yet; advance virtual time");
                }
            }
            return super.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            Objects.requireNonNull(unit, "unit");
            if (!isDone() && driver.isHeldByCurrentThread()) {
                throw new TimeoutException("task not run yet; virtual time cannot move while its driver waits");
            }
            return super.get(timeout, unit);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other == this) {
                return 0;
            }
            if (other instanceof VirtualTask<?> task) {
                int byDue = Long.compare(due, task.due);
                return byDue != 0 ? byDue : Long.compare(seq, task.seq);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    /** The scheduler view: queues tasks, never runs them itself. */
    private final class VirtualScheduler implements ScheduledExecutorService {

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(unit, "unit");
            return enqueue(new VirtualTask<Void>(command, null, 0, false), unit.toNanos(delay));
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            Objects.requireNonNull(callable, "callable");
            Objects.requireNonNull(unit, "unit");
            return enqueue(new VirtualTask<>(callable), unit.toNanos(delay));
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
                TimeUnit unit) {
            return schedulePeriodic(command, initialDelay, period, unit, true);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                TimeUnit unit) {
            return schedulePeriodic(command, initialDelay, delay, unit, false);
        }

        private ScheduledFuture<?> schedulePeriodic(Runnable command, long initialDelay, long period,
                TimeUnit unit, boolean fixedRate) {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(unit, "unit");
            if (period <= 0) {
                throw new IllegalArgumentException("period must be positive, was " + period + " " + unit);
            }
            return enqueue(new VirtualTask<Void>(command, null, unit.toNanos(period), fixedRate),
                    unit.toNanos(initialDelay));
        }

        @Override
        public void execute(Runnable command) {
            schedule(command, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return schedule(task, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            Objects.requireNonNull(task, "task");
            return enqueue(new VirtualTask<>(task, result, 0, false), 0);
        }

        @Override
        public Future<?> submit(Runnable task) {
            return schedule(task, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public void shutdown() {
            List<VirtualTask<?>> periodic = new ArrayList<>();
            synchronized (lock) {
                shutdown = true;
                for (VirtualTask<?> task : queue) {
                    if (task.periodNanos != 0) {
                        periodic.add(task);
                    }
                }
            }
            periodic.forEach(task -> task.cancel(false));
        }

        @Override
        public List<Runnable> shutdownNow() {
            List<VirtualTask<?>> pending;
            synchronized (lock) {
                shutdown = true;
                pending = new ArrayList<>(queue);
                queue.clear();
            }
            pending.forEach(task -> task.cancel(false));
            return new ArrayList<>(pending);
        }

        @Override
        public boolean isShutdown() {
            synchronized (lock) {
                return shutdown;
            }
        }

        @Override
        public boolean isTerminated() {
            synchronized (lock) {
                return shutdown && queue.isEmpty() && running == 0;
            }
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            Objects.requireNonNull(unit, "unit");
            return isTerminated();
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
            throw blocking("invokeAll");
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
                TimeUnit unit) {
            throw blocking("invokeAll");
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
            throw blocking("invokeAny");
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
            throw blocking("invokeAny");
        }

        private UnsupportedOperationException blocking(String method) {
            return new UnsupportedOperationException(method
                    + " would block until tasks run, which needs virtual time to be advanced; use submit");
        }

        @Override
        public String toString() {
            return "VirtualTime.scheduler[now=" + now() + "]";
        }
    }

    /** A clock reading virtual now, in a given zone. */
    private static final class VirtualClock extends Clock {

        private final VirtualTime time;
        private final ZoneId zone;

        VirtualClock(VirtualTime time, ZoneId zone) {
            this.time = time;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            Objects.requireNonNull(zone, "zone");
            return zone.equals(this.zone) ? this : new VirtualClock(time, zone);
        }

        @Override
        public Instant instant() {
            return time.now();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VirtualClock other && other.time == time && other.zone.equals(zone);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(time) * 31 + zone.hashCode();
        }

        @Override
        public String toString() {
            return "VirtualClock[" + time.now() + ", " + zone + "]";
        }
    }
}
