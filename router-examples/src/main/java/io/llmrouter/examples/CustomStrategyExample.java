package io.llmrouter.examples;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.spi.DeploymentCandidate;
import io.llmrouter.spi.RoutingContext;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.testing.FakeProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user-written routing strategy in a few lines: prefer deployments in the caller's region (by
 * tag), least busy first, and fall back to any region. Runs on fake providers, no network.
 *
 * <p>Run it with {@code mvn -q -DskipTests install && mvn -q -pl router-examples exec:java
 * -Dexec.mainClass=io.llmrouter.examples.CustomStrategyExample}.
 */
public final class CustomStrategyExample {

    private CustomStrategyExample() {
    }

    /** Prefers candidates tagged with the region the request names in its tags; least busy wins. */
    static final class RegionAffinityStrategy implements RoutingStrategy {
        @Override
        public DeploymentCandidate choose(RoutingContext context, List<? extends DeploymentCandidate> candidates) {
            List<String> wanted = context.request().tags();
            DeploymentCandidate best = null;
            for (DeploymentCandidate c : candidates) {
                boolean local = c.tags().stream().anyMatch(wanted::contains);
                boolean bestLocal = best != null && best.tags().stream().anyMatch(wanted::contains);
                if (best == null || local && !bestLocal || local == bestLocal && c.inFlight() < best.inFlight()) {
                    best = c;
                }
            }
            return best;
        }
    }

    /**
     * Routes a few requests tagged {@code eu} and {@code us} and prints who answered.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Router router = Router.builder()
                .strategy(new RegionAffinityStrategy())
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("eu-west").addTag("eu")
                        .provider(FakeProvider.replying("bonjour")).build())
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("us-east").addTag("us")
                        .provider(FakeProvider.replying("howdy")).build())
                .build()) {
            Map<String, Integer> served = new HashMap<>();
            for (String region : List.of("eu", "us", "eu", "us", "eu")) {
                ChatResponse r = router.completion(ChatRequest.builder("gpt-4o")
                        .addMessage(io.llmrouter.api.chat.Message.user("hello")).addTag(region).build());
                String by = r.routing().orElseThrow().deploymentId();
                served.merge(by, 1, Integer::sum);
                System.out.printf("request tagged %-2s -> %-8s (%s)%n", region, by, r.text());
            }
            System.out.println("served: " + served);
        }
    }
}
