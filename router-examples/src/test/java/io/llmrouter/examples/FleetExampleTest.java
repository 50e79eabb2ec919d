package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The fleet example runs two routers on one redis-server, shows them acting as one, and returns. */
class FleetExampleTest {

    @Test
    void twoRoutersShareACooldownAndABudget() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server"))
                || System.getenv("LLMROUTER_REDIS_PORT") != null, "redis-server not installed: skipped");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FleetExample.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("pod B sees 'east' as: COOLING_DOWN").contains("pod A refused: global budget")
                .contains("fleet spend seen by pod A: $3");
    }
}
