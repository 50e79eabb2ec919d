package io.llmrouter.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.ReadinessDrill;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.budget.Budget;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static Router.Builder quick() {
        return Router.builder().retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO));
    }

    @Test
    void givenHealthyFallback_whenDrilled_thenPass() {
        try (Router router = quick()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary").provider(FakeProvider.replying("p")).build())
                .deployment(Deployment.builder("mini", "openai/gpt-4o-mini").id("backup").provider(FakeProvider.replying("b")).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "mini"))
                .build()) {
            DrillReport report = router.readinessDrill().groups("gpt-4o").probes(3).run();

            DrillResult r = report.results().get(0);
            assertThat(report.passed()).isTrue();
            assertThat(r.verdict()).isEqualTo(DrillResult.Verdict.PASS);
            assertThat(r.failedDeployments()).containsExactly("primary");
            assertThat(r.answeredBy()).containsExactly("backup");
            assertThat(r.answeredByGroups()).containsExactly("mini");
            assertThat(r.answered()).isEqualTo(3);
            assertThat(r.meanAttempts()).isGreaterThanOrEqualTo(2.0);
            assertThat(report.toMarkdown()).contains("| gpt-4o | primary | backup (mini) | 3/3 |").contains("**PASS**");
            assertThat(report.toJson()).contains("\"verdict\" : \"PASS\"");
            // after the drill the primary serves again
            assertThat(router.completion(io.llmrouter.api.chat.ChatRequest.ofUser("gpt-4o", "x")).text()).isEqualTo("p");
        }
    }

    @Test
    void givenFallbackThatAlsoFails_whenDrilled_thenFailWithTheReason() {
        try (Router router = quick()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("primary").provider(FakeProvider.replying("p")).build())
                .deployment(Deployment.builder("mini", "openai/gpt-4o-mini").id("backup").provider(FakeProvider.failingWith(401)).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "mini"))
                .build()) {
            DrillResult r = router.readinessDrill().groups("gpt-4o").probes(2).run().results().get(0);

            assertThat(r.verdict()).isEqualTo(DrillResult.Verdict.FAIL);
            assertThat(r.answered()).isZero();
            assertThat(r.reason()).contains("no probe answered").contains("AuthenticationException");
        }
    }

    @Test
    void givenNoFallback_whenDrilled_thenFailAndTheRiskIsListed() {
        try (Router router = quick()
                .deployment(Deployment.builder("solo", "openai/gpt-4o").id("solo").provider(FakeProvider.replying("s")).build())
                .build()) {
            DrillResult r = router.readinessDrill().probes(1).run().results().get(0);

            assertThat(r.verdict()).isEqualTo(DrillResult.Verdict.FAIL);
            assertThat(r.risks()).anyMatch(s -> s.contains("no fallback group"));
        }
    }

    @Test
    void describeShowsGroupsDeploymentsDefaultsAndNoSecret() {
        try (Router router = quick()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("eu").apiKey(Secret.of("sk-DESCRIBE-SECRET"))
                        .apiBase("https://eu.example.com/v1").rpm(100).addTag("eu").provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("mini", "openai/gpt-4o-mini").id("backup")
                        .apiKey(Secret.fromEnv("OPENAI_API_KEY")).provider(FakeProvider.replying("")).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "mini"))
                .retryPolicy(retry -> retry.numRetries(4))
                .budget(Budget.forUser("alice").limitUsd("5").build())
                .build()) {
            RouterDescription d = router.describe();

            assertThat(d.primaryGroups()).containsExactly("gpt-4o");
            assertThat(d.fallbackOnlyGroups()).containsExactly("mini");
            assertThat(d.toMarkdown()).contains("| gpt-4o | primary | eu | mini |")
                    .contains("| mini | fallback-only | backup |")
                    .contains("eu.example.com").contains("env:OPENAI_API_KEY").contains("value (hidden)")
                    .contains("| num_retries | 4 (set) |").contains("| cooldown_time | PT5S (default) |")
                    .contains("user 'alice'").contains("2.5 / 10 (gpt-4o)");
            assertThat(d.toJson()).contains("\"route\" : \"openai/gpt-4o\"");
            assertThat(d.toMarkdown() + d.toJson()).doesNotContain("DESCRIBE-SECRET");
        }
    }

    @Test
    void checksFlagEachRiskyConfiguration() {
        try (Router router = quick().strategy(UsageBasedStrategy.instance())
                .deployment(Deployment.builder("a", "openai/gpt-4o").id("a1").provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("a", "anthropic/claude-3-5-sonnet-20241022").id("a2")
                        .provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("b", "custom/no-tools").id("b1").capabilities(Set.of())
                        .provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("c", "custom/unpriced").id("c1").capabilities(Set.of(ModelCapability.VISION))
                        .provider(FakeProvider.replying("")).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("a", "b")
                        .fallbacks("b", "a"))
                .budget(Budget.global().limitUsd("10").build())
                .build()) {
            List<ConfigurationRisk> risks = router.checks();

            assertThat(risks).extracting(ConfigurationRisk::check).contains("mixed-models", "fallback-loop",
                    "fallback-lacks-capability", "usage-strategy-without-limits", "unpriced-under-budget",
                    "no-fallback", "single-deployment");
            assertThat(risks).filteredOn(r -> r.check().equals("fallback-loop")).singleElement()
                    .satisfies(r -> assertThat(r.message()).contains("a → b → a"));
            assertThat(risks).filteredOn(r -> r.check().equals("fallback-lacks-capability"))
                    .anySatisfy(r -> assertThat(r.message()).contains("fallback 'b' lacks"));
            assertThat(risks).filteredOn(r -> r.check().equals("unpriced-under-budget"))
                    .allSatisfy(r -> assertThat(r.severity()).isEqualTo(ConfigurationRisk.Severity.ERROR));
        }
    }

    @Test
    void givenDrillOfAllGroups_whenRun_thenOneRowPerPrimaryGroup() {
        try (Router router = quick()
                .deployment(Deployment.builder("a", "openai/gpt-4o").id("a").provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("b", "openai/gpt-4o-mini").id("b").provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("z", "openai/gpt-4o-mini").id("z").provider(FakeProvider.replying("")).build())
                .fallbackPolicy(fallback -> fallback.fallbacks("a", "z")
                        .fallbacks("b", "z"))
                .build()) {
            ReadinessDrill drill = router.readinessDrill().probes(1);
            assertThat(drill.run().results()).extracting(DrillResult::modelGroup).containsExactly("a", "b");
        }
    }

    @Test
    void theDescriptionShowsEachDeploymentsSizeLimitsAndWhetherTheyAreTheDefaults() throws Exception {
        try (Router router = Router.builder()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("plain").provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("big").maxResponseBytes(64 * 1024 * 1024)
                        .provider(FakeProvider.replying("")).build())
                .build()) {
            com.fasterxml.jackson.databind.JsonNode deployments = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(router.describe().toJson()).findValue("deployments");
            com.fasterxml.jackson.databind.JsonNode plain = deployments.get(0);
            com.fasterxml.jackson.databind.JsonNode big = deployments.get(1);

            assertThat(plain.at("/max_response_bytes/value").asText())
                    .isEqualTo(String.valueOf(io.llmrouter.spi.Endpoint.DEFAULT_MAX_RESPONSE_BYTES));
            assertThat(plain.at("/max_response_bytes/default").asBoolean()).isTrue();
            assertThat(plain.at("/max_stream_event_bytes/value").asText())
                    .isEqualTo(String.valueOf(io.llmrouter.spi.Endpoint.DEFAULT_MAX_STREAM_EVENT_BYTES));
            assertThat(big.at("/max_response_bytes/value").asText()).isEqualTo(String.valueOf(64 * 1024 * 1024));
            assertThat(big.at("/max_response_bytes/default").asBoolean()).isFalse();
        }
    }

    @Test
    void theDescriptionShowsEachDeploymentsCooldownTimeAndTheRoutersCooldownRule() throws Exception {
        try (Router router = Router.builder()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("plain").provider(FakeProvider.replying("")).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("quick").cooldownTime(java.time.Duration.ofSeconds(2))
                        .provider(FakeProvider.replying("")).build())
                .build()) {
            com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(router.describe().toJson());
            com.fasterxml.jackson.databind.JsonNode deployments = root.findValue("deployments");

            assertThat(deployments.get(0).at("/cooldown_time/default").asBoolean()).isTrue();
            assertThat(deployments.get(1).at("/cooldown_time/value").asText()).isEqualTo("PT2S");
            assertThat(deployments.get(1).at("/cooldown_time/default").asBoolean()).isFalse();
            assertThat(root.findValue("allowed_fails").at("/value").asText()).isEqualTo("unset (default rule)");
            assertThat(root.findValue("single_deployment_failure_threshold").at("/value").asInt())
                    .isEqualTo(io.llmrouter.CooldownPolicy.DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD);
        }
    }
}
