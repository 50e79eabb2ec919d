package io.llmrouter.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Spring examples run to the end without keys or network and print what they promise. */
class SpringExamplesTest {

    private interface Main {
        void run() throws Exception;
    }

    private static String printed(Main main) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void springBootExampleFailsOverAndReportsHealthAndSpend() throws Exception {
        String printed = printed(() -> SpringBootExample.main(new String[0]));

        assertThat(printed).contains("answer: Hello from Spring Boot! (from secondary)")
                .contains("health: UP")
                .contains("spend: {totalUsd=")
                .doesNotContain("sk-example");
    }

    @Test
    void springAiExampleCallsTheToolAndShowsUsageAndCost() throws Exception {
        String printed = printed(() -> SpringAiExample.main(new String[0]));

        assertThat(printed).contains("tool called: temperature(Paris)")
                .contains("answer: It is 21 °C in Paris.")
                .contains("tokens: 52")
                .containsPattern("cost USD: 0\\.\\d+")
                .contains("deployment: primary");
    }
}
