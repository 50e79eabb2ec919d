package io.llmrouter.proxy.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.proxy.store.SpendEntry;
import io.llmrouter.proxy.store.SpendStatus;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spend log's overflow: entries the database could not take in time, appended as JSON lines
 * ({@code spend-spill-<writer>.jsonl}) and replayed later. Before a replay the file is renamed
 * ({@code spend-replay-<writer>-<n>.jsonl}) so that new entries go to a fresh file; a replay file
 * is deleted once every line is in the database. Files left by an earlier process are replayed too.
 * Thread-safe: appends and the rename hold this object's lock.
 */
final class SpillFile {

    private static final Logger log = LoggerFactory.getLogger(SpillFile.class);

    private final Path directory;
    private final String writerId;
    private final Path current;
    private int replays;
    private BufferedWriter out;
    private boolean pending;

    SpillFile(Path directory, String writerId) {
        this.directory = directory;
        this.writerId = writerId;
        this.current = directory.resolve("spend-spill-" + writerId + ".jsonl");
        this.pending = !files().isEmpty();
    }

    /**
     * Appends entries (one JSON line each) and flushes them to the file. When the file cannot be
     * written (disk full, no permission) nothing else can keep them: that is logged at ERROR with
     * the count, and false returned; the caller goes on (a request must not fail for its log line).
     */
    synchronized boolean append(List<JdbcSpendLog.Pending> entries) {
        if (entries.isEmpty()) {
            return true;
        }
        try {
            if (out == null) {
                Files.createDirectories(directory);
                out = Files.newBufferedWriter(current, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            for (JdbcSpendLog.Pending p : entries) {
                out.write(Sql.JSON.writeValueAsString(toJson(p)));
                out.write('\n');
            }
            out.flush();
            pending = true;
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("spend log: lost {} entries: the spill file {} cannot be written: {}", entries.size(), current,
                    e.toString());
            return false;
        }
    }

    /** Whether a spill or replay file waits to be written to the database. */
    synchronized boolean hasPending() {
        return pending;
    }

    /**
     * The files to replay, oldest first: the current spill file is renamed first, so appends go on
     * in a new one.
     */
    synchronized List<Path> beginReplay() {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
            if (Files.exists(current)) {
                Path replay = directory.resolve("spend-replay-" + writerId + "-" + (++replays) + "-"
                        + System.nanoTime() + ".jsonl");
                Files.move(current, replay, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> files = files();
        files.removeIf(current::equals);
        return files;
    }

    /** Marks a replay file done: deletes it. */
    synchronized void finished(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pending = !files().isEmpty();
    }

    /**
     * Reads a file in chunks of {@code chunk} entries; a line that does not parse (a crash cut it)
     * is skipped with a warning.
     */
    static void read(Path file, int chunk, Consumer<List<JdbcSpendLog.Pending>> sink) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<JdbcSpendLog.Pending> batch = new ArrayList<>(chunk);
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Optional<JdbcSpendLog.Pending> p = parse(line);
                if (p.isEmpty()) {
                    log.warn("spend log: skipped line {} of {}: not a spend entry", number, file.getFileName());
                    continue;
                }
                batch.add(p.get());
                if (batch.size() == chunk) {
                    sink.accept(batch);
                    batch = new ArrayList<>(chunk);
                }
            }
            if (!batch.isEmpty()) {
                sink.accept(batch);
            }
        }
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "spend-*.jsonl")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort((a, b) -> {
            try {
                return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
                return a.compareTo(b);
            }
        });
        return files;
    }

    private static ObjectNode toJson(JdbcSpendLog.Pending p) {
        SpendEntry e = p.entry();
        ObjectNode n = Sql.JSON.createObjectNode();
        n.put("entryId", p.entryId());
        n.put("requestId", e.requestId());
        n.put("startTime", e.startTime().toString());
        e.tokenHash().ifPresent(v -> n.put("tokenHash", v));
        e.userId().ifPresent(v -> n.put("userId", v));
        e.teamId().ifPresent(v -> n.put("teamId", v));
        n.put("modelGroup", e.modelGroup());
        e.deploymentId().ifPresent(v -> n.put("deploymentId", v));
        e.provider().ifPresent(v -> n.put("provider", v));
        n.put("promptTokens", e.promptTokens());
        n.put("completionTokens", e.completionTokens());
        n.put("totalTokens", e.totalTokens());
        n.put("cost", e.cost().toPlainString());
        n.put("latencyMs", e.latency().toMillis());
        n.put("status", e.status().name());
        n.put("cached", e.cached());
        n.put("callType", e.callType());
        return n;
    }

    static Optional<JdbcSpendLog.Pending> parse(String line) {
        try {
            JsonNode n = Sql.JSON.readTree(line);
            SpendEntry.Builder b = SpendEntry.builder(n.get("requestId").asText(),
                    Instant.parse(n.get("startTime").asText()), n.get("modelGroup").asText());
            text(n, "tokenHash").ifPresent(b::tokenHash);
            text(n, "userId").ifPresent(b::userId);
            text(n, "teamId").ifPresent(b::teamId);
            text(n, "deploymentId").ifPresent(b::deploymentId);
            text(n, "provider").ifPresent(b::provider);
            b.promptTokens(n.get("promptTokens").asLong())
                    .completionTokens(n.get("completionTokens").asLong())
                    .totalTokens(n.get("totalTokens").asLong())
                    .cost(new BigDecimal(n.get("cost").asText()))
                    .latency(Duration.ofMillis(n.get("latencyMs").asLong()))
                    .status(SpendStatus.valueOf(n.get("status").asText()))
                    .cached(n.get("cached").asBoolean())
                    .callType(n.get("callType").asText());
            return Optional.of(new JdbcSpendLog.Pending(n.get("entryId").asText(), b.build(), true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    /** Closes the append stream. */
    synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("spend log: closing the spill file {}: {}", current, e.toString());
            }
            out = null;
        }
    }
}
