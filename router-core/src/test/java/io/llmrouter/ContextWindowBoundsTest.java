package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.testing.FakeProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The context-window check on hostile prompts: any end user can send ten megabytes of one
 * character, and the check must answer with bounded work (the token count used to take 17 s of
 * CPU and 1.85 GB of heap for it).
 */
class ContextWindowBoundsTest {

    private static final int TEN_MB = 10 * 1024 * 1024;

    @Test
    void givenTenMegabytesOfOneCharacter_whenOverTheWindow_thenTypedErrorInA128MegabyteHeap() throws Exception {
        // when: in a child JVM whose heap holds the prompt a few times over, but not a quadratic tokenizer
        List<String> out = probe(10, "a", 128_000);
        // then
        assertThat(out).containsExactly(ContextWindowExceededException.class.getSimpleName());
    }

    @Test
    void givenTenMegabytesOfSpaces_whenUnderTheWindow_thenServed() {
        // given: 128 spaces make one token, so ten megabytes are 81,920 tokens
        FakeProvider provider = FakeProvider.replying("served");
        try (Router router = routerWithWindow(100_000, provider)) {
            // when / then
            assertThat(router.completion(ChatRequest.ofUser("g", " ".repeat(TEN_MB))).text()).isEqualTo("served");
            assertThat(provider.callCount()).isOne();
        }
    }

    @Test
    void givenTenMegabytesOfSpaces_whenEvenTheLowerBoundPassesTheWindow_thenTypedErrorWithoutCalling() {
        FakeProvider provider = FakeProvider.replying("served");
        try (Router router = routerWithWindow(8_000, provider)) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("g", " ".repeat(TEN_MB))))
                    .isInstanceOf(ContextWindowExceededException.class)
                    .hasMessageContaining("at least 81927 input tokens")
                    .hasMessageContaining("largest: 8000 tokens");
            assertThat(provider.callCount()).isZero();
        }
    }

    private static Router routerWithWindow(int window, FakeProvider provider) {
        return Router.builder().deployment(Deployment.builder("g", "custom/model").id("d").contextWindow(window)
                .provider(provider).build()).build();
    }

    private static List<String> probe(int megabytes, String character, int window)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ContextWindowProbe.class.getName(),
                Integer.toString(megabytes), character, Integer.toString(window))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the probe JVM ended").isTrue();
            assertThat(p.exitValue()).as("the probe JVM's exit code (non-zero: out of memory)").isZero();
            return stdout.lines().toList();
        } finally {
            p.destroyForcibly();
        }
    }
}
