package io.llmrouter.redis;

import io.llmrouter.Router;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetPeriod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One router instance in its own JVM, for {@link TwoJvmFleetTest}: args are the Redis port, the key
 * prefix, and the number of $1 calls to make against a $25 fleet budget; prints
 * {@code answered=N refused=M}.
 */
public final class FleetChild {

    private FleetChild() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String prefix = args[1];
        int calls = Integer.parseInt(args[2]);
        int answered = 0;
        int refused = 0;
        try (RedisStateStore store = RedisStateStore.builder().port(port).keyPrefix(prefix).build();
                Router router = Fleet.router(store)
                        .budget(Budget.global().limitUsd("25").period(BudgetPeriod.DAILY).build())
                        .deployment(Fleet.deployment("d", Fleet.oneTokenReplies("ok"), Fleet.DOLLAR_PER_TOKEN).build())
                        .build()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                results.add(pool.submit(() -> router.completion(Fleet.ask())));
            }
            for (Future<?> f : results) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                    answered++;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof BudgetExceededException)) {
                        throw e;
                    }
                    refused++;
                }
            }
            pool.shutdown();
        }
        System.out.println("answered=" + answered + " refused=" + refused);
    }
}
