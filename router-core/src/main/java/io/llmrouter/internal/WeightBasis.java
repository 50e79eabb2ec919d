package io.llmrouter.internal;

import io.llmrouter.Deployment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What weighs a group's deployments: LiteLLM's rule (weights if any is set, else rpm, else tpm). */
enum WeightBasis {
    WEIGHT, RPM, TPM;

    int weightOf(Deployment d) {
        return switch (this) {
            case WEIGHT -> d.weight();
            case RPM -> d.rpm().orElse(1);
            case TPM -> d.tpm().orElse(1);
        };
    }

    /** Each group's basis, by group name. */
    static Map<String, WeightBasis> of(List<Deployment> deployments) {
        Map<String, List<Deployment>> byGroup = new LinkedHashMap<>();
        deployments.forEach(d -> byGroup.computeIfAbsent(d.modelGroup(), k -> new ArrayList<>()).add(d));
        Map<String, WeightBasis> out = new HashMap<>();
        byGroup.forEach((group, list) -> {
            WeightBasis basis = WEIGHT;
            if (list.stream().noneMatch(Deployment::hasExplicitWeight)) {
                if (list.stream().allMatch(d -> d.rpm().isPresent())) {
                    basis = RPM;
                } else if (list.stream().allMatch(d -> d.tpm().isPresent())) {
                    basis = TPM;
                }
            }
            out.put(group, basis);
        });
        return out;
    }
}
