package io.llmrouter.examples;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.redis.RedisStateStore;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.testing.FakeProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two routers (two "pods") on one local redis-server act as one: a $3 budget holds for both, and a
 * deployment one of them sees rate limited is skipped by the other.
 *
 * <p>Run it with {@code mvn -q -DskipTests install && mvn -q -pl router-examples exec:java
 * -Dexec.mainClass=io.llmrouter.examples.FleetExample}; it uses the Redis on the port in
 * {@code LLMROUTER_REDIS_PORT} (environment or system property), or starts {@code redis-server}
 * itself on a free port and stops it at the end.
 */
public final class FleetExample {

    /** $1 per output token: each call of this example costs exactly $1. */
    private static final ModelPrice PRICE = ModelPrice.builder().inputPerMillion("0").outputPerMillion("1000000")
            .build();

    private FleetExample() {
    }

    /**
     * Runs the two routers, prints what each does, and exits.
     *
     * @param args ignored
     * @throws Exception if redis-server cannot be started
     */
    public static void main(String[] args) throws Exception {
        String given = System.getProperty("LLMROUTER_REDIS_PORT", System.getenv("LLMROUTER_REDIS_PORT"));
        Process ownRedis = null;
        int port;
        if (given != null && !given.isBlank()) {
            port = Integer.parseInt(given.trim());
        } else {
            port = freePort();
            ownRedis = startRedis(port);
        }
        try {
            run(port);
        } finally {
            if (ownRedis != null) {
                ownRedis.destroy();
                ownRedis.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(int port) throws Exception {
        String prefix = "fleet-example-" + System.nanoTime(); // a fresh budget for each run
        CountDownLatch eastCooledOnB = new CountDownLatch(1);
        try (RedisStateStore storeA = RedisStateStore.builder().port(port).keyPrefix(prefix).build();
                RedisStateStore storeB = RedisStateStore.builder().port(port).keyPrefix(prefix).build();
                Router podA = pod(storeA, FakeProvider.failingWith(429, Duration.ofSeconds(60)), new RouterListener() { });
                Router podB = pod(storeB, FakeProvider.builder().usage(Usage.of(5, 1)).reply("east").build(),
                        new RouterListener() {
                            @Override
                            public void onCooldownStart(String deploymentId, String modelGroup, Instant until,
                                    LlmRouterException cause) {
                                eastCooledOnB.countDown();
                            }
                        })) {
            System.out.println("store: " + storeA);
            // Pod A's call meets a 429 on 'east' and falls over to 'west'; pod B hears of the cooldown.
            System.out.println("pod A answered by: " + podA.completion(ask()).text());
            eastCooledOnB.await(10, TimeUnit.SECONDS); // one pub/sub round trip: milliseconds
            System.out.println("pod B sees 'east' as: " + podB.deploymentStatuses().get(0).state());
            System.out.println("pod B answered by: " + podB.completion(ask()).text());
            System.out.println("pod B answered by: " + podB.completion(ask()).text());
            try {
                podA.completion(ask());
                System.out.println("pod A: the budget allowed a fourth dollar (unexpected)");
            } catch (BudgetExceededException e) {
                System.out.println("pod A refused: " + e.getMessage());
            }
            storeB.flush().toCompletableFuture().get(5, TimeUnit.SECONDS); // B's writes are asynchronous
            storeA.flush().toCompletableFuture().get(5, TimeUnit.SECONDS); // and A reads the totals back
            System.out.println("fleet spend seen by pod A: $" + podA.spend().total().toPlainString());
        }
    }

    /** One pod: deployments 'east' (given; tried first) and 'west' of one group, and the fleet's $3 daily budget. */
    private static Router pod(RedisStateStore store, FakeProvider east, RouterListener listener) {
        return Router.builder().stateStore(store).listener(listener)
                .retryPolicy(r -> r.backoff(Duration.ZERO, Duration.ZERO))
                .budget(Budget.global().limitUsd("3").period(BudgetPeriod.DAILY).build())
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("east").order(0).price(PRICE).provider(east)
                        .build())
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("west").order(1).price(PRICE)
                        .provider(FakeProvider.builder().usage(Usage.of(5, 1)).reply("west").build()).build())
                .build();
    }

    private static ChatRequest ask() {
        return ChatRequest.builder("gpt-4o").addMessage(Message.user("hello")).maxTokens(1).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Process startRedis(int port) throws Exception {
        Process p = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", System.getProperty("java.io.tmpdir")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port);
    }
}
