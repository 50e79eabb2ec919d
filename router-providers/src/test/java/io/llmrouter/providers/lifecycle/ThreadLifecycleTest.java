package io.llmrouter.providers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** No library thread keeps the JVM alive (issue 16, lifecycle item 3). */
class ThreadLifecycleTest {

    /** Generous: a hang detector, not a speed goal (the dispatcher's idle threads lived 60 s). */
    private static final long EXIT_WITHIN_SECONDS = 10;

    @Test
    void givenRouterUsedAndClosed_whenTheProgramEnds_thenTheJvmExitsWithinSecondsOfItsLastLine() throws Exception {
        // given
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChildJvmMain.class.getName()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        // when: its output is read to the last line (a reader that ends only when the child ends)
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            Thread pump = new Thread(() -> reader.lines().forEach(line -> {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }), "child-jvm-output");
            pump.setDaemon(true);
            pump.start();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (output) {
                while (!output.contains(ChildJvmMain.LAST_LINE) && child.isAlive() && System.nanoTime() < giveUp) {
                    output.wait(100);
                }
            }
            // then
            boolean exited = child.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly();
            }
            synchronized (output) {
                assertThat(output).as("child output").contains("child: sync hi", "child: async hi",
                        ChildJvmMain.LAST_LINE);
            }
            assertThat(exited).as("child JVM exited within %d s of its last line", EXIT_WITHIN_SECONDS).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void givenAnAsynchronousCall_thenTheSharedClientsDispatcherThreadsAreDaemons() throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.ok("hi")).start();
                Router router = Router.builder()
                        .deployment(Deployment.builder("g", "openai/gpt-4o-mini").apiBase(server.url())
                                .apiKey(Secret.of("sk-daemon-0123456789")).build())
                        .build()) {
            assertThat(router.completionAsync(ChatRequest.ofUser("g", "hello")).get(10, TimeUnit.SECONDS).text())
                    .isEqualTo("hi");
        }
        List<Thread> dispatcher = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(DefaultHttpClient.DISPATCHER_THREAD_NAME)).toList();
        assertThat(dispatcher).isNotEmpty().allMatch(Thread::isDaemon);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("llmrouter"))
                .allMatch(Thread::isDaemon);
    }
}
