package io.llmrouter.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The LangChain4j example: an AiService with a tool falls back to the second group and answers. */
class LangChain4jExampleTest {

    @Test
    void printsTheToolCallTheAnswerAndTheFallbackThatServedIt() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LangChain4jExample.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("tool called: temperature(Paris)")
                .contains("answer: It is 21 °C in Paris: a light jacket will do.")
                .contains("served by: backup (openai/gpt-4o-mini)")
                .contains("attempts: 2, fallback: true")
                .contains("tokens, both calls: 91")
                .containsPattern("cost of the last call: 0\\.\\d+ USD");
    }
}
