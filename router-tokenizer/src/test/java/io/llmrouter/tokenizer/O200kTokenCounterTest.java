package io.llmrouter.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.llmrouter.spi.TokenCounter;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class O200kTokenCounterTest {

    private final TokenCounter counter = new O200kTokenCounter();

    @Test
    void givenTheJarOnThePath_whenTheRouterLooksForATokenCounter_thenServiceLoaderFindsThisOne() {
        assertThat(ServiceLoader.load(TokenCounter.class, TokenCounter.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::type))
                .containsExactly(O200kTokenCounter.class);
    }

    @Test
    void countsO200kTokensExactly() {
        assertThat(counter.countTokens("hello world")).isEqualTo(2);
        assertThat(counter.countTokens("")).isZero();
        // the longest o200k token is 128 spaces
        assertThat(counter.countTokens(" ".repeat(128 * 10))).isEqualTo(10);
    }

    @Test
    void countsSpecialTokensAsOrdinaryText() {
        assertThat(counter.countTokens("<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void rejectsNullText() {
        assertThatNullPointerException().isThrownBy(() -> counter.countTokens(null)).withMessage("text");
    }
}
