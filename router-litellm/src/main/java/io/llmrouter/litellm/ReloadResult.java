package io.llmrouter.litellm;

import io.llmrouter.ChangeReport;
import java.util.List;
import java.util.Objects;

/**
 * What {@link LiteLlmConfig#reload(io.llmrouter.Router, java.nio.file.Path, java.util.Map)} did to
 * the running router: the change (deployments added, replaced, removed, unchanged; fallbacks and
 * aliases) and the notes: the loader's (keys accepted but not applied) followed by one per setting
 * of the file that differs from the running router but cannot change live (a new router is needed).
 *
 * <pre>{@code
 * ReloadResult r = LiteLlmConfig.reload(router, Path.of("config.yaml"), System.getenv());
 * log.info("reloaded: {}", r.changes());
 * r.notes().forEach(n -> log.warn("not applied: {}", n));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ReloadResult {

    private final ChangeReport changes;
    private final List<ConfigNote> notes;

    ReloadResult(ChangeReport changes, List<ConfigNote> notes) {
        this.changes = Objects.requireNonNull(changes, "changes");
        this.notes = List.copyOf(notes);
    }

    /** What changed in the router. */
    public ChangeReport changes() {
        return changes;
    }

    /** The keys not applied: the loader's notes, then the settings that need a new router; empty when none. */
    public List<ConfigNote> notes() {
        return notes;
    }

    /** Whether a setting of the file differs from the running router but cannot change live. */
    public boolean needsRebuild() {
        return notes.stream().anyMatch(n -> n.reason().startsWith(LiveReload.REBUILD));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReloadResult r && changes.equals(r.changes) && notes.equals(r.notes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(changes, notes);
    }

    @Override
    public String toString() {
        return "ReloadResult[changes=" + changes + ", notes=" + notes + "]";
    }
}
