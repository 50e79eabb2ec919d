package io.llmrouter.spi;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets the router stop a provider's synchronous {@link Provider#complete} from another thread:
 * when the request's deadline passes, the router is closed, or the waiting thread is interrupted.
 * An adapter registers what cancels its HTTP call with {@link #onCancel(Runnable)} before it
 * blocks; the router calls {@link #cancel()}. Asynchronous calls need none of this: the router
 * cancels their future.
 *
 * <pre>{@code
 * Call http = client.newCall(request);
 * call.cancellation().onCancel(http::cancel);   // runs at once if already cancelled
 * try (Response response = http.execute()) { ... }
 * }</pre>
 *
 * <p>Thread-safe. One cancel action per signal (a later {@code onCancel} replaces an earlier one
 * that has not run); the action runs at most once, on the thread that cancels (or on the
 * registering thread, when the signal was already cancelled).
 *
 * @since 0.1.0
 */
public final class CallCancellation {

    private static final Runnable CANCELLED = () -> { };
    private static final Runnable ARMED = () -> { };
    private static final CallCancellation NEVER = new CallCancellation(false);

    private final AtomicReference<Runnable> action;

    private CallCancellation(boolean cancellable) {
        this.action = cancellable ? new AtomicReference<>(ARMED) : null;
    }

    /**
     * A new signal, not cancelled.
     *
     * @return the signal
     */
    public static CallCancellation create() {
        return new CallCancellation(true);
    }

    /**
     * The signal of a call nobody will cancel: {@link #cancel()} does nothing.
     *
     * @return the shared signal
     */
    public static CallCancellation never() {
        return NEVER;
    }

    /**
     * Registers what cancels the call; runs it at once when the signal is already cancelled.
     *
     * @param cancel cancels the call (e.g. OkHttp's {@code Call::cancel}); must be quick and not throw
     * @throws NullPointerException if {@code cancel} is null
     */
    public void onCancel(Runnable cancel) {
        java.util.Objects.requireNonNull(cancel, "cancel");
        if (action == null) {
            return;
        }
        Runnable current = action.get();
        while (current != CANCELLED) {
            if (action.compareAndSet(current, cancel)) {
                return;
            }
            current = action.get();
        }
        cancel.run();
    }

    /** Cancels the call: runs its registered action, once. Idempotent. */
    public void cancel() {
        if (action == null) {
            return;
        }
        Runnable registered = action.getAndSet(CANCELLED);
        if (registered != CANCELLED && registered != ARMED) {
            registered.run();
        }
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return action != null && action.get() == CANCELLED;
    }

    @Override
    public String toString() {
        return action == null ? "CallCancellation[never]" : "CallCancellation[cancelled=" + isCancelled() + "]";
    }
}
