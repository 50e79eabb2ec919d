package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.budget.SpendReport;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Spend since the router was built, by dimension. Lock-striped by ConcurrentHashMap's bins. */
final class SpendLedger {

    private static final String TOTAL = "*";

    private final Map<String, BigDecimal> total = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byDeployment = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byProvider = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byGroup = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byUser = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> byTag = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unpriced = new ConcurrentHashMap<>();

    void record(RouterRequest request, String group, DeploymentState d, Cost cost) {
        if (!cost.isPriced()) {
            unpriced.computeIfAbsent(d.id(), k -> new LongAdder()).increment();
            return;
        }
        BigDecimal usd = cost.totalUsd().orElse(BigDecimal.ZERO);
        total.merge(TOTAL, usd, BigDecimal::add);
        byDeployment.merge(d.id(), usd, BigDecimal::add);
        byProvider.merge(d.deployment().providerPrefix(), usd, BigDecimal::add);
        byGroup.merge(group, usd, BigDecimal::add);
        request.user().ifPresent(u -> byUser.merge(u, usd, BigDecimal::add));
        for (String tag : request.tags()) {
            byTag.merge(tag, usd, BigDecimal::add);
        }
    }

    SpendReport report() {
        Map<String, Long> counts = new java.util.HashMap<>();
        unpriced.forEach((k, v) -> counts.put(k, v.sum()));
        return new SpendReport(total.getOrDefault(TOTAL, BigDecimal.ZERO), byDeployment, byProvider, byGroup, byUser,
                byTag, counts);
    }
}
