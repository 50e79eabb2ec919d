package io.llmrouter;

import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** A provider that answers each call with a random outcome from a seeded source: every fault a vendor can throw. */
final class ChaosProvider implements Provider {

    private final SplittableRandom seeds;
    private final Executor completer;
    private final double successRate;
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * @param seed the seed
     * @param completer where to complete futures (a direct executor for virtual time, a pool for real concurrency)
     * @param successRate the share of calls that succeed
     */
    ChaosProvider(long seed, Executor completer, double successRate) {
        this.seeds = new SplittableRandom(seed);
        this.completer = completer;
        this.successRate = successRate;
    }

    int calls() {
        return calls.get();
    }

    @Override
    public String name() {
        return "chaos";
    }

    @Override
    public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
        calls.incrementAndGet();
        SplittableRandom random;
        synchronized (seeds) {
            random = seeds.split();
        }
        ErrorContext ctx = ErrorContext.builder().provider("chaos").deploymentId(call.deploymentId())
                .model(call.providerModel()).build();
        if (random.nextDouble() < successRate) {
            ChatResponse ok = ChatResponse.builder().id("chaos-" + calls.get()).model(call.providerModel())
                    .addChoice(Choice.of(0, Message.assistant("ok from " + call.deploymentId()), FinishReason.STOP))
                    .usage(Usage.of(10, 5)).build();
            return CompletableFuture.supplyAsync(() -> ok, completer);
        }
        int fault = random.nextInt(12);
        if (fault == 0) {
            return new CompletableFuture<>(); // never answers: the per-call timeout or the deadline ends it
        }
        LlmRouterException error = switch (fault) {
            case 1 -> LlmRouterException.ofStatus(429, "rate limited", ctx, Duration.ofMillis(random.nextInt(1, 3000)));
            case 2 -> LlmRouterException.ofStatus(429, "rate limited", ctx, null);
            case 3 -> LlmRouterException.ofStatus(500, "server error", ctx, null);
            case 4 -> LlmRouterException.ofStatus(503, "overloaded", ctx, null);
            case 5 -> LlmRouterException.ofStatus(401, "bad key", ctx, null);
            case 6 -> LlmRouterException.ofStatus(404, "no such model", ctx, null);
            case 7 -> LlmRouterException.ofStatus(400, "bad request", ctx, null);
            case 8 -> new ContextWindowExceededException("too long", ctx);
            case 9 -> new ContentPolicyViolationException("flagged", ctx);
            case 10 -> new ProviderConnectionException("connection reset", ctx);
            default -> new InvalidProviderResponseException("truncated JSON", ctx);
        };
        if (random.nextBoolean()) {
            return CompletableFuture.failedFuture(error);
        }
        return CompletableFuture.supplyAsync(() -> {
            throw error;
        }, completer);
    }
}
