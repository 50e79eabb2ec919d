package io.llmrouter.internal;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
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
 * backoff, on the scheduler) use the asynchronous call, so no scheduler thread ever blocks. A
 * synchronous call's time limit is cut to what is left of the request's deadline plus
 * {@link #DEADLINE_GRACE}, so the caller is never held much past it.
 */
final class CallerThreadChatOperation implements Operation<ChatRequest, ChatResponse> {

    /** How far past the deadline a synchronous call may run before its own timeout ends it. */
    static final Duration DEADLINE_GRACE = Duration.ofMillis(50);

    private final Thread caller;
    private final Clock clock;
    private final Instant deadlineAt;

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
            // A little past the deadline, so the router's deadline timer (which records the attempt
            // and ends the request with the deadline's error) fires first; the caller is released
            // at most DEADLINE_GRACE late.
            Duration left = Duration.between(clock.instant(), deadlineAt).plus(DEADLINE_GRACE);
            if (left.compareTo(endpoint.timeout()) < 0) {
                e = endpoint.toBuilder().timeout(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left)
                        .build();
            }
        }
        try {
            return CompletableFuture.completedFuture(provider.complete(ProviderCall.of(forProvider, e)));
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
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
