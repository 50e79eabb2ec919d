package io.llmrouter.proxy.internal;

import io.llmrouter.api.chat.CacheInfo;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.proxy.store.SpendEntry;
import io.llmrouter.proxy.store.SpendLog;
import io.llmrouter.proxy.store.SpendStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Writes each call to the spend log (asynchronously: the log never blocks the request) and counts its tokens. */
final class SpendRecorder {

    private final SpendLog log;
    private final KeyLimits limits;

    SpendRecorder(SpendLog log, KeyLimits limits) {
        this.log = log;
        this.limits = limits;
    }

    /** One call's facts, gathered while it runs. */
    static final class Call {
        final Caller caller;
        final String model;
        final String callType;
        final String user;
        final Instant start;
        final long startNanos;

        Call(Caller caller, String model, String callType, Optional<String> requestUser, Instant start) {
            this.caller = caller;
            this.model = model;
            this.callType = callType;
            this.user = caller.key() != null && caller.key().userId().isPresent() ? caller.key().userId().get()
                    : requestUser.orElse(null);
            this.start = start;
            this.startNanos = System.nanoTime();
        }
    }

    void success(Call call, Optional<Usage> usage, Cost cost, Optional<RoutingInfo> routing,
            Optional<CacheInfo> cache) {
        Usage u = usage.orElse(Usage.ZERO);
        SpendEntry.Builder b = entry(call, routing.map(RoutingInfo::modelGroup).orElse(call.model))
                .promptTokens(u.promptTokens())
                .completionTokens(u.completionTokens())
                .totalTokens(u.totalTokens())
                .cost(cost.totalUsd().orElse(BigDecimal.ZERO))
                .status(SpendStatus.SUCCESS)
                .cached(cache.isPresent());
        routing.ifPresent(r -> {
            b.deploymentId(r.deploymentId());
            provider(r.providerRoute()).ifPresent(b::provider);
        });
        log.record(b.build());
        if (call.caller.key() != null) {
            limits.addTokens(call.caller.key(), u.totalTokens());
        }
    }

    void failure(Call call, Throwable e) {
        SpendEntry.Builder b = entry(call, call.model).status(SpendStatus.FAILURE).cost(BigDecimal.ZERO);
        if (e instanceof LlmRouterException r) {
            r.deploymentId().ifPresent(b::deploymentId);
            r.provider().ifPresent(b::provider);
        }
        log.record(b.build());
    }

    /**
     * A random version-4 UUID from the thread's generator: {@code UUID.randomUUID()} draws from one
     * shared {@code SecureRandom} whose lock held 13 of 70 request threads in the 64-client load test;
     * an id needs to be unique, not unpredictable.
     */
    static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private SpendEntry.Builder entry(Call call, String group) {
        SpendEntry.Builder b = SpendEntry.builder(requestId(), call.start, group)
                .latency(Duration.ofNanos(System.nanoTime() - call.startNanos))
                .callType(call.callType);
        if (call.caller.key() != null) {
            b.tokenHash(call.caller.key().tokenHash());
            call.caller.key().teamId().ifPresent(b::teamId);
        }
        if (call.user != null) {
            b.userId(call.user);
        }
        return b;
    }

    private static Optional<String> provider(String route) {
        int slash = route.indexOf('/');
        return slash > 0 ? Optional.of(route.substring(0, slash)) : Optional.empty();
    }
}
