package io.llmrouter.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in strategies are written against the SPI alone, as a user's strategy must be: none of
 * their classes refers to a type in an {@code internal} package (which the module does not export),
 * so none gets a path a user's strategy cannot take.
 */
class StrategiesUseOnlyTheSpiTest {

    private static final List<Class<?>> STRATEGIES = List.of(WeightedShuffleStrategy.class,
            LowestCostStrategy.class, LowestLatencyStrategy.class, LeastBusyStrategy.class,
            UsageBasedStrategy.class);

    @Test
    void noBuiltInStrategyRefersToAnInternalType() throws IOException {
        for (Class<?> strategy : STRATEGIES) {
            // A class file names every type it uses in its constant pool, as internal binary names.
            assertThat(classFileText(strategy)).as(strategy.getSimpleName())
                    .contains("io/llmrouter/spi/")
                    .doesNotContain("io/llmrouter/internal/");
        }
    }

    private static String classFileText(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            assertThat(in).as("class file of %s", type.getName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
