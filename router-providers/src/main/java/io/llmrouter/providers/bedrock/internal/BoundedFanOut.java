package io.llmrouter.providers.bedrock.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Runs asynchronous calls with at most {@code parallelism} in flight and gathers their values in
 * order, without blocking: each completion starts the next call. The first failure fails the
 * whole (with that exception, unwrapped) and cancels the calls still in flight; cancelling the
 * returned future does the same. Calls not started yet are never started.
 */
public final class BoundedFanOut {

    private BoundedFanOut() {
    }

    /**
     * Starts the calls.
     *
     * @param calls each starts one call when asked (on the thread completing the previous one)
     * @param parallelism the most calls in flight, at least 1
     * @param <T> the value type
     * @return the values in the order of {@code calls}
     */
    public static <T> CompletableFuture<List<T>> run(List<Supplier<CompletableFuture<T>>> calls, int parallelism) {
        Objects.requireNonNull(calls, "calls");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        return new Run<>(List.copyOf(calls)).start(parallelism);
    }

    private static final class Run<T> {
        private final List<Supplier<CompletableFuture<T>>> calls;
        private final AtomicReferenceArray<T> values;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final Set<CompletableFuture<T>> inFlight = ConcurrentHashMap.newKeySet();
        private final CompletableFuture<List<T>> result = new CompletableFuture<>();

        Run(List<Supplier<CompletableFuture<T>>> calls) {
            this.calls = calls;
            this.values = new AtomicReferenceArray<>(calls.size());
        }

        CompletableFuture<List<T>> start(int parallelism) {
            if (calls.isEmpty()) {
                result.complete(List.of());
                return result;
            }
            result.whenComplete((v, e) -> {
                if (e != null) {
                    inFlight.forEach(f -> f.cancel(true));
                }
            });
            for (int k = 0; k < Math.min(parallelism, calls.size()); k++) {
                launchNext();
            }
            return result;
        }

        private void launchNext() {
            int i = next.getAndIncrement();
            if (i >= calls.size() || result.isDone()) {
                return;
            }
            CompletableFuture<T> call;
            try {
                call = Objects.requireNonNull(calls.get(i).get(), "call");
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            inFlight.add(call);
            if (result.isDone()) {
                call.cancel(true);
            }
            call.whenComplete((value, error) -> {
                inFlight.remove(call);
                if (error != null) {
                    result.completeExceptionally(unwrap(error));
                    return;
                }
                values.set(i, value);
                if (done.incrementAndGet() == calls.size()) {
                    List<T> all = new ArrayList<>(calls.size());
                    for (int k = 0; k < calls.size(); k++) {
                        all.add(values.get(k));
                    }
                    result.complete(all);
                } else {
                    launchNext();
                }
            });
        }

        private static Throwable unwrap(Throwable t) {
            return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        }
    }
}
