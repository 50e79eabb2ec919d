package io.llmrouter.internal;

import java.time.Clock;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests of one model group that found no capacity (every deployment they may use at its
 * max parallel requests, or over its rpm/tpm limit) and wait for it: higher priority (lower
 * number) first, first come first within a priority, and the longest-waiting request goes next
 * once {@code maxOvertakes} later ones got capacity from the queue while it was the longest
 * waiting (so no request starves). Bounded: a full queue refuses a newcomer.
 *
 * <p>Capacity returning (a call slot freed, the rpm/tpm minute rolling over) wakes one waiter on
 * the wake executor; a woken waiter selects again and, when it got capacity, wakes the next (there
 * may be more), else queues again in its old place. Nothing polls.
 *
 * <p>The queue takes its lock only on the waiting path; {@link #capacityReturned()} with nobody
 * waiting is one atomic increment and one volatile read.
 */
final class WaitQueue {

    /** One waiting request: its place (priority, arrival) and what runs when it is woken. */
    static final class Waiter {
        /** The queue it waits in. */
        final WaitQueue queue;
        final int priority;
        /** Arrival number, 0 until first queued; kept when the waiter queues again. */
        long seq;
        /** How many later waiters got capacity while this one was the longest waiting. */
        int overtakes;
        /** Runs on the wake executor when it is this waiter's turn. */
        volatile Runnable wake;
        /** Whether it is in the queue (guarded by the queue's lock). */
        boolean queued;
        /** Whether it counts against the bound: queued, or woken and selecting (guarded by the queue's lock). */
        boolean member;

        Waiter(WaitQueue queue, int priority) {
            this.queue = queue;
            this.priority = priority;
        }
    }

    private static final Comparator<Waiter> BY_PRIORITY =
            Comparator.<Waiter>comparingInt(w -> w.priority).thenComparingLong(w -> w.seq);
    private static final Comparator<Waiter> BY_ARRIVAL = Comparator.comparingLong(w -> w.seq);

    private final Executor wakeExecutor;
    private final TreeSet<Waiter> byPriority = new TreeSet<>(BY_PRIORITY);
    private final TreeSet<Waiter> byArrival = new TreeSet<>(BY_ARRIVAL);
    private long nextSeq = 1;
    /** Waiters in the queue (not those woken). */
    private volatile int size;
    /** Waiters queued or woken and selecting again: what the bound counts. */
    private volatile int members;
    private volatile int maxOvertakes = Integer.MAX_VALUE;
    /** Bumped whenever capacity returns: a waiter compares it with its read before selection. */
    private final AtomicLong capacityEvents = new AtomicLong();
    /** The minute boundary (epoch millis) a wake-up is scheduled for, or 0. */
    private final AtomicLong wakeAtMillis = new AtomicLong();

    WaitQueue(Executor wakeExecutor) {
        this.wakeExecutor = wakeExecutor;
    }

    /** How many times capacity returned so far (read before a selection, see {@link #enqueue}). */
    long capacityEvents() {
        return capacityEvents.get();
    }

    /** How many requests wait in the queue (not counting those woken and selecting again). */
    int size() {
        return size;
    }

    /** How many requests wait, counting those woken and selecting again. */
    int members() {
        return members;
    }

    /**
     * Queues {@code waiter} (a new one at the back of its priority, one that queues again in its
     * old place); wakes the first waiter at once when capacity returned since {@code eventsBefore}
     * (the {@link #capacityEvents()} read before the selection that found none), so that a return in
     * between is not missed.
     *
     * @param maxQueued the most waiters; a new waiter beyond it is refused (one queuing again never is)
     * @param maxOvertakes how many waiters may be woken ahead of the longest-waiting one
     * @return false when the queue is full (the waiter is not queued)
     */
    boolean enqueue(Waiter waiter, long eventsBefore, int maxQueued, int maxOvertakes) {
        this.maxOvertakes = maxOvertakes;
        synchronized (this) {
            if (!waiter.member) {
                if (members >= maxQueued) {
                    return false;
                }
                waiter.member = true;
                members++;
                waiter.seq = nextSeq++;
                waiter.overtakes = 0;
            }
            if (!waiter.queued) {
                waiter.queued = true;
                byPriority.add(waiter);
                byArrival.add(waiter);
                size++;
            }
        }
        if (capacityEvents.get() != eventsBefore) {
            wakeNext();
        }
        return true;
    }

    /**
     * {@code waiter} leaves the queue for good, if it is in it or was woken from it (its request
     * ended, or it goes on without waiting again); a later wait queues it anew.
     */
    void leave(Waiter waiter) {
        synchronized (this) {
            if (waiter.queued) {
                waiter.queued = false;
                byPriority.remove(waiter);
                byArrival.remove(waiter);
                size--;
            }
            if (waiter.member) {
                waiter.member = false;
                members--;
            }
        }
    }

    /** A woken waiter goes on without capacity and without waiting again: it leaves, and the next goes on. */
    void leaveAndWakeNext(Waiter waiter) {
        leave(waiter);
        wakeNext();
    }

    /** Capacity returned (a call slot freed, a minute rolled over): the next waiter, if any, goes on. */
    void capacityReturned() {
        capacityEvents.incrementAndGet();
        wakeNext();
    }

    /**
     * A woken waiter got capacity: the longest-waiting request, if it came before {@code served},
     * counts one overtake; then the next waiter is woken (there may be more capacity).
     */
    void passTurn(Waiter served) {
        synchronized (this) {
            leave(served);
            if (!byArrival.isEmpty()) {
                Waiter oldest = byArrival.first();
                if (oldest.seq < served.seq) {
                    oldest.overtakes++;
                }
            }
        }
        wakeNext();
    }

    /** Wakes the waiter whose turn it is, if any. */
    void wakeNext() {
        if (size == 0) {
            return;
        }
        Waiter next = poll();
        if (next != null) {
            wakeExecutor.execute(next.wake);
        }
    }

    /** Wakes every waiter (the group was retired by a live change: each selects again in its successor). */
    void wakeAll() {
        for (Waiter next = poll(); next != null; next = poll()) {
            wakeExecutor.execute(next.wake);
        }
    }

    /** The waiter whose turn it is, taken out of the queue; null when none waits. */
    synchronized Waiter poll() {
        if (byPriority.isEmpty()) {
            return null;
        }
        Waiter oldest = byArrival.first();
        Waiter chosen = oldest.overtakes >= maxOvertakes ? oldest : byPriority.first();
        chosen.queued = false;
        byPriority.remove(chosen);
        byArrival.remove(chosen);
        size--;
        return chosen;
    }

    /**
     * Makes sure a wake-up is scheduled at {@code atMillis} (a minute boundary, router clock), when
     * rpm/tpm capacity returns; one timer per boundary however many wait. A timer that fires
     * before the clock reached the boundary waits for the rest.
     */
    void wakeAt(long atMillis, Clock clock, ScheduledExecutorService scheduler) {
        long current = wakeAtMillis.get();
        if (current >= atMillis || !wakeAtMillis.compareAndSet(current, atMillis)) {
            return;
        }
        schedule(atMillis, clock, scheduler);
    }

    private void schedule(long atMillis, Clock clock, ScheduledExecutorService scheduler) {
        long delay = Math.max(0, atMillis - clock.millis());
        scheduler.schedule(() -> {
            if (clock.millis() < atMillis) {
                schedule(atMillis, clock, scheduler);
            } else {
                capacityReturned();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }
}
