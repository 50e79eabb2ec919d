package io.llmrouter.cost;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link PriceTable}'s data came from, as declared in the table's {@code #} header comments.
 *
 * <p>For the bundled table: source {@code BerriAI/litellm}, the source file's path in that repository, the
 * commit it was taken from and the sha256 of the source file. A user's table may declare none of these;
 * {@link #entryCount()} is always the number of entries actually loaded. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class PriceTableVersion {

    private final String source;
    private final String sourcePath;
    private final String commit;
    private final String sha256;
    private final int entryCount;

    PriceTableVersion(String source, String sourcePath, String commit, String sha256, int entryCount) {
        this.source = source;
        this.sourcePath = sourcePath;
        this.commit = commit;
        this.sha256 = sha256;
        this.entryCount = entryCount;
    }

    /** The source repository ({@code # source_repository:}), e.g. {@code BerriAI/litellm}. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** The source file's path in that repository ({@code # source_path:}). */
    public Optional<String> sourcePath() {
        return Optional.ofNullable(sourcePath);
    }

    /** The source commit ({@code # source_commit:}), 40 hex digits for the bundled table. */
    public Optional<String> commit() {
        return Optional.ofNullable(commit);
    }

    /** The sha256 of the source file, in lower-case hex ({@code # source_sha256:}). */
    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    /** How many entries the table holds. */
    public int entryCount() {
        return entryCount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriceTableVersion v && Objects.equals(source, v.source)
                && Objects.equals(sourcePath, v.sourcePath) && Objects.equals(commit, v.commit)
                && Objects.equals(sha256, v.sha256) && entryCount == v.entryCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, sourcePath, commit, sha256, entryCount);
    }

    @Override
    public String toString() {
        return "PriceTableVersion[source=" + source + ", sourcePath=" + sourcePath + ", commit=" + commit
                + ", sha256=" + sha256 + ", entries=" + entryCount + "]";
    }
}
