package io.llmrouter.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.proxy.internal.store.JdbcProxyStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every database behind {@link ProxyStore} must do. Subclasses give a fresh, empty database
 * per test ({@link #database()}); the spend log's spill files go to a temporary directory.
 */
abstract class ProxyStoreContractTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path spillDir;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private FlakyDataSource flaky;

    /** Settings for a fresh, empty database (URL and credentials). */
    abstract StoreSettings.Builder database();

    /** The database's password, which must never show in messages; empty when it has none. */
    abstract Optional<String> password();

    /** Settings that name this database with a wrong password, when the database checks one. */
    abstract Optional<StoreSettings> wrongPassword();

    StoreSettings.Builder settings() {
        return database().spillDirectory(spillDir).flushInterval(Duration.ofMillis(20))
                .closeTimeout(Duration.ofSeconds(10)).clock(Clock.fixed(T0, ZoneOffset.UTC));
    }

    JdbcProxyStore open(StoreSettings settings) {
        return open(settings, false);
    }

    /** Opens a store; with {@code down}, its key store and spend log find the database down from the start. */
    JdbcProxyStore open(StoreSettings settings, boolean down) {
        JdbcProxyStore store = JdbcProxyStore.open(settings, ds -> {
            flaky = new FlakyDataSource(ds);
            if (down) {
                flaky.down();
            }
            return flaky;
        });
        opened.add(store);
        return store;
    }

    JdbcProxyStore open() {
        return open(settings().build());
    }

    FlakyDataSource flaky() {
        return flaky;
    }

    @AfterEach
    void closeStores() throws Exception {
        if (flaky != null) {
            flaky.up();
        }
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    static String apiKey(int i) {
        return "sk-test-key-" + i + "-abcdefghijklmnop";
    }

    static VirtualKey key(int i) {
        return VirtualKey.builderFor(apiKey(i)).createdAt(T0.plusSeconds(i)).build();
    }

    static SpendEntry entry(String requestId, VirtualKey key, String model, String cost, Instant start) {
        return SpendEntry.builder(requestId, start, model).tokenHash(key.tokenHash()).deploymentId(model + "-a")
                .provider("openai").promptTokens(10).completionTokens(5).cost(new BigDecimal(cost))
                .latency(Duration.ofMillis(120)).build();
    }

    long rows(ProxyStore store, String sql) throws Exception {
        DataSource ds = flaky;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // --- migrations ---------------------------------------------------------------------------

    @Test
    void givenEmptyDatabase_whenOpenedTwice_thenMigrationsApplyOnceAndDataSurvivesRestart() throws Exception {
        // given
        StoreSettings settings = settings().build();
        JdbcProxyStore first = open(settings);
        first.keys().insert(key(1));
        first.close();
        // when
        JdbcProxyStore second = open(settings);
        // then
        assertThat(second.keys().find(key(1).tokenHash())).contains(key(1));
        assertThat(rows(second, "SELECT COUNT(*) FROM proxy_schema_history WHERE success = TRUE AND version IS NOT NULL"))
                .isEqualTo(1);
    }

    // --- keys -----------------------------------------------------------------------------------

    @Test
    void givenKeyWithEveryField_whenInsertedAndFound_thenEveryFieldRoundTrips() {
        ProxyStore store = open();
        VirtualKey full = VirtualKey.builderFor(apiKey(7))
                .keyAlias("team-a-ci").addModel("gpt-4o").addModel("claude-sonnet")
                .maxBudget(new BigDecimal("25.50")).budgetDuration(Duration.ofDays(30))
                .budgetResetAt(Instant.parse("2026-12-31T00:00:00.123456789Z")).spend(new BigDecimal("0.000000000123"))
                .rpmLimit(600).tpmLimit(90_000).expires(Instant.parse("2027-01-01T00:00:00Z"))
                .userId("user-1").teamId("team-a")
                .metadata(Map.of("owner", "ops", "tags", List.of("ci", "eu"), "nested", Map.of("n", 3, "ok", true)))
                .blocked(true).createdAt(T0).updatedAt(T0.plusSeconds(5))
                .build();

        store.keys().insert(full);

        VirtualKey found = store.keys().find(full.tokenHash()).orElseThrow();
        assertThat(found).isEqualTo(full);
        assertThat(found.budgetResetAt()).contains(Instant.parse("2026-12-31T00:00:00.123456Z"));
        assertThat(found.metadata()).containsEntry("tags", List.of("ci", "eu"));
        assertThat(found.rpmLimit()).hasValue(600);
        assertThat(store.keys().findByAlias("team-a-ci")).contains(full);
        assertThat(store.keys().find(ApiKeys.hash("sk-unknown"))).isEmpty();
        assertThat(store.keys().findByAlias("nobody")).isEmpty();
    }

    @Test
    void givenKeyWithoutOptionalFields_whenFound_thenOptionalsAreEmpty() {
        ProxyStore store = open();
        store.keys().insert(key(1));

        VirtualKey found = store.keys().find(key(1).tokenHash()).orElseThrow();

        assertThat(found.keyAlias()).isEmpty();
        assertThat(found.models()).isEmpty();
        assertThat(found.maxBudget()).isEmpty();
        assertThat(found.rpmLimit()).isEmpty();
        assertThat(found.spend()).isEqualByComparingTo("0");
        assertThat(found.metadata()).isEmpty();
        assertThat(found.keyName()).isEqualTo("sk-...mnop");
    }

    @Test
    void givenExistingHash_whenInserted_thenDuplicateKeyExceptionWithoutTheHash() {
        ProxyStore store = open();
        store.keys().insert(key(1));

        assertThatThrownBy(() -> store.keys().insert(key(1).toBuilder().keyAlias("other").build()))
                .isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining(key(1).tokenHash().substring(0, 8))
                .hasMessageNotContaining(key(1).tokenHash().substring(0, 9));
    }

    @Test
    void givenExistingAlias_whenAnotherKeyTakesIt_thenDuplicateKeyException() {
        ProxyStore store = open();
        store.keys().insert(key(1).toBuilder().keyAlias("shared").build());
        store.keys().insert(key(3).toBuilder().keyAlias("third").build());

        assertThatThrownBy(() -> store.keys().insert(key(2).toBuilder().keyAlias("shared").build()))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("'shared'");
        assertThatThrownBy(() -> store.keys().update(key(3).tokenHash(), k -> k.keyAlias("shared")))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("'shared'");
        assertThat(store.keys().find(key(2).tokenHash())).isEmpty();
        assertThat(store.keys().find(key(3).tokenHash()).orElseThrow().keyAlias()).contains("third");
    }

    @Test
    void givenKey_whenUpdated_thenChangeIsWrittenWithUpdatedAtFromTheClock() {
        ProxyStore store = open();
        store.keys().insert(key(1).toBuilder().rpmLimit(10).build());

        Optional<VirtualKey> updated = store.keys().update(key(1).tokenHash(),
                k -> k.clearRpmLimit().maxBudget(new BigDecimal("3")).addModel("gpt-4o").putMetadata("v", 2));

        assertThat(updated).isPresent();
        VirtualKey found = store.keys().find(key(1).tokenHash()).orElseThrow();
        assertThat(found).isEqualTo(updated.get());
        assertThat(found.rpmLimit()).isEmpty();
        assertThat(found.maxBudget()).contains(new BigDecimal("3"));
        assertThat(found.models()).containsExactly("gpt-4o");
        assertThat(found.updatedAt()).isEqualTo(T0);
        assertThat(found.createdAt()).isEqualTo(key(1).createdAt());
        assertThat(store.keys().update(ApiKeys.hash("sk-missing"), k -> k.blocked(true))).isEmpty();
    }

    @Test
    void givenConcurrentUpdates_whenEachAddsOneModel_thenNoChangeIsLost() throws Exception {
        ProxyStore store = open();
        store.keys().insert(key(1));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String model = "m" + i;
                futures.add(pool.submit(() -> store.keys().update(key(1).tokenHash(), k -> k.addModel(model))));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.keys().find(key(1).tokenHash()).orElseThrow().models()).hasSize(20);
    }

    @Test
    void givenKeys_whenDeletedAndListed_thenPagesAreOldestFirst() {
        ProxyStore store = open();
        for (int i = 1; i <= 5; i++) {
            store.keys().insert(key(i));
        }

        assertThat(store.keys().delete(key(3).tokenHash())).isTrue();
        assertThat(store.keys().delete(key(3).tokenHash())).isFalse();

        assertThat(store.keys().list(0, 2)).containsExactly(key(1), key(2));
        assertThat(store.keys().list(2, 10)).containsExactly(key(4), key(5));
        assertThat(store.keys().list(10, 10)).isEmpty();
        assertThatThrownBy(() -> store.keys().list(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenSpend_whenReset_thenSpendIsZeroAndResetTimeMoves() {
        ProxyStore store = open();
        store.keys().insert(key(1).toBuilder().spend(new BigDecimal("4.25")).build());
        Instant next = T0.plus(Duration.ofDays(30));

        store.keys().resetSpend(key(1).tokenHash(), next);

        VirtualKey found = store.keys().find(key(1).tokenHash()).orElseThrow();
        assertThat(found.spend()).isEqualByComparingTo("0");
        assertThat(found.budgetResetAt()).contains(next);
    }

    // --- spend log ------------------------------------------------------------------------------

    @Test
    void givenManyRecords_whenFlushed_thenEveryRowIsWrittenAndKeySpendIsTheExactSum() throws Exception {
        ProxyStore store = open(settings().maxBatchSize(64).build());
        store.keys().insert(key(1));
        store.keys().insert(key(2));
        BigDecimal expected1 = BigDecimal.ZERO;
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            String cost = "0.000" + (100 + random.nextInt(900)) + "7";
            VirtualKey k = i % 3 == 0 ? key(2) : key(1);
            if (i % 3 != 0) {
                expected1 = expected1.add(new BigDecimal(cost));
            }
            store.spendLog().record(entry("req-" + i, k, "gpt-4o", cost, T0.plusMillis(i)));
        }

        store.spendLog().flush();

        assertThat(rows(store, "SELECT COUNT(*) FROM proxy_spend_log")).isEqualTo(1000);
        assertThat(store.keys().find(key(1).tokenHash()).orElseThrow().spend()).isEqualByComparingTo(expected1);
        BigDecimal logged = store.spendLog().spendByKey(T0, T0.plusSeconds(60), 10).stream()
                .filter(s -> s.id().equals(key(1).tokenHash())).findFirst().orElseThrow().cost();
        assertThat(logged).isEqualByComparingTo(expected1);
    }

    @Test
    void givenDatabaseDown_whenRecording_thenNothingIsLostAndEntriesAreWrittenWhenItReturns() throws Exception {
        ProxyStore store = open(settings().closeTimeout(Duration.ofMillis(300)).build());
        store.keys().insert(key(1));
        flaky().down();

        for (int i = 0; i < 50; i++) {
            store.spendLog().record(entry("req-" + i, key(1), "gpt-4o", "0.01", T0));
        }
        assertThatThrownBy(() -> store.spendLog().flush()).isInstanceOf(StoreException.class)
                .hasMessageContaining("not written");
        assertThat(store.health(Duration.ofSeconds(2)).isUp()).isFalse();

        flaky().up();
        store.spendLog().flush();

        assertThat(rows(store, "SELECT COUNT(*) FROM proxy_spend_log")).isEqualTo(50);
        assertThat(store.keys().find(key(1).tokenHash()).orElseThrow().spend()).isEqualByComparingTo("0.50");
        assertThat(store.health(Duration.ofSeconds(2)).isUp()).isTrue();
    }

    @Test
    void givenBacklogPastItsBound_whenDatabaseReturns_thenSpillFileIsReplayedAndDeleted() throws Exception {
        ProxyStore store = open(settings().maxBacklog(10).closeTimeout(Duration.ofMillis(300)).build());
        store.keys().insert(key(1));
        flaky().down();

        for (int i = 0; i < 100; i++) {
            store.spendLog().record(entry("req-" + i, key(1), "gpt-4o", "0.001", T0));
        }

        assertThat(spillLines()).hasSizeGreaterThanOrEqualTo(90);
        flaky().up();
        store.spendLog().flush();
        assertThat(rows(store, "SELECT COUNT(*) FROM proxy_spend_log")).isEqualTo(100);
        assertThat(rows(store, "SELECT COUNT(DISTINCT request_id) FROM proxy_spend_log")).isEqualTo(100);
        assertThat(store.keys().find(key(1).tokenHash()).orElseThrow().spend()).isEqualByComparingTo("0.100");
        assertThat(spillLines()).isEmpty();
    }

    @Test
    void givenRecordedEntries_whenClosed_thenCloseWritesThem() throws Exception {
        StoreSettings settings = settings().flushInterval(Duration.ofSeconds(30)).build();
        ProxyStore store = open(settings);
        store.keys().insert(key(1));
        for (int i = 0; i < 5; i++) {
            store.spendLog().record(entry("req-" + i, key(1), "gpt-4o", "0.2", T0));
        }

        store.close();

        ProxyStore reopened = open(settings);
        assertThat(reopened.spendLog().entries(key(1).tokenHash(), 10)).hasSize(5);
        assertThat(reopened.keys().find(key(1).tokenHash()).orElseThrow().spend()).isEqualByComparingTo("1.0");
        assertThatThrownBy(() -> store.spendLog().record(entry("late", key(1), "gpt-4o", "1", T0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givenDatabaseDownAtClose_whenReopened_thenTheSpilledEntriesAreReplayed() throws Exception {
        StoreSettings settings = settings().closeTimeout(Duration.ofMillis(300)).build();
        ProxyStore store = open(settings);
        store.keys().insert(key(1));
        flaky().down();
        for (int i = 0; i < 20; i++) {
            store.spendLog().record(entry("req-" + i, key(1), "gpt-4o", "0.05", T0));
        }

        store.close();
        assertThat(spillLines()).hasSize(20);
        flaky().up();

        ProxyStore reopened = open(settings);
        reopened.spendLog().flush();
        assertThat(reopened.spendLog().entries(key(1).tokenHash(), 100)).hasSize(20);
        assertThat(reopened.keys().find(key(1).tokenHash()).orElseThrow().spend()).isEqualByComparingTo("1.00");
        assertThat(spillLines()).isEmpty();
    }

    @Test
    void givenSpillFileAtStartAndDatabaseDown_whenItReturnsWithNoNewEntry_thenTheFileIsReplayed() throws Exception {
        StoreSettings settings = settings().closeTimeout(Duration.ofMillis(300)).build();
        ProxyStore store = open(settings);
        store.keys().insert(key(1));
        flaky().down();
        for (int i = 0; i < 20; i++) {
            store.spendLog().record(entry("req-" + i, key(1), "gpt-4o", "0.05", T0));
        }
        store.close();
        assertThat(spillLines()).hasSize(20);

        ProxyStore reopened = open(settings.toBuilder().closeTimeout(Duration.ofMillis(500)).build(), true);
        assertThatThrownBy(() -> reopened.spendLog().flush()).isInstanceOf(StoreException.class);  // replay failed
        flaky().up();
        reopened.spendLog().flush();

        assertThat(reopened.spendLog().entries(key(1).tokenHash(), 100)).hasSize(20);
        assertThat(spillLines()).isEmpty();
    }

    @Test
    void givenSixteenThreads_whenRecordingConcurrently_thenTotalsAreExact() throws Exception {
        ProxyStore store = open(settings().maxBacklog(1_000).build());
        store.keys().insert(key(1));
        int threads = 16;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        store.spendLog().record(entry("t" + thread + "-" + i, key(1), "gpt-4o", "0.0001", T0));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        store.spendLog().flush();

        assertThat(rows(store, "SELECT COUNT(*) FROM proxy_spend_log")).isEqualTo(threads * perThread);
        assertThat(store.keys().find(key(1).tokenHash()).orElseThrow().spend())
                .isEqualByComparingTo(new BigDecimal("0.0001").multiply(BigDecimal.valueOf(threads * perThread)));
    }

    @Test
    void givenEntriesOverTime_whenQueriedByKeyAndModel_thenOnlyTheRangeCounts() {
        ProxyStore store = open();
        store.keys().insert(key(1));
        store.keys().insert(key(2));
        SpendLog spend = store.spendLog();
        spend.record(entry("a", key(1), "gpt-4o", "1.5", T0));
        spend.record(entry("b", key(1), "claude", "0.25", T0.plusSeconds(30)));
        spend.record(entry("c", key(2), "gpt-4o", "2", T0.plusSeconds(59)));
        spend.record(entry("d", key(2), "gpt-4o", "100", T0.plusSeconds(60)));          // after the range
        spend.record(entry("e", key(1), "gpt-4o", "100", T0.minusMillis(1)));            // before the range
        spend.record(SpendEntry.builder("f", T0, "gpt-4o").cost(new BigDecimal("0.5")).build()); // no key
        spend.flush();

        assertThat(spend.spendByKey(T0, T0.plusSeconds(60), 10)).containsExactly(
                SpendSummary.of(key(2).tokenHash(), key(2).keyName(), 1, 15, new BigDecimal("2")),
                SpendSummary.of(key(1).tokenHash(), key(1).keyName(), 2, 30, new BigDecimal("1.75")));
        assertThat(spend.spendByModel(T0, T0.plusSeconds(60), 10)).containsExactly(
                SpendSummary.of("gpt-4o", "gpt-4o", 3, 30, new BigDecimal("4.0")),
                SpendSummary.of("claude", "claude", 1, 15, new BigDecimal("0.25")));
        assertThat(spend.spendByModel(T0, T0.plusSeconds(60), 1)).hasSize(1);
        assertThat(spend.entries(key(1).tokenHash(), 10)).extracting(SpendEntry::requestId)
                .containsExactly("b", "a", "e");
        assertThat(spend.entries(key(1).tokenHash(), 10).get(0))
                .isEqualTo(entry("b", key(1), "claude", "0.25", T0.plusSeconds(30)));
    }

    // --- health, description, secrets ------------------------------------------------------------

    @Test
    void givenOpenStore_whenHealthChecked_thenUpAndDescriptionHasNoPassword() {
        ProxyStore store = open();

        StoreHealth health = store.health(Duration.ofSeconds(5));

        assertThat(health.isUp()).as(health.toString()).isTrue();
        assertThat(store.description()).startsWith(settings().build().databaseKind());
        password().ifPresent(p -> {
            assertThat(store.description()).doesNotContain(p);
            assertThat(settings().build().toString()).doesNotContain(p);
            assertThat(store.toString()).doesNotContain(p);
        });
    }

    @Test
    void givenWrongPassword_whenOpened_thenStoreExceptionNamesTheDatabaseAndNotThePassword() {
        StoreSettings wrong = wrongPassword().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(wrong != null, "this database has no password to get wrong");
        String badPassword = wrong.password().orElseThrow().reveal();

        assertThatThrownBy(() -> open(wrong))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(wrong.databaseKind())
                .satisfies(e -> {
                    String everything = stackTrace(e);
                    assertThat(everything).doesNotContain(badPassword);
                    password().ifPresent(p -> assertThat(everything).doesNotContain(p));
                });
    }

    static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    List<String> spillLines() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(spillDir)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(spillDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
        }
        return lines;
    }
}
