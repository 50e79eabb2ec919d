package io.llmrouter.examples;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.budget.Budget;
import io.llmrouter.readiness.DrillReport;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;

/**
 * Before production traffic: the router describes its configuration, flags risky setups, and
 * rehearses an outage of each model group against loopback fakes, printing the sign-off table.
 *
 * <p>Run it with {@code mvn -q -DskipTests install && mvn -q -pl router-examples exec:java
 * -Dexec.mainClass=io.llmrouter.examples.ReadinessExample}.
 */
public final class ReadinessExample {

    private ReadinessExample() {
    }

    /**
     * Builds a router over fakes (one fallback healthy, one broken), then prints its description,
     * its risks and the drill's table.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Router router = Router.builder()
                .retryPolicy(retry -> retry.backoff(Duration.ZERO, Duration.ZERO))
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("gpt-4o-eu")
                        .provider(FakeProvider.replying("hello from gpt-4o")).build())
                .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").id("mini-us")
                        .provider(FakeProvider.replying("hello from the fallback")).build())
                .deployment(Deployment.builder("claude", "anthropic/claude-3-5-sonnet-20241022").id("claude-1")
                        .provider(FakeProvider.replying("hello from claude")).build())
                .deployment(Deployment.builder("claude-backup", "anthropic/claude-3-5-haiku-20241022").id("haiku-1")
                        .provider(FakeProvider.failingWith(401)).build())   // an expired key nobody noticed
                .fallbackPolicy(fallback -> fallback.fallbacks("gpt-4o", "gpt-4o-mini")
                        .fallbacks("claude", "claude-backup"))
                .budget(Budget.global().limitUsd("100").build())
                .build()) {
            System.out.println(router.describe().toMarkdown());
            System.out.println("## Risks\n");
            router.checks().forEach(r -> System.out.println("- " + r));
            System.out.println("\n## Readiness drill\n");
            DrillReport report = router.readinessDrill().probes(3).run();
            System.out.println(report.toMarkdown());
            System.out.println(report.passed() ? "SIGNED OFF" : "NOT READY: fix the FAIL rows first");
        }
    }
}
