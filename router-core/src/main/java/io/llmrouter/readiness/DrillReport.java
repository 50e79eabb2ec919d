package io.llmrouter.readiness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The sign-off table of a readiness drill: one {@link DrillResult} per model group, as Markdown
 * and JSON.
 *
 * @param results one row per group drilled
 * @since 0.1.0
 */
public record DrillReport(List<DrillResult> results) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the rows. */
    public DrillReport {
        results = List.copyOf(results);
    }

    /** Whether every group passed. */
    public boolean passed() {
        return results.stream().allMatch(r -> r.verdict() == DrillResult.Verdict.PASS);
    }

    /** The sign-off table in Markdown. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| date | group | failed deployment(s) | observed fallback | answered | attempts | latency delta"
                + " | verdict | open risks |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (DrillResult r : results) {
            sb.append("| ").append(r.at()).append(" | ").append(r.modelGroup()).append(" | ")
                    .append(String.join(", ", r.failedDeployments())).append(" | ")
                    .append(r.answeredBy().isEmpty() ? "none" : String.join(", ", r.answeredBy())
                            + " (" + String.join(", ", r.answeredByGroups()) + ")")
                    .append(" | ").append(r.answered()).append('/').append(r.probes())
                    .append(" | ").append(String.format(java.util.Locale.ROOT, "%.1f", r.meanAttempts()))
                    .append(" | ").append(r.latencyDelta().toMillis()).append(" ms")
                    .append(" | **").append(r.verdict()).append("**").append(r.verdict() == DrillResult.Verdict.FAIL
                            ? ": " + r.reason().replace("|", "\\|") : "")
                    .append(" | ").append(r.risks().isEmpty() ? "none" : String.join("; ", r.risks())
                            .replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The sign-off table as JSON. */
    public String toJson() {
        ArrayNode rows = JSON.createArrayNode();
        for (DrillResult r : results) {
            ObjectNode o = rows.addObject();
            o.put("date", r.at().toString());
            o.put("group", r.modelGroup());
            r.failedDeployments().forEach(o.putArray("failed_deployments")::add);
            ArrayNode by = o.putArray("answered_by");
            r.answeredBy().forEach(by::add);
            ArrayNode groups = o.putArray("answered_by_groups");
            r.answeredByGroups().forEach(groups::add);
            o.put("probes", r.probes());
            o.put("answered", r.answered());
            o.put("mean_attempts", r.meanAttempts());
            o.put("latency_delta_ms", r.latencyDelta().toMillis());
            o.put("verdict", r.verdict().name());
            o.put("reason", r.reason());
            ArrayNode risks = o.putArray("risks");
            r.risks().forEach(risks::add);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("passed", passed());
        root.set("results", rows);
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return toMarkdown();
    }
}
