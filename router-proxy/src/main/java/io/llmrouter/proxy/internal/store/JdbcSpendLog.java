package io.llmrouter.proxy.internal.store;

import io.llmrouter.proxy.internal.store.JdbcProxyStore.StoreErrors;
import io.llmrouter.proxy.store.SpendEntry;
import io.llmrouter.proxy.store.SpendLog;
import io.llmrouter.proxy.store.SpendStatus;
import io.llmrouter.proxy.store.SpendSummary;
import io.llmrouter.proxy.store.StoreException;
import io.llmrouter.proxy.store.StoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SpendLog} with one background writer thread. {@link #record} is a lock-free enqueue (or,
 * past the backlog bound, an append to the {@link SpillFile}); the writer drains the queue in
 * batches of up to {@code maxBatchSize}, waiting up to {@code flushInterval} to gather one, and
 * writes each batch and the keys' spend in one transaction. A failed batch is kept and retried
 * with a growing pause (up to {@link #MAX_RETRY_PAUSE}) until the database answers; meanwhile new
 * entries wait in the queue and, past the bound, in the spill file, which the writer replays once
 * the queue is empty. Every row has an {@code entry_id}: a batch that may have been committed
 * (retried, or replayed from a file) first skips the ids already in the table, so nothing is
 * written or charged twice.
 */
public final class JdbcSpendLog implements SpendLog {

    private static final Logger log = LoggerFactory.getLogger(JdbcSpendLog.class);

    /** The longest pause between retries while the database is down. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);

    private static final String INSERT = "INSERT INTO proxy_spend_log (entry_id, request_id, start_time, token_hash,"
            + " user_id, team_id, model_group, deployment_id, provider, prompt_tokens, completion_tokens, total_tokens,"
            + " cost, latency_ms, status, cached, call_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ADD_SPEND = "UPDATE proxy_key SET spend = spend + ? WHERE token_hash = ?";
    private static final String ENTRY_COLUMNS = "request_id, start_time, token_hash, user_id, team_id, model_group,"
            + " deployment_id, provider, prompt_tokens, completion_tokens, total_tokens, cost, latency_ms, status,"
            + " cached, call_type";

    /** An entry with the writer's id for its row; {@code maybeWritten} asks to check the table first. */
    record Pending(String entryId, SpendEntry entry, boolean maybeWritten) {
        Pending asMaybeWritten() {
            return maybeWritten ? this : new Pending(entryId, entry, true);
        }
    }

    private final DataSource dataSource;
    private final StoreSettings settings;
    private final StoreErrors errors;
    private final String writerId;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Entries in the queue or in the writer's hands (not in the spill file). */
    private final AtomicLong outstanding = new AtomicLong();
    private final SpillFile spill;
    private final Object progress = new Object();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private volatile List<Pending> inFlight = List.of();
    private boolean down;

    JdbcSpendLog(DataSource dataSource, StoreSettings settings, StoreErrors errors) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.errors = errors;
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.writerId = HexFormat.of().formatHex(random);
        this.spill = new SpillFile(settings.spillDirectory(), writerId);
        this.writer = new Thread(this::run, "llmrouter-spend-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void record(SpendEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (closed) {
            throw new IllegalStateException("the spend log is closed");
        }
        Pending p = new Pending(writerId + "-" + Long.toHexString(sequence.incrementAndGet()), entry, false);
        long backlog = outstanding.incrementAndGet();
        if (backlog > settings.maxBacklog()) {
            outstanding.decrementAndGet();
            spill.append(List.of(p));
            return;
        }
        queue.add(p);
        if (stopped) {
            // close() has drained the queue already: this entry goes to the spill file too.
            spillQueue();
        } else if (backlog % settings.maxBatchSize() == 0) {
            LockSupport.unpark(writer);
        }
    }

    @Override
    public void flush() {
        if (!awaitIdle(settings.closeTimeout())) {
            throw new StoreException(settings.databaseKind() + ": spend log: " + outstanding.get()
                    + " entries (and any spill file) not written within " + settings.closeTimeout().toMillis()
                    + " ms; they are kept and written when the database answers");
        }
    }

    /** Whether nothing waits: the queue, the writer's batch and the spill files are empty. */
    boolean isIdle() {
        return outstanding.get() == 0 && !spill.hasPending();
    }

    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!isIdle()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return isIdle();
                }
                LockSupport.unpark(writer);
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return isIdle();
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean idle = awaitIdle(settings.closeTimeout());
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(settings.connectionTimeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        spillQueue();
        List<Pending> stuck = inFlight;
        if (writer.isAlive() && !stuck.isEmpty()) {
            // The writer is still in a database call: its batch may yet commit, so the copy in the
            // spill file is checked against the table when it is replayed.
            List<Pending> copy = new ArrayList<>(stuck.size());
            stuck.forEach(p -> copy.add(p.asMaybeWritten()));
            spill.append(copy);
        }
        spill.close();
        if (!idle) {
            log.warn("spend log: the {} database did not take every entry within {} ms; the rest is in {}",
                    settings.databaseKind(), settings.closeTimeout().toMillis(), settings.spillDirectory());
        }
    }

    private void spillQueue() {
        List<Pending> rest = new ArrayList<>();
        Pending p;
        while ((p = queue.poll()) != null) {
            rest.add(p);
        }
        if (!rest.isEmpty()) {
            spill.append(rest);
            outstanding.addAndGet(-rest.size());
        }
    }

    private void run() {
        int failures = 0;
        while (!stopping) {
            List<Pending> batch = drain();
            if (batch.isEmpty()) {
                if (spill.hasPending()) {
                    if (replaySpill()) {
                        failures = 0;
                    } else {
                        failures++;
                        pause(failures);
                    }
                    signalProgress();
                    continue;
                }
                signalProgress();
                LockSupport.parkNanos(this, settings.flushInterval().toNanos());
                continue;
            }
            failures = 0;
            while (true) {
                inFlight = batch;
                try {
                    write(batch);
                    inFlight = List.of();
                    outstanding.addAndGet(-batch.size());
                    markUp();
                    failures = 0;
                    break;
                } catch (SQLException | RuntimeException e) {
                    markDown(e, batch.size());
                    List<Pending> retry = new ArrayList<>(batch.size());
                    batch.forEach(p -> retry.add(p.asMaybeWritten()));
                    batch = retry;
                    inFlight = batch;
                    if (stopping) {
                        spill.append(batch);
                        inFlight = List.of();
                        outstanding.addAndGet(-batch.size());
                        break;
                    }
                    failures++;
                    pause(failures);
                }
            }
            signalProgress();
            if (queue.size() < settings.maxBatchSize() && !stopping && !spill.hasPending()) {
                LockSupport.parkNanos(this, settings.flushInterval().toNanos());
            }
        }
        signalProgress();
    }

    private void pause(int failures) {
        long nanos = Math.min(settings.flushInterval().toNanos() << Math.min(failures, 10), MAX_RETRY_PAUSE.toNanos());
        LockSupport.parkNanos(this, nanos);
    }

    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>(Math.min(settings.maxBatchSize(), 64));
        Pending p;
        while (batch.size() < settings.maxBatchSize() && (p = queue.poll()) != null) {
            batch.add(p);
        }
        return batch;
    }

    private boolean replaySpill() {
        try {
            for (Path file : spill.beginReplay()) {
                int[] count = {0};
                SpillFile.read(file, settings.maxBatchSize(), chunk -> {
                    if (stopping) {
                        // close() is under way: the file stays for the next start
                        throw new ReplayFailed(new SQLException("the spend log is closing"));
                    }
                    try {
                        write(chunk);
                        count[0] += chunk.size();
                    } catch (SQLException e) {
                        throw new ReplayFailed(e);
                    }
                });
                spill.finished(file);
                log.info("spend log: replayed {} entries from {}", count[0], file.getFileName());
            }
            markUp();
            return true;
        } catch (ReplayFailed e) {
            markDown(e.getCause(), 0);
            return false;
        } catch (IOException | UncheckedIOException e) {
            log.warn("spend log: cannot read the spill files in {}: {}", settings.spillDirectory(), e.toString());
            return false;
        } catch (RuntimeException e) {
            markDown(e, 0);
            return false;
        }
    }

    /** A replay chunk that the database refused. */
    private static final class ReplayFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayFailed(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private void markDown(Throwable e, int entries) {
        if (!down) {
            down = true;
            log.warn("spend log: the {} database does not take entries ({}); keeping {} entries and retrying",
                    settings.databaseKind(), errors.describe(e), Math.max(entries, outstanding.get()));
        } else if (log.isDebugEnabled()) {
            log.debug("spend log: still failing: {}", errors.describe(e));
        }
    }

    private void markUp() {
        if (down) {
            down = false;
            log.info("spend log: the {} database takes entries again", settings.databaseKind());
        }
    }

    private void signalProgress() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Writes the rows and adds their cost to their keys, in one transaction. */
    void write(List<Pending> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Pending> rows = unwritten(c, batch);
                if (!rows.isEmpty()) {
                    insert(c, rows);
                    addSpend(c, rows);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                JdbcKeyStore.rollbackQuietly(c);
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a broken connection: the pool drops it
                }
            }
        }
    }

    private static List<Pending> unwritten(Connection c, List<Pending> batch) throws SQLException {
        boolean check = false;
        for (Pending p : batch) {
            check |= p.maybeWritten();
        }
        if (!check) {
            return batch;
        }
        Set<String> seen = new HashSet<>();
        StringBuilder sql = new StringBuilder("SELECT entry_id FROM proxy_spend_log WHERE entry_id IN (");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < batch.size(); i++) {
                ps.setString(i + 1, batch.get(i).entryId());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getString(1));
                }
            }
        }
        List<Pending> rows = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (seen.add(p.entryId())) {
                rows.add(p);
            }
        }
        return rows;
    }

    private static void insert(Connection c, List<Pending> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Pending p : rows) {
                SpendEntry e = p.entry();
                ps.setString(1, p.entryId());
                ps.setString(2, e.requestId());
                Sql.setInstant(ps, 3, e.startTime());
                Sql.setString(ps, 4, e.tokenHash().orElse(null));
                Sql.setString(ps, 5, e.userId().orElse(null));
                Sql.setString(ps, 6, e.teamId().orElse(null));
                ps.setString(7, e.modelGroup());
                Sql.setString(ps, 8, e.deploymentId().orElse(null));
                Sql.setString(ps, 9, e.provider().orElse(null));
                ps.setLong(10, e.promptTokens());
                ps.setLong(11, e.completionTokens());
                ps.setLong(12, e.totalTokens());
                Sql.setMoney(ps, 13, e.cost());
                ps.setLong(14, e.latency().toMillis());
                ps.setString(15, e.status().name());
                ps.setBoolean(16, e.cached());
                ps.setString(17, e.callType());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** One UPDATE per key, in hash order (so two writers lock keys in the same order). */
    private static void addSpend(Connection c, List<Pending> rows) throws SQLException {
        Map<String, BigDecimal> perKey = new TreeMap<>();
        for (Pending p : rows) {
            SpendEntry e = p.entry();
            if (e.tokenHash().isPresent() && e.cost().signum() > 0) {
                perKey.merge(e.tokenHash().get(), Sql.money(e.cost()), BigDecimal::add);
            }
        }
        if (perKey.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(ADD_SPEND)) {
            for (Map.Entry<String, BigDecimal> k : perKey.entrySet()) {
                ps.setBigDecimal(1, k.getValue());
                ps.setString(2, k.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<SpendSummary> spendByKey(Instant from, Instant to, int limit) {
        return summaries("SELECT l.token_hash AS id, MAX(k.key_name) AS name, COUNT(*) AS requests,"
                + " COALESCE(SUM(l.total_tokens), 0) AS tokens, COALESCE(SUM(l.cost), 0) AS cost"
                + " FROM proxy_spend_log l LEFT JOIN proxy_key k ON k.token_hash = l.token_hash"
                + " WHERE l.token_hash IS NOT NULL AND l.start_time >= ? AND l.start_time < ?"
                + " GROUP BY l.token_hash ORDER BY cost DESC, id LIMIT ?", from, to, limit, "query spend by key");
    }

    @Override
    public List<SpendSummary> spendByModel(Instant from, Instant to, int limit) {
        return summaries("SELECT model_group AS id, model_group AS name, COUNT(*) AS requests,"
                + " COALESCE(SUM(total_tokens), 0) AS tokens, COALESCE(SUM(cost), 0) AS cost"
                + " FROM proxy_spend_log WHERE start_time >= ? AND start_time < ?"
                + " GROUP BY model_group ORDER BY cost DESC, id LIMIT ?", from, to, limit, "query spend by model");
    }

    private List<SpendSummary> summaries(String sql, Instant from, Instant to, int limit, String what) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        positive(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.setInstant(ps, 1, from);
            Sql.setInstant(ps, 2, to);
            ps.setInt(3, limit);
            List<SpendSummary> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    String name = rs.getString("name");
                    if (name == null) {
                        name = "deleted key " + JdbcKeyStore.shortHash(id);
                    }
                    rows.add(SpendSummary.of(id, name, rs.getLong("requests"), rs.getLong("tokens"),
                            Sql.getMoney(rs, "cost")));
                }
            }
            return List.copyOf(rows);
        } catch (SQLException e) {
            throw errors.operationFailure(what, e);
        }
    }

    @Override
    public List<SpendEntry> entries(String tokenHash, int limit) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        positive(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT "
                + ENTRY_COLUMNS + " FROM proxy_spend_log WHERE token_hash = ? ORDER BY start_time DESC, entry_id DESC"
                + " LIMIT ?")) {
            ps.setString(1, tokenHash);
            ps.setInt(2, limit);
            List<SpendEntry> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(readEntry(rs));
                }
            }
            return List.copyOf(rows);
        } catch (SQLException e) {
            throw errors.operationFailure("read spend entries", e);
        }
    }

    private static SpendEntry readEntry(ResultSet rs) throws SQLException {
        SpendEntry.Builder b = SpendEntry.builder(rs.getString("request_id"), Sql.getInstant(rs, "start_time"),
                rs.getString("model_group"));
        String v;
        if ((v = rs.getString("token_hash")) != null) {
            b.tokenHash(v);
        }
        if ((v = rs.getString("user_id")) != null) {
            b.userId(v);
        }
        if ((v = rs.getString("team_id")) != null) {
            b.teamId(v);
        }
        if ((v = rs.getString("deployment_id")) != null) {
            b.deploymentId(v);
        }
        if ((v = rs.getString("provider")) != null) {
            b.provider(v);
        }
        return b.promptTokens(rs.getLong("prompt_tokens"))
                .completionTokens(rs.getLong("completion_tokens"))
                .totalTokens(rs.getLong("total_tokens"))
                .cost(Sql.getMoney(rs, "cost"))
                .latency(Duration.ofMillis(rs.getLong("latency_ms")))
                .status(SpendStatus.valueOf(rs.getString("status")))
                .cached(rs.getBoolean("cached"))
                .callType(rs.getString("call_type"))
                .build();
    }

    private static void positive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }

    @Override
    public String toString() {
        return "JdbcSpendLog[" + settings.databaseKind() + ", queued=" + outstanding.get() + "]";
    }
}
