package io.llmrouter.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The double-valued prices a strategy reads on every choice, for any candidate implementation. */
class DeploymentCandidatePricesTest {

    @Test
    void givenKnownPrices_thenTheDoubleValuesAreThem() {
        DeploymentCandidate c = candidate(Optional.of(new BigDecimal("0.0000025")), Optional.of(new BigDecimal("0.00001")));

        assertThat(c.inputCostPerTokenValue()).isEqualTo(0.0000025);
        assertThat(c.outputCostPerTokenValue()).isEqualTo(0.00001);
    }

    @Test
    void givenUnknownPrices_thenTheDoubleValuesAreNaN() {
        DeploymentCandidate c = candidate(Optional.empty(), Optional.empty());

        assertThat(c.inputCostPerTokenValue()).isNaN();
        assertThat(c.outputCostPerTokenValue()).isNaN();
    }

    private static DeploymentCandidate candidate(Optional<BigDecimal> in, Optional<BigDecimal> out) {
        return new DeploymentCandidate() {
            @Override public String id() { return "d"; }
            @Override public String modelGroup() { return "g"; }
            @Override public String providerRoute() { return "openai/gpt-4o"; }
            @Override public int weight() { return 1; }
            @Override public int order() { return 0; }
            @Override public Set<String> tags() { return Set.of(); }
            @Override public OptionalInt rpm() { return OptionalInt.empty(); }
            @Override public OptionalInt tpm() { return OptionalInt.empty(); }
            @Override public int inFlight() { return 0; }
            @Override public int requestsThisMinute() { return 0; }
            @Override public long tokensThisMinute() { return 0; }
            @Override public LatencyStats latency() { return LatencyStats.EMPTY; }
            @Override public Optional<BigDecimal> inputCostPerToken() { return in; }
            @Override public Optional<BigDecimal> outputCostPerToken() { return out; }
            @Override public int recentFailures() { return 0; }
        };
    }
}
