package io.llmrouter.internal;

/**
 * The router's own candidates' token prices as plain doubles, for strategies that rank by price on
 * every choice ({@code LowestCostStrategy}): reading a {@code BigDecimal} out of an
 * {@code Optional} and converting it for each candidate of each choice dominated that strategy's
 * time. Other {@link io.llmrouter.spi.DeploymentCandidate} implementations are read through the
 * SPI as before.
 */
public interface CandidatePrices {

    /**
     * @return the input price per token in USD, or {@code NaN} when unknown
     */
    double inputCostPerTokenValue();

    /**
     * @return the output price per token in USD, or {@code NaN} when unknown
     */
    double outputCostPerTokenValue();
}
