package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * README's main example ({@code mvn -q -pl router-examples exec:java} runs {@link FallbackExample})
 * ends when its work ends: run in a child JVM, it exits within seconds of printing its last line
 * (it used to linger about 80 s on OkHttp's non-daemon dispatcher threads). A hang detector, not a
 * speed goal.
 */
class FallbackExampleExitTest {

    private static final long EXIT_WITHIN_SECONDS = 10;
    private static final String LAST_LINE_START = "The rate-limited endpoint saw";

    @Test
    void givenTheReadmeExample_whenItHasPrintedItsLastLine_thenTheJvmExitsWithinSeconds() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FallbackExample.class.getName()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            Thread pump = new Thread(() -> reader.lines().forEach(line -> {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }), "example-output");
            pump.setDaemon(true);
            pump.start();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (output) {
                while (output.stream().noneMatch(l -> l.startsWith(LAST_LINE_START)) && child.isAlive()
                        && System.nanoTime() < giveUp) {
                    output.wait(100);
                }
            }

            boolean exited = child.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS);

            synchronized (output) {
                assertThat(output).as("example output").anyMatch(l -> l.startsWith(LAST_LINE_START));
                assertThat(output).contains("answer        : Hello, JVM! Nice to meet you.");
            }
            assertThat(exited).as("example JVM exited within %d s of its last line", EXIT_WITHIN_SECONDS).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }
}
