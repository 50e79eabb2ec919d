package io.llmrouter.internal;

import io.llmrouter.Deployment;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceMatch;
import io.llmrouter.spi.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a router's model groups from its deployments, once, when the router is built: a unique id
 * for each deployment, its provider (a missing one fails here, not at the first call), its price,
 * its weight, and whether it is its group's only deployment.
 */
final class GroupAssembly {

    /** The groups, in definition order, and the deployments with their final ids. */
    record Result(Map<String, ModelGroup> groups, List<Deployment> deployments) {
    }

    private GroupAssembly() {
    }

    static Result assemble(RouterSettings settings, RouterEngine engine) {
        ProviderRegistry registry = new ProviderRegistry(settings.providers(), RouterEngine.class.getClassLoader());
        Map<String, List<DeploymentState>> byGroup = new LinkedHashMap<>();
        Map<String, Integer> idCounts = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        List<Deployment> finalDeployments = new ArrayList<>();
        Map<String, Integer> groupSizes = new HashMap<>();
        settings.deployments().forEach(d -> groupSizes.merge(d.modelGroup(), 1, Integer::sum));
        Map<String, WeightBasis> weightBasis = WeightBasis.of(settings.deployments());
        for (Deployment d : settings.deployments()) {
            String id = d.id();
            if (!d.hasExplicitId()) {
                int n = idCounts.merge(id, 1, Integer::sum);
                if (n > 1) {
                    id = id + "#" + n;
                }
            }
            if (!ids.add(id)) {
                throw new IllegalStateException("duplicate deployment id '" + id + "'; give each deployment a unique id()");
            }
            Provider provider = d.provider().isPresent() ? d.provider().get()
                    : registry.resolve(d.providerPrefix(), id);
            Deployment effective = id.equals(d.id()) ? d : d.toBuilder().id(id).build();
            finalDeployments.add(effective);
            byGroup.computeIfAbsent(d.modelGroup(), k -> new ArrayList<>())
                    .add(newState(engine, effective, id, provider, settings, groupSizes.get(d.modelGroup()) == 1,
                            weightBasis.get(d.modelGroup()).weightOf(d)));
        }
        Map<String, ModelGroup> groups = new LinkedHashMap<>();
        byGroup.forEach((name, states) -> groups.put(name, new ModelGroup(name, states)));
        return new Result(Collections.unmodifiableMap(groups), List.copyOf(finalDeployments));
    }

    private static DeploymentState newState(RouterEngine engine, Deployment d, String id, Provider provider,
            RouterSettings s, boolean sole, int weight) {
        ModelPrice price = d.price().orElse(null);
        String pricedBy = price != null ? "deployment '" + id + "' price override" : null;
        if (price == null) {
            String key = d.baseModel().orElse(d.providerRoute());
            Optional<PriceMatch> match = s.priceTable().lookup(key);
            if (match.isPresent()) {
                price = match.get().price();
                pricedBy = match.get().key();
            }
        }
        return new DeploymentState(d, id, provider, price, pricedBy, engine, sole, weight);
    }
}
