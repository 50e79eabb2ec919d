package io.llmrouter;

import java.util.List;
import java.util.Objects;

/**
 * What a live change to a {@link Router} did, by deployment id: deployments added, replaced (same
 * id, new definition: fresh health), removed, and unchanged (state kept); and whether the fallback
 * policy or the aliases changed. Returned by {@link Router#apply(RouterChange)} and its shortcuts.
 *
 * <pre>{@code
 * ChangeReport report = router.upsertDeployment(canary);
 * log.info("added {}, replaced {}", report.added(), report.replaced());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ChangeReport {

    private final List<String> added;
    private final List<String> replaced;
    private final List<String> removed;
    private final List<String> unchanged;
    private final boolean fallbackPolicyChanged;
    private final boolean aliasesChanged;

    ChangeReport(List<String> added, List<String> replaced, List<String> removed, List<String> unchanged,
            boolean fallbackPolicyChanged, boolean aliasesChanged) {
        this.added = List.copyOf(added);
        this.replaced = List.copyOf(replaced);
        this.removed = List.copyOf(removed);
        this.unchanged = List.copyOf(unchanged);
        this.fallbackPolicyChanged = fallbackPolicyChanged;
        this.aliasesChanged = aliasesChanged;
    }

    /** The ids of the deployments added, in definition order. */
    public List<String> added() {
        return added;
    }

    /** The ids of the deployments whose definition changed (they start with fresh health), in definition order. */
    public List<String> replaced() {
        return replaced;
    }

    /** The ids of the deployments removed, in their former definition order. */
    public List<String> removed() {
        return removed;
    }

    /** The ids of the deployments that kept their definition and state, in definition order. */
    public List<String> unchanged() {
        return unchanged;
    }

    /** Whether the fallback policy changed. */
    public boolean isFallbackPolicyChanged() {
        return fallbackPolicyChanged;
    }

    /** Whether the aliases changed. */
    public boolean isAliasesChanged() {
        return aliasesChanged;
    }

    /** Whether anything changed. */
    public boolean hasChanges() {
        return !added.isEmpty() || !replaced.isEmpty() || !removed.isEmpty() || fallbackPolicyChanged
                || aliasesChanged;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeReport r && added.equals(r.added) && replaced.equals(r.replaced)
                && removed.equals(r.removed) && unchanged.equals(r.unchanged)
                && fallbackPolicyChanged == r.fallbackPolicyChanged && aliasesChanged == r.aliasesChanged;
    }

    @Override
    public int hashCode() {
        return Objects.hash(added, replaced, removed, unchanged, fallbackPolicyChanged, aliasesChanged);
    }

    @Override
    public String toString() {
        return "ChangeReport[added=" + added + ", replaced=" + replaced + ", removed=" + removed + ", unchanged="
                + unchanged + ", fallbackPolicyChanged=" + fallbackPolicyChanged + ", aliasesChanged="
                + aliasesChanged + "]";
    }
}
