package io.llmrouter.proxy.store;

import io.llmrouter.api.Secret;
import io.llmrouter.proxy.internal.store.JdbcUrls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the proxy's database is and how the store uses it: JDBC URL and credentials, pool size,
 * and the spend log's batching, backlog and spill file.
 *
 * <pre>{@code
 * StoreSettings embedded = StoreSettings.defaults();   // H2 file database under ./llmrouter-proxy-data/
 * StoreSettings postgres = StoreSettings.builder()
 *     .jdbcUrl("jdbc:postgresql://db:5432/llmrouter").username("proxy").password(Secret.fromEnv("PG_PASSWORD"))
 *     .build();
 * }</pre>
 *
 * <p>The password never appears in {@link #toString()}, logs or exception messages. Immutable and
 * thread-safe; builders are not thread-safe.
 *
 * @since 0.1.0
 */
public final class StoreSettings {

    /**
     * The embedded default: an H2 file database under {@code ./llmrouter-proxy-data/} in
     * PostgreSQL mode, so the same migrations run on both.
     */
    public static final String DEFAULT_JDBC_URL =
            "jdbc:h2:file:./llmrouter-proxy-data/llmrouter;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    /** The default most connections in the pool. */
    public static final int DEFAULT_MAX_POOL_SIZE = 10;

    /** The default time the spend log waits to gather a batch: 200 ms. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);

    /** The default most entries written in one transaction. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 500;

    /** The default most entries kept in memory before new ones are spilled to the file. */
    public static final int DEFAULT_MAX_BACKLOG = 10_000;

    /** The default spill directory: {@code ./llmrouter-proxy-data/spill}. */
    public static final Path DEFAULT_SPILL_DIRECTORY = Path.of("llmrouter-proxy-data", "spill");

    /** The default time {@code close()} and {@code flush()} wait for the database: 10 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** The default time to wait for a connection (and to connect): 5 s. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private final String jdbcUrl;
    private final String username;
    private final Secret password;
    private final int maxPoolSize;
    private final Duration flushInterval;
    private final int maxBatchSize;
    private final int maxBacklog;
    private final Path spillDirectory;
    private final Duration closeTimeout;
    private final Duration connectionTimeout;
    private final Clock clock;

    private StoreSettings(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.maxPoolSize = b.maxPoolSize;
        this.flushInterval = b.flushInterval;
        this.maxBatchSize = b.maxBatchSize;
        this.maxBacklog = b.maxBacklog;
        this.spillDirectory = b.spillDirectory;
        this.closeTimeout = b.closeTimeout;
        this.connectionTimeout = b.connectionTimeout;
        this.clock = b.clock;
    }

    /** The defaults: the embedded database. */
    public static StoreSettings defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The JDBC URL; default {@value #DEFAULT_JDBC_URL}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database user. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The database password. */
    public Optional<Secret> password() {
        return Optional.ofNullable(password);
    }

    /** The most connections in the pool; default {@value #DEFAULT_MAX_POOL_SIZE}. */
    public int maxPoolSize() {
        return maxPoolSize;
    }

    /** How long the spend log gathers entries before writing a batch; default 200 ms. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** The most entries written in one transaction; default {@value #DEFAULT_MAX_BATCH_SIZE}. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** The most entries kept in memory; beyond, new entries go to the spill file. Default {@value #DEFAULT_MAX_BACKLOG}. */
    public int maxBacklog() {
        return maxBacklog;
    }

    /** Where the spill file is written; default {@code ./llmrouter-proxy-data/spill}. */
    public Path spillDirectory() {
        return spillDirectory;
    }

    /** How long {@code close()} and {@code flush()} wait for the database; default 10 s. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** How long to wait for a connection; default 5 s. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** The clock for {@code updatedAt}; default the system UTC clock. */
    public Clock clock() {
        return clock;
    }

    /** The kind of database the URL names: {@code PostgreSQL}, {@code H2} or the JDBC subprotocol. */
    public String databaseKind() {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return "PostgreSQL";
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return "H2";
        }
        int end = jdbcUrl.indexOf(':', 5);
        return end > 5 ? jdbcUrl.substring(5, end) : jdbcUrl;
    }

    /**
     * The URL without its parameters that may carry a password ({@code password=},
     * {@code PASSWORD=}, user info before {@code @}).
     */
    public String redactedJdbcUrl() {
        return redactUrl(jdbcUrl);
    }

    private static String redactUrl(String url) {
        return JdbcUrls.redact(url);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreSettings s && jdbcUrl.equals(s.jdbcUrl) && Objects.equals(username, s.username)
                && Objects.equals(password, s.password) && maxPoolSize == s.maxPoolSize
                && flushInterval.equals(s.flushInterval) && maxBatchSize == s.maxBatchSize
                && maxBacklog == s.maxBacklog && spillDirectory.equals(s.spillDirectory)
                && closeTimeout.equals(s.closeTimeout) && connectionTimeout.equals(s.connectionTimeout)
                && clock.equals(s.clock);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jdbcUrl, username, password, maxPoolSize, flushInterval, maxBatchSize, maxBacklog,
                spillDirectory, closeTimeout, connectionTimeout, clock);
    }

    /** The settings; the URL redacted and the password shown as {@code ****}. */
    @Override
    public String toString() {
        return "StoreSettings[" + databaseKind() + " " + redactedJdbcUrl() + (username == null ? "" : ", user=" + username)
                + (password == null ? "" : ", password=****") + ", maxPoolSize=" + maxPoolSize
                + ", flushInterval=" + flushInterval + ", maxBacklog=" + maxBacklog + ", spillDirectory=" + spillDirectory + "]";
    }

    /**
     * Builds {@link StoreSettings}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private String jdbcUrl = DEFAULT_JDBC_URL;
        private String username;
        private Secret password;
        private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private int maxBacklog = DEFAULT_MAX_BACKLOG;
        private Path spillDirectory = DEFAULT_SPILL_DIRECTORY;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        private Builder(StoreSettings s) {
            this.jdbcUrl = s.jdbcUrl;
            this.username = s.username;
            this.password = s.password;
            this.maxPoolSize = s.maxPoolSize;
            this.flushInterval = s.flushInterval;
            this.maxBatchSize = s.maxBatchSize;
            this.maxBacklog = s.maxBacklog;
            this.spillDirectory = s.spillDirectory;
            this.closeTimeout = s.closeTimeout;
            this.connectionTimeout = s.connectionTimeout;
            this.clock = s.clock;
        }

        /** The JDBC URL: {@code jdbc:postgresql:...} or {@code jdbc:h2:...} ({@code jdbc:h2:mem:...} for tests). */
        public Builder jdbcUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbcUrl must start with jdbc: " + redactUrl(jdbcUrl));
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** The database user. */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** The database password. */
        public Builder password(Secret password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The database password, copied; clear your array afterwards if you like. */
        public Builder password(char[] password) {
            Objects.requireNonNull(password, "password");
            this.password = Secret.of(new String(password));
            return this;
        }

        /** The most pooled connections, at least 2 (one for the spend log writer). */
        public Builder maxPoolSize(int maxPoolSize) {
            if (maxPoolSize < 2) {
                throw new IllegalArgumentException("maxPoolSize must be at least 2: " + maxPoolSize);
            }
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /** How long the spend log gathers a batch, positive. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = positive(flushInterval, "flushInterval");
            return this;
        }

        /** The most entries per transaction, positive. */
        public Builder maxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be positive: " + maxBatchSize);
            }
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** The most entries kept in memory, positive. */
        public Builder maxBacklog(int maxBacklog) {
            if (maxBacklog < 1) {
                throw new IllegalArgumentException("maxBacklog must be positive: " + maxBacklog);
            }
            this.maxBacklog = maxBacklog;
            return this;
        }

        /** Where the spill file goes; created when first needed. */
        public Builder spillDirectory(Path spillDirectory) {
            this.spillDirectory = Objects.requireNonNull(spillDirectory, "spillDirectory");
            return this;
        }

        /** How long close and flush wait, positive. */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = positive(closeTimeout, "closeTimeout");
            return this;
        }

        /** How long to wait for a connection, at least 250 ms (HikariCP's minimum). */
        public Builder connectionTimeout(Duration connectionTimeout) {
            positive(connectionTimeout, "connectionTimeout");
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms: " + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        /** The clock for key timestamps. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The settings. */
        public StoreSettings build() {
            return new StoreSettings(this);
        }

        private static Duration positive(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive: " + d);
            }
            return d;
        }
    }
}
