package io.llmrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two JVMs (child processes), each with a router, share one Redis: one budget holds for both. */
class TwoJvmFleetTest {

    @Test
    void givenTwoJvmsOnOneRedis_whenBothSpend_thenTheirBudgetIsOneAndExact() throws Exception {
        // given
        String prefix = RedisServer.uniquePrefix();
        try (RedisServer redis = RedisServer.shared()) {
            // when: each JVM makes 20 calls of $1 against the fleet's $25
            List<Process> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                children.add(child(redis.port(), prefix, 20));
            }
            int answered = 0;
            int refused = 0;
            for (Process p : children) {
                try {
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the child JVM ended").isTrue();
                    assertThat(p.exitValue()).as("child exit code; output: " + out).isZero();
                    String last = out.lines().reduce((a, b) -> b).orElse("");
                    answered += Integer.parseInt(last.replaceAll(".*answered=(\\d+).*", "$1"));
                    refused += Integer.parseInt(last.replaceAll(".*refused=(\\d+).*", "$1"));
                } finally {
                    p.destroyForcibly();
                }
            }
            // then
            assertThat(answered).isEqualTo(25);
            assertThat(refused).isEqualTo(15);
            try (RedisStateStore reader = redis.store(prefix).build()) {
                reader.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(reader.spendTotals().total()).isEqualByComparingTo("25");
            }
        }
    }

    private static Process child(int port, String prefix, int calls) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), FleetChild.class.getName(),
                Integer.toString(port), prefix, Integer.toString(calls))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
