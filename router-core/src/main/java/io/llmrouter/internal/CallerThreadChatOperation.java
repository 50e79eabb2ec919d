package io.llmrouter.internal;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.spi.CallCancellation;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Chat for the blocking {@code router.completion()}: an attempt that starts on the caller's thread
 * calls the provider's synchronous {@link Provider#complete} there (an adapter with a real
 * synchronous path saves two thread hand-offs per call); attempts that start elsewhere (after a
 * backoff, on the scheduler) use the asynchronous call, so no scheduler thread ever blocks.
 *
 * <p>The caller is never held past the request's end: a synchronous call's time limit is cut to
 * what is left of the deadline, and the call gets a {@link CallCancellation} that
 * {@link #cancelRunningCall()} (deadline timer, router close) fires from another thread. A caller
 * whose thread is interrupted gets a {@link RequestCancelledException} without any call being
 * sent; an interrupt during the call is the adapter's to honour (the bundled HTTP client's sockets
 * are interruptible).
 */
final class CallerThreadChatOperation implements Operation<ChatRequest, ChatResponse> {

    private final Thread caller;
    private final Clock clock;
    private final Instant deadlineAt;
    /** The signal of the synchronous call running now (or last run). */
    private volatile CallCancellation running = CallCancellation.never();
    /** Set once the request has ended: no synchronous call may start or go on. */
    private volatile boolean cancelled;

    /**
     * @param caller the thread that will wait for the answer
     * @param clock the router's clock
     * @param deadlineAt the request's deadline, or null
     */
    CallerThreadChatOperation(Thread caller, Clock clock, Instant deadlineAt) {
        this.caller = caller;
        this.clock = clock;
        this.deadlineAt = deadlineAt;
    }

    @Override
    public CompletableFuture<ChatResponse> call(Provider provider, ChatRequest request, Endpoint endpoint) {
        if (Thread.currentThread() != caller || !hasOwnSynchronousCall(provider)) {
            return CHAT.call(provider, request, endpoint);
        }
        ChatRequest forProvider = request.model().equals(endpoint.providerModel()) ? request
                : request.toBuilder().model(endpoint.providerModel()).build();
        Endpoint e = endpoint;
        if (deadlineAt != null) {
            // The call ends by the deadline itself; the router records a failure at the deadline as
            // the deadline's (Settlement.failed), whichever of the call's time limit and the
            // deadline timer fires first.
            Duration left = Duration.between(clock.instant(), deadlineAt);
            if (left.compareTo(endpoint.timeout()) < 0) {
                e = endpoint.toBuilder().timeout(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
                        .build();
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            return CompletableFuture.failedFuture(new RequestCancelledException(
                    "interrupted before calling deployment '" + endpoint.deploymentId() + "'",
                    ErrorContext.builder().deploymentId(endpoint.deploymentId()).model(endpoint.providerModel())
                            .build(), null));
        }
        CallCancellation signal = CallCancellation.create();
        running = signal;
        if (cancelled) {
            signal.cancel(); // the request ended while this attempt was being set up
        }
        try {
            return CompletableFuture.completedFuture(provider.complete(ProviderCall.of(forProvider, e, signal)));
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    @Override
    public void cancelRunningCall() {
        cancelled = true;
        running.cancel();
    }

    private static final ClassValue<Boolean> OWN_SYNC = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("complete", ProviderCall.class).getDeclaringClass() != Provider.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    /**
     * Whether the provider overrides {@link Provider#complete}: only a real synchronous call (which
     * honours the call's timeout itself) is worth making on the caller's thread; the default just
     * waits on the asynchronous one.
     */
    static boolean hasOwnSynchronousCall(Provider provider) {
        return OWN_SYNC.get(provider.getClass());
    }

    @Override
    public boolean boundsItsOwnTime(DeploymentState state) {
        return Thread.currentThread() == caller && hasOwnSynchronousCall(state.provider());
    }

    @Override
    public ChatResponse finish(ChatResponse response, Cost cost, RoutingInfo routing) {
        return CHAT.finish(response, cost, routing);
    }
}
