package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link LiteLlmConfigExample} runs as documented: in a child JVM it loads its LiteLLM config,
 * falls back from the overloaded primary, prints the answer with its deployment and cost, and exits.
 */
class LiteLlmConfigExampleTest {

    @Test
    void givenTheLiteLlmConfigExample_whenRun_thenItFallsBackPrintsTheAnswerAndExits() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LiteLlmConfigExample.class.getName()).redirectErrorStream(true).start();
        try {
            byte[] bytes = child.getInputStream().readAllBytes(); // ends when the child closes its output
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            List<String> output = new String(bytes, StandardCharsets.UTF_8).lines().toList();

            assertThat(child.exitValue()).as(String.join("\n", output)).isZero();
            assertThat(output).as(String.join("\n", output))
                    .anyMatch(l -> l.contains("litellm_settings.drop_params"))
                    .anyMatch(l -> l.contains("general_settings"))
                    .contains("answer      : Hello from a LiteLLM config!")
                    .contains("answered by : deployment 'openai/gpt-4o-mini' of model group 'gpt-4o-mini' after 3 attempts")
                    .anyMatch(l -> l.startsWith("cost        : $0.0000"))
                    .noneMatch(l -> l.contains("sk-demo-not-a-real-key"));
        } finally {
            child.destroyForcibly();
        }
    }
}
