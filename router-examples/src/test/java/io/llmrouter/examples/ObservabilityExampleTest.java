package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The observability example prints the call's span tree under the application's span, and the meters. */
class ObservabilityExampleTest {

    @Test
    void printsTheSpanTreeAndTheMetersOfAFallback() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ObservabilityExample.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("answer: Bonjour ! (from backup-us)")
                .containsPattern("(?s)  POST /translate \\[INTERNAL.*\n    chat gpt-4o \\[CLIENT, UNSET.*"
                        + "\n      chat gpt-4o \\[CLIENT, ERROR.*\n      chat gpt-4o-mini \\[CLIENT, UNSET")
                .contains("event fallback error.type=rate_limit")
                .contains("llmrouter.fallbacks{fallback_group=\"gpt-4o-mini\",model_group=\"gpt-4o\"} 1.0")
                .contains("llmrouter.requests{model_group=\"gpt-4o\",outcome=\"success\"} 1.0");
    }
}
