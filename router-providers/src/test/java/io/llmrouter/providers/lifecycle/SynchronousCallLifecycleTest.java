package io.llmrouter.providers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The blocking {@code router.completion()} makes its first HTTP call on the caller's thread
 * (OpenAI adapter, real OkHttp client): interrupts, close and the deadline must all end that call
 * at once (issue 16, lifecycle items 1, 4 and 5). The upstream never answers.
 */
class SynchronousCallLifecycleTest {

    /** Far longer than any wait below: a call ended by it would mean the fix did not work. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private FaultServer server;
    private Router router;
    private final ExecutorService callers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sync-lifecycle-caller");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() {
        server = FaultServer.openAi().then(Fault.noAnswer()).start();
        router = Router.builder().timeouts(timeouts -> timeouts.callTimeout(TIMEOUT)).retryPolicy(retry -> retry.numRetries(0))
                .deployment(Deployment.builder("g", "openai/gpt-4o-mini").id("d").apiBase(server.url())
                        .apiKey(Secret.of("sk-lifecycle-0123456789")).build())
                .build();
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        router.close();
        server.close();
    }

    private int inFlight() {
        return router.deploymentStatuses().stream().mapToInt(DeploymentStatus::inFlight).sum();
    }

    private void awaitCallArrived() throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.callCount() == 0 || inFlight() == 0) {
            assertThat(System.nanoTime()).as("the call reached the server").isLessThan(giveUp);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void givenCallerBlockedOnTheHttpCall_whenItsTaskIsCancelled_thenTheCallEndsAtOnceWithTheFlagSet() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        CountDownLatch ended = new CountDownLatch(1);
        Future<?> task = callers.submit(() -> {
            try {
                router.completion(ChatRequest.ofUser("g", "hello"));
            } catch (RuntimeException e) {
                thrown.set(e);
            } finally {
                flag.set(Thread.currentThread().isInterrupted());
                ended.countDown();
            }
        });
        awaitCallArrived();

        task.cancel(true);

        assertThat(ended.await(5, TimeUnit.SECONDS)).as("released well before the 60 s timeout").isTrue();
        assertThat(thrown.get()).isInstanceOf(RequestCancelledException.class);
        assertThat(flag.get()).isTrue();
        assertThat(inFlight()).isZero();
        assertThat(router.deploymentStatuses().get(0).state()).isEqualTo(DeploymentStatus.State.AVAILABLE);
    }

    @Test
    void givenCallerBlockedOnTheHttpCall_whenTheRouterIsClosed_thenItGetsRouterClosedAtOnce() throws Exception {
        Future<Throwable> caller = callers.submit(() -> {
            try {
                router.completion(ChatRequest.ofUser("g", "hello"));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        awaitCallArrived();

        router.close();

        assertThat(caller.get(5, TimeUnit.SECONDS)).isInstanceOf(RouterClosedException.class);
        assertThat(inFlight()).isZero();
    }

    @Test
    void givenDeadline_whenTheSynchronousCallOutlastsIt_thenTheCallerIsReleasedWithinAFewMilliseconds()
            throws Exception {
        Duration deadline = Duration.ofMillis(300);
        long best = Long.MAX_VALUE;
        // The smallest overrun of three runs: a fixed grace shows in every run, a scheduling hiccup
        // of a loaded machine in one.
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Throwable thrown = null;
            try {
                router.completion(ChatRequest.ofUser("g", "hello"), RequestOptions.builder().timeouts(timeouts -> timeouts.deadline(deadline)).build());
            } catch (RuntimeException e) {
                thrown = e;
            }
            long overrunMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) - deadline.toMillis();
            assertThat(thrown).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("deadline");
            assertThat(overrunMillis).as("never early").isGreaterThanOrEqualTo(-1);
            best = Math.min(best, overrunMillis);
            assertThat(inFlight()).isZero();
        }
        // Before the fix the synchronous call ran 50 ms or more past the deadline every time (its own
        // time limit was the deadline plus a fixed 50 ms grace); now it is a few milliseconds.
        assertThat(best).as("smallest overrun in ms").isLessThan(40);
    }
}
