package io.llmrouter.proxy.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.proxy.store.SpendEntry;
import io.llmrouter.proxy.store.StoreSettings;
import io.llmrouter.proxy.store.VirtualKey;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's exactly-once rules: a batch that may have been committed is not written or charged twice. */
class JdbcSpendLogTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final VirtualKey KEY = VirtualKey.builderFor("sk-exactly-once-test-key").createdAt(T0).build();

    @TempDir
    Path spillDir;

    private JdbcProxyStore store;
    private DataSource dataSource;

    @BeforeEach
    void open() {
        StoreSettings settings = StoreSettings.builder()
                .jdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1")
                .spillDirectory(spillDir).flushInterval(Duration.ofMillis(20)).build();
        store = JdbcProxyStore.open(settings, ds -> {
            dataSource = ds;
            return ds;
        });
        store.keys().insert(KEY);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static List<JdbcSpendLog.Pending> batch(String prefix, int n, boolean maybeWritten) {
        List<JdbcSpendLog.Pending> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SpendEntry e = SpendEntry.builder("req-" + i, T0, "gpt-4o").tokenHash(KEY.tokenHash())
                    .cost(new BigDecimal("0.25")).build();
            batch.add(new JdbcSpendLog.Pending(prefix + "-" + i, e, maybeWritten));
        }
        return batch;
    }

    private long count() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM proxy_spend_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void givenCommittedBatch_whenRetriedAsMaybeWritten_thenNoRowOrSpendIsAddedTwice() throws Exception {
        store.jdbcSpendLog().write(batch("w", 4, false));

        List<JdbcSpendLog.Pending> retry = batch("w", 6, true);    // 4 already written, 2 new
        store.jdbcSpendLog().write(retry);

        assertThat(count()).isEqualTo(6);
        assertThat(store.keys().find(KEY.tokenHash()).orElseThrow().spend()).isEqualByComparingTo("1.50");
    }

    @Test
    void givenSpillFileWithLinesAlreadyWrittenAndRepeated_whenReplayed_thenEachEntryCountsOnce() throws Exception {
        store.jdbcSpendLog().write(batch("s", 2, false));
        SpillFile spill = new SpillFile(spillDir, "test");
        spill.append(batch("s", 3, false));    // s-0, s-1 are in the table already
        spill.append(batch("s", 3, false));    // the same three again, as after a crash during close
        spill.close();
        assertThat(Files.list(spillDir).count()).isEqualTo(1);

        // a new log finds the file at start and replays it
        JdbcSpendLog replaying = new JdbcSpendLog(dataSource, StoreSettings.builder().spillDirectory(spillDir)
                .flushInterval(Duration.ofMillis(20)).build(), new JdbcProxyStore.StoreErrors(StoreSettings.defaults()));
        try {
            replaying.flush();
        } finally {
            replaying.close();
        }

        assertThat(count()).isEqualTo(3);
        assertThat(store.keys().find(KEY.tokenHash()).orElseThrow().spend()).isEqualByComparingTo("0.75");
        assertThat(Files.list(spillDir).count()).isZero();
    }
}
