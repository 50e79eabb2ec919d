package io.llmrouter.internal;

import io.llmrouter.Deployment;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceMatch;
import io.llmrouter.spi.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Builds a router's model groups from its deployments, when the router is built and at each live
 * change (keeping the state of unchanged deployments): a unique id
 * for each deployment (the set one, else one derived from its route and settings, see
 * {@link #defaultIds}), its provider (a missing one fails here, not at the first call), its price,
 * its weight, and whether it is its group's only deployment.
 */
final class GroupAssembly {

    /**
     * The groups, in definition order, and the deployments with their final ids.
     *
     * @param groups the groups by name, in definition order
     * @param deployments the deployments with their final ids, in definition order
     * @param reused the ids of the deployments whose state (health, usage, calls in flight) came
     *     from the previous topology
     */
    record Result(Map<String, ModelGroup> groups, List<Deployment> deployments, Set<String> reused) {
    }

    private GroupAssembly() {
    }

    /**
     * Assembles the groups of {@code settings.deployments()}. Everything that may fail (a repeated
     * id, a route prefix without provider) fails before any state is touched; then a deployment
     * whose definition equals that of the previous deployment of its id keeps that
     * {@link DeploymentState} (regrouped with its new only-deployment flag and weight), and a group
     * whose deployments are all kept, unchanged and in the same order, keeps its {@link ModelGroup}.
     *
     * @param registry resolves route prefixes to providers (kept by the engine, so providers are made once)
     * @param previous the states of the running topology by id; empty when the router is built
     * @param previousGroups the groups of the running topology by name; empty when the router is built
     * @throws IllegalStateException if an id repeats or a route prefix has no provider
     */
    static Result assemble(RouterSettings settings, RouterEngine engine, ProviderRegistry registry,
            Map<String, DeploymentState> previous, Map<String, ModelGroup> previousGroups) {
        Map<String, Integer> idCounts = new HashMap<>();
        Map<Deployment, String> defaultIds = defaultIds(settings.deployments());
        Set<String> ids = new LinkedHashSet<>();
        List<Deployment> finalDeployments = new ArrayList<>();
        List<Provider> providers = new ArrayList<>();
        Map<String, Integer> groupSizes = new HashMap<>();
        settings.deployments().forEach(d -> groupSizes.merge(d.modelGroup(), 1, Integer::sum));
        Map<String, WeightBasis> weightBasis = WeightBasis.of(settings.deployments());
        // Phase 1, which may fail: ids and providers.
        for (Deployment d : settings.deployments()) {
            String id = d.id();
            if (!d.hasExplicitId()) {
                id = defaultIds.get(d);
                int n = idCounts.merge(id, 1, Integer::sum);
                if (n > 1) {
                    id = id + "#" + n;
                }
            }
            if (!ids.add(id)) {
                throw new IllegalStateException("duplicate deployment id '" + id + "'; give each deployment a unique id()");
            }
            DeploymentState kept = previous.get(id);
            Deployment effective = id.equals(d.id()) ? d : d.toBuilder().id(id).build();
            boolean keep = kept != null && sameDefinition(kept.deployment(), effective);
            providers.add(keep ? kept.provider()
                    : d.provider().isPresent() ? d.provider().get() : registry.resolve(d.providerPrefix(), id));
            finalDeployments.add(effective);
        }
        // Phase 2, which does not fail: states (kept or new) and groups.
        Map<String, List<DeploymentState>> byGroup = new LinkedHashMap<>();
        Set<String> reused = new LinkedHashSet<>();
        for (int i = 0; i < finalDeployments.size(); i++) {
            Deployment d = finalDeployments.get(i);
            boolean sole = groupSizes.get(d.modelGroup()) == 1;
            int weight = weightBasis.get(d.modelGroup()).weightOf(d);
            DeploymentState kept = previous.get(d.id());
            DeploymentState state;
            if (kept != null && sameDefinition(kept.deployment(), d)) {
                state = kept;
                reused.add(d.id());
            } else {
                state = newState(engine, d, d.id(), providers.get(i), settings, sole, weight);
            }
            byGroup.computeIfAbsent(d.modelGroup(), k -> new ArrayList<>()).add(state);
        }
        Map<String, ModelGroup> groups = new LinkedHashMap<>();
        Executor wake = engine::wakeSlotWaiter;
        byGroup.forEach((name, states) -> {
            ModelGroup old = previousGroups.get(name);
            if (old != null && old.deployments().equals(states)) {
                // The same states (so the same definitions, size and weights): keeps its cached lists and waiters.
                groups.put(name, old);
                return;
            }
            for (DeploymentState s : states) {
                if (reused.contains(s.id())) {
                    s.regrouped(states.size() == 1, weightBasis.get(name).weightOf(s.deployment()));
                }
            }
            groups.put(name, new ModelGroup(name, states, wake));
        });
        return new Result(Collections.unmodifiableMap(groups), List.copyOf(finalDeployments),
                Collections.unmodifiableSet(reused));
    }

    /** Whether two deployments of one id are the same definition, whether their ids were set or derived. */
    static boolean sameDefinition(Deployment a, Deployment b) {
        if (a.equals(b)) {
            return true;
        }
        return a.id().equals(b.id()) && a.toBuilder().id(a.id()).build().equals(b.toBuilder().id(b.id()).build());
    }

    /**
     * The default id of each deployment without one (before repeats are numbered): its provider
     * route, plus {@code @} and {@link #settingsHash} when deployments of the same route differ in
     * api base, region or limits; repeats with the same settings share it (and get {@code #2}, ...).
     */
    private static Map<Deployment, String> defaultIds(List<Deployment> deployments) {
        Map<String, Set<String>> hashesByRoute = new HashMap<>();
        Map<Deployment, String> hashes = new IdentityHashMap<>();
        for (Deployment d : deployments) {
            if (!d.hasExplicitId()) {
                String hash = settingsHash(d);
                hashes.put(d, hash);
                hashesByRoute.computeIfAbsent(d.id(), k -> new LinkedHashSet<>()).add(hash);
            }
        }
        Map<Deployment, String> out = new IdentityHashMap<>();
        hashes.forEach((d, hash) -> out.put(d, hashesByRoute.get(d.id()).size() > 1 ? d.id() + "@" + hash : d.id()));
        return out;
    }

    /**
     * Eight hex digits of the SHA-256 of the settings that tell deployments of one route apart:
     * route, api base, region (provider options named {@code *region} or {@code *location}), rpm
     * and tpm; never the key. The same settings give the same hash in every run.
     */
    static String settingsHash(Deployment d) {
        StringBuilder sb = new StringBuilder(d.providerRoute()).append('\n').append(d.apiBase().orElse("")).append('\n');
        d.options().keys().stream()
                .filter(k -> k.name().endsWith("region") || k.name().endsWith("location"))
                .sorted(Comparator.comparing(k -> k.name()))
                .forEach(k -> sb.append(k.name()).append('=').append(d.options().get(k).orElse(null)).append(';'));
        sb.append('\n').append(d.rpm().orElse(0)).append('\n').append(d.tpm().orElse(0));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every Java SE runtime has it
        }
    }

    /**
     * The group that serves {@code model} through wildcard group {@code wildcard} (named
     * {@code <prefix>*}), which matched {@code servedAs} ({@code model}, or it with the provider
     * prefix the price table gives it): one deployment per wildcard deployment, in its group named
     * {@code model}, whose route has the {@code *} replaced by what the wildcard matched (the
     * requested model name is forwarded), whose id is the wildcard deployment's plus
     * {@code [model]}, and whose price is looked up for that route.
     */
    static ModelGroup derive(RouterEngine engine, RouterSettings settings, ModelGroup wildcard, String model,
            String servedAs) {
        String matched = servedAs.substring(wildcard.name().length() - 1);
        List<DeploymentState> wild = wildcard.deployments();
        List<Deployment> derived = new ArrayList<>(wild.size());
        for (DeploymentState w : wild) {
            String route = w.deployment().providerRoute();
            int star = route.indexOf('*');
            String forwarded = star < 0 ? route : route.substring(0, star) + matched + route.substring(star + 1);
            derived.add(w.deployment().toBuilder(model, forwarded).id(w.id() + "[" + model + "]").build());
        }
        Map<String, WeightBasis> basis = WeightBasis.of(derived);
        List<DeploymentState> states = new ArrayList<>(derived.size());
        for (int i = 0; i < derived.size(); i++) {
            Deployment d = derived.get(i);
            states.add(newState(engine, d, d.id(), wild.get(i).provider(), settings, derived.size() == 1,
                    basis.get(model).weightOf(d)));
        }
        return new ModelGroup(model, states, engine::wakeSlotWaiter);
    }

    /** Whether {@code groupName} is a wildcard route: it ends with {@code *} ({@code openai/*}, {@code *}). */
    static boolean isWildcard(String groupName) {
        return groupName.endsWith("*");
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
