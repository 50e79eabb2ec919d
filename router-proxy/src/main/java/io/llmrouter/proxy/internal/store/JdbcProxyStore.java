package io.llmrouter.proxy.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.llmrouter.proxy.store.KeyStore;
import io.llmrouter.proxy.store.ProxyStore;
import io.llmrouter.proxy.store.SpendLog;
import io.llmrouter.proxy.store.StoreException;
import io.llmrouter.proxy.store.StoreHealth;
import io.llmrouter.proxy.store.StoreSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC {@link ProxyStore}: a HikariCP pool, Flyway migrations at open, {@link JdbcKeyStore}
 * and {@link JdbcSpendLog} on the pool.
 */
public final class JdbcProxyStore implements ProxyStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcProxyStore.class);

    private final StoreSettings settings;
    private final HikariDataSource pool;
    private final JdbcKeyStore keys;
    private final JdbcSpendLog spendLog;
    private final StoreErrors errors;
    private final ExecutorService healthExecutor;
    private final DataSource dataSource;

    private JdbcProxyStore(StoreSettings settings, HikariDataSource pool, DataSource dataSource, StoreErrors errors) {
        this.settings = settings;
        this.pool = pool;
        this.errors = errors;
        this.keys = new JdbcKeyStore(dataSource, settings.clock(), errors);
        this.spendLog = new JdbcSpendLog(dataSource, settings, errors);
        this.healthExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "llmrouter-store-health");
            t.setDaemon(true);
            return t;
        });
        this.dataSource = dataSource;
    }

    /**
     * Opens the store on the settings' database.
     *
     * @param settings the settings
     * @return the store
     */
    public static ProxyStore open(StoreSettings settings) {
        return open(settings, UnaryOperator.identity());
    }

    /**
     * Opens the store; the key store and spend log use {@code wrap} of the pool (tests wrap it in a
     * data source that fails on demand). Migrations run on the pool itself.
     *
     * @param settings the settings
     * @param wrap wraps the pool
     * @return the store
     */
    public static JdbcProxyStore open(StoreSettings settings, UnaryOperator<DataSource> wrap) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(wrap, "wrap");
        StoreErrors errors = new StoreErrors(settings);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikariConfig(settings));
        } catch (RuntimeException e) {
            throw errors.failure("cannot connect to", e);
        }
        try {
            Flyway.configure(JdbcProxyStore.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .table("proxy_schema_history")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw errors.failure("cannot migrate", e);
        }
        JdbcProxyStore store = new JdbcProxyStore(settings, pool, wrap.apply(pool), errors);
        log.info("proxy store open: {}", store.description());
        return store;
    }

    private static HikariConfig hikariConfig(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        settings.username().ifPresent(config::setUsername);
        settings.password().ifPresent(p -> config.setPassword(p.reveal()));
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 5000));
        config.setPoolName("llmrouter-proxy-store");
        config.setAutoCommit(true);
        // Fail at open (one attempt) rather than start a proxy without its database.
        config.setInitializationFailTimeout(1);
        if (settings.jdbcUrl().startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("connectTimeout", Math.max(1, settings.connectionTimeout().toSeconds()));
            config.addDataSourceProperty("socketTimeout", 60);
        }
        return config;
    }

    @Override
    public KeyStore keys() {
        return keys;
    }

    @Override
    public SpendLog spendLog() {
        return spendLog;
    }

    @Override
    public StoreHealth health(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        long start = System.nanoTime();
        Future<?> check;
        try {
            check = healthExecutor.submit(() -> {
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    s.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
                    try (ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            return StoreHealth.down(settings.databaseKind() + ": the store is closed", elapsed(start));
        }
        try {
            check.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return StoreHealth.up(settings.databaseKind() + " answered", elapsed(start));
        } catch (TimeoutException e) {
            check.cancel(true);
            return StoreHealth.down(settings.databaseKind() + " did not answer within " + timeout.toMillis() + " ms",
                    elapsed(start));
        } catch (ExecutionException e) {
            return StoreHealth.down(errors.describe(e.getCause()), elapsed(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StoreHealth.down(settings.databaseKind() + ": interrupted", elapsed(start));
        }
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public String description() {
        return settings.databaseKind() + " " + settings.redactedJdbcUrl();
    }

    /** The spend log's implementation, for tests. */
    public JdbcSpendLog jdbcSpendLog() {
        return spendLog;
    }

    @Override
    public void close() {
        try {
            spendLog.close();
        } finally {
            healthExecutor.shutdownNow();
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcProxyStore[" + description() + "]";
    }

    /** Wraps failures in {@link StoreException}s that name the database and never the password. */
    static final class StoreErrors {

        private final StoreSettings settings;

        StoreErrors(StoreSettings settings) {
            this.settings = settings;
        }

        StoreException failure(String what, Throwable cause) {
            return new StoreException(settings.databaseKind() + " database at " + settings.redactedJdbcUrl()
                    + ": " + what + " it: " + describe(cause), new RedactedCause(cause, this));
        }

        StoreException operationFailure(String what, Throwable cause) {
            return new StoreException(settings.databaseKind() + ": cannot " + what + ": " + describe(cause),
                    new RedactedCause(cause, this));
        }

        String describe(Throwable cause) {
            Throwable root = cause;
            StringBuilder s = new StringBuilder();
            while (root != null) {
                String m = root.getMessage();
                if (m != null && !m.isBlank() && s.indexOf(m) < 0) {
                    if (s.length() > 0) {
                        s.append(": ");
                    }
                    // A network cause's message is often only the host ("db.internal"): name its kind.
                    if (root.getClass().getName().startsWith("java.net.")) {
                        s.append(root.getClass().getSimpleName()).append(' ');
                    }
                    s.append(m);
                }
                if (root.getCause() == root) {
                    break;
                }
                root = root.getCause();
            }
            String text = s.length() == 0 ? cause.getClass().getSimpleName() : s.toString();
            return redact(text);
        }

        String redact(String text) {
            String out = settings.password().map(p -> p.redact(text)).orElse(text);
            return JdbcUrls.redact(out);
        }
    }

    /**
     * The cause of a {@link StoreException} with the password taken out of its message and its
     * causes' (a JDBC driver may quote a URL that carries one); the original class name and stack
     * trace are kept.
     */
    static final class RedactedCause extends Exception {

        private static final long serialVersionUID = 1L;

        RedactedCause(Throwable original, StoreErrors errors) {
            super(original.getClass().getName() + ": " + errors.redact(String.valueOf(original.getMessage())),
                    original.getCause() == null || original.getCause() == original ? null
                            : new RedactedCause(original.getCause(), errors));
            setStackTrace(original.getStackTrace());
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
