package io.llmrouter;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.internal.RouterEngine;
import io.llmrouter.readiness.ConfigurationRisk;
import io.llmrouter.readiness.DrillReport;
import io.llmrouter.readiness.DrillResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Rehearses an outage of each model group and signs off on what happened: for every group (or the
 * ones named), it first sends probe requests as usual (the baseline), then takes all the group's
 * deployments out by the router's own fault injection (their calls fail at once, as a 503 would,
 * without reaching the provider) and sends the probes again. It records which deployment
 * answered, whether a fallback fired, the attempts, and the latency against the baseline;
 * the verdict is PASS when every probe was answered by a deployment outside the failed group.
 *
 * <pre>{@code
 * DrillReport report = router.readinessDrill().groups("gpt-4o").probes(5).run();
 * System.out.println(report.toMarkdown());
 * }</pre>
 *
 * <p>Probes are real requests to whatever the deployments are: run the drill against fakes, or
 * accept the probes' cost. The simulated failures count against the deployments like real ones
 * would; when the drill ends every deployment is put back in rotation (breakers reset). Run one
 * drill at a time, not alongside production traffic on the same router.
 *
 * <p>Not thread-safe.
 *
 * @since 0.1.0
 */
public final class ReadinessDrill {

    /** Probe requests per group and phase unless set: {@value}. */
    public static final int DEFAULT_PROBES = 3;

    private final Router router;
    private final RouterEngine engine;
    private final Clock clock;
    private List<String> groups;
    private int probes = DEFAULT_PROBES;
    private Function<String, ChatRequest> probe = group -> ChatRequest.ofUser(group, "Readiness probe: reply OK.");

    ReadinessDrill(Router router, RouterEngine engine) {
        this.router = router;
        this.engine = engine;
        this.clock = engine.effectiveSettings().clock();
    }

    /** Drills only these groups (default: every group that is not only a fallback). */
    public ReadinessDrill groups(String... groups) {
        this.groups = List.copyOf(Arrays.asList(Objects.requireNonNull(groups, "groups")));
        return this;
    }

    /** Probe requests per group and phase, at least 1; default {@value #DEFAULT_PROBES}. */
    public ReadinessDrill probes(int probes) {
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1, was " + probes);
        }
        this.probes = probes;
        return this;
    }

    /** The probe request for a group (default: a one-line user message). */
    public ReadinessDrill probe(Function<String, ChatRequest> probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
        return this;
    }

    /**
     * Runs the drill.
     *
     * @return the sign-off table
     * @throws IllegalArgumentException if a named group does not exist
     */
    public DrillReport run() {
        List<String> targets = groups != null ? groups : router.describe().primaryGroups();
        for (String g : targets) {
            if (!router.modelGroups().contains(g)) {
                throw new IllegalArgumentException("unknown model group '" + g + "'; known: " + router.modelGroups());
            }
        }
        List<ConfigurationRisk> risks = router.checks();
        List<DrillResult> results = new ArrayList<>();
        for (String g : targets) {
            results.add(drill(g, risks));
        }
        return new DrillReport(results);
    }

    private DrillResult drill(String group, List<ConfigurationRisk> allRisks) {
        List<String> failed = new ArrayList<>();
        router.deployments().stream().filter(d -> d.modelGroup().equals(group)).forEach(d -> failed.add(d.id()));
        List<String> risks = new ArrayList<>();
        allRisks.stream().filter(r -> r.modelGroup().equals(group) && r.severity() != ConfigurationRisk.Severity.INFO)
                .forEach(r -> risks.add(r.message()));
        engine.endSimulatedOutage();
        List<Long> baseline = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            long start = System.nanoTime();
            try {
                router.completion(probe.apply(group));
            } catch (LlmRouterException e) {
                // a failing baseline shows in the verdict of the outage phase; keep measuring
            }
            baseline.add(System.nanoTime() - start);
        }
        Set<String> answeredBy = new LinkedHashSet<>();
        Set<String> answeredGroups = new LinkedHashSet<>();
        List<Long> latencies = new ArrayList<>();
        int answered = 0;
        int attempts = 0;
        String lastError = "";
        engine.simulateOutage(Set.copyOf(failed));
        try {
            for (int i = 0; i < probes; i++) {
                long start = System.nanoTime();
                try {
                    ChatResponse r = router.completion(probe.apply(group));
                    latencies.add(System.nanoTime() - start);
                    var routing = r.routing().orElseThrow();
                    attempts += routing.attempts().size();
                    if (!failed.contains(routing.deploymentId())) {
                        answered++;
                        answeredBy.add(routing.deploymentId());
                        answeredGroups.add(routing.modelGroup());
                    }
                } catch (LlmRouterException e) {
                    latencies.add(System.nanoTime() - start);
                    attempts += e.attempts().size();
                    List<Attempt> a = e.attempts();
                    if (lastError.isEmpty()) {
                        // the first failure is the cause; later probes mostly see its cooldowns
                        lastError = e.getClass().getSimpleName() + ": " + e.getMessage()
                                + (a.isEmpty() ? "" : " (after " + a.size() + " attempt(s))");
                    }
                }
            }
        } finally {
            engine.endSimulatedOutage();
        }
        boolean pass = answered == probes;
        String reason;
        if (pass) {
            reason = "fallback " + answeredGroups + " answered every probe";
        } else if (lastError.isEmpty()) {
            reason = "a probe was answered by a deployment that should have been out";
        } else {
            reason = (answered == 0 ? "no probe answered: " : answered + "/" + probes + " answered; first failure: ")
                    + lastError;
        }
        Duration delta = Duration.ofNanos(median(latencies) - median(baseline));
        return new DrillResult(clock.instant(), group, failed, List.copyOf(answeredBy), List.copyOf(answeredGroups),
                probes, answered, probes == 0 ? 0 : (double) attempts / probes, delta,
                pass ? DrillResult.Verdict.PASS : DrillResult.Verdict.FAIL, reason, risks);
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
