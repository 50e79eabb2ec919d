package io.llmrouter.redis;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the fleet tests share: prices that make a call's estimate its exact cost, requests, waiting. */
final class Fleet {

    /** $1 per output token, input free: a call of {@code maxTokens(1)} answering one token costs exactly $1. */
    static final ModelPrice DOLLAR_PER_TOKEN = ModelPrice.builder().inputPerMillion("0").outputPerMillion("1000000")
            .build();
    /** $0.001 per output token, input free. */
    static final ModelPrice MILLI_PER_TOKEN = ModelPrice.builder().inputPerMillion("0").outputPerMillion("1000")
            .build();

    private Fleet() {
    }

    static FakeProvider oneTokenReplies(String text) {
        return FakeProvider.builder().usage(Usage.of(5, 1)).reply(text).maxRecordedCalls(0).build();
    }

    static Deployment.Builder deployment(String id, FakeProvider provider, ModelPrice price) {
        return Deployment.builder("g", "openai/m").id(id).provider(provider).price(price);
    }

    /** A request whose cost bound is one output token. */
    static ChatRequest ask() {
        return ChatRequest.builder("g").addMessage(Message.user("hello")).maxTokens(1).build();
    }

    static Router.Builder router(RedisStateStore store) {
        return Router.builder().stateStore(store);
    }

    /** Waits until {@code condition} holds, at most {@code timeout} (state that arrives over the network). */
    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
