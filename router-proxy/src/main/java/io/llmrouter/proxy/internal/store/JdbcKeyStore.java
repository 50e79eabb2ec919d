package io.llmrouter.proxy.internal.store;

import io.llmrouter.proxy.internal.store.JdbcProxyStore.StoreErrors;
import io.llmrouter.proxy.store.DuplicateKeyException;
import io.llmrouter.proxy.store.KeyStore;
import io.llmrouter.proxy.store.VirtualKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/** {@link KeyStore} on the {@code proxy_key} table. */
final class JdbcKeyStore implements KeyStore {

    private static final String COLUMNS = "token_hash, key_name, key_alias, models, max_budget, budget_duration,"
            + " budget_reset_at, spend, rpm_limit, tpm_limit, expires, user_id, team_id, metadata, blocked,"
            + " created_at, updated_at";

    private static final String INSERT = "INSERT INTO proxy_key (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE proxy_key SET key_name = ?, key_alias = ?, models = ?, max_budget = ?,"
            + " budget_duration = ?, budget_reset_at = ?, spend = ?, rpm_limit = ?, tpm_limit = ?, expires = ?,"
            + " user_id = ?, team_id = ?, metadata = ?, blocked = ?, created_at = ?, updated_at = ? WHERE token_hash = ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final StoreErrors errors;

    JdbcKeyStore(DataSource dataSource, Clock clock, StoreErrors errors) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.errors = errors;
    }

    @Override
    public void insert(VirtualKey key) {
        Objects.requireNonNull(key, "key");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, key.tokenHash());
            ps.setString(2, key.keyName());
            bindValues(ps, 3, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw duplicate(key, e);
            }
            throw errors.operationFailure("insert key " + shortHash(key.tokenHash()), e);
        }
    }

    private DuplicateKeyException duplicate(VirtualKey key, SQLException e) {
        boolean sameHash = find(key.tokenHash()).isPresent();
        String what = sameHash || key.keyAlias().isEmpty()
                ? "a key with hash " + shortHash(key.tokenHash()) + " already exists"
                : "a key with alias '" + key.keyAlias().get() + "' already exists";
        return new DuplicateKeyException(what, e);
    }

    /** Binds key_alias .. updated_at from {@code index}; returns the next index. */
    private static int bindValues(PreparedStatement ps, int index, VirtualKey key) throws SQLException {
        int i = index;
        Sql.setString(ps, i++, key.keyAlias().orElse(null));
        ps.setString(i++, Sql.toJson(key.models()));
        Sql.setMoney(ps, i++, key.maxBudget().orElse(null));
        Sql.setString(ps, i++, key.budgetDuration().map(Duration::toString).orElse(null));
        Sql.setInstant(ps, i++, key.budgetResetAt().orElse(null));
        Sql.setMoney(ps, i++, key.spend());
        Sql.setLong(ps, i++, key.rpmLimit().orElse(0), key.rpmLimit().isPresent());
        Sql.setLong(ps, i++, key.tpmLimit().orElse(0), key.tpmLimit().isPresent());
        Sql.setInstant(ps, i++, key.expires().orElse(null));
        Sql.setString(ps, i++, key.userId().orElse(null));
        Sql.setString(ps, i++, key.teamId().orElse(null));
        ps.setString(i++, Sql.toJson(key.metadata()));
        ps.setBoolean(i++, key.blocked());
        Sql.setInstant(ps, i++, key.createdAt());
        Sql.setInstant(ps, i++, key.updatedAt());
        return i;
    }

    @Override
    public Optional<VirtualKey> find(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return queryOne("SELECT " + COLUMNS + " FROM proxy_key WHERE token_hash = ?", tokenHash, "find a key");
    }

    @Override
    public Optional<VirtualKey> findByAlias(String alias) {
        Objects.requireNonNull(alias, "alias");
        return queryOne("SELECT " + COLUMNS + " FROM proxy_key WHERE key_alias = ?", alias, "find a key by alias");
    }

    private Optional<VirtualKey> queryOne(String sql, String value, String what) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw errors.operationFailure(what, e);
        }
    }

    @Override
    public Optional<VirtualKey> update(String tokenHash, UnaryOperator<VirtualKey.Builder> change) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(change, "change");
        VirtualKey updated = null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                VirtualKey current;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM proxy_key WHERE token_hash = ? FOR UPDATE")) {
                    ps.setString(1, tokenHash);
                    try (ResultSet rs = ps.executeQuery()) {
                        current = rs.next() ? read(rs) : null;
                    }
                }
                if (current == null) {
                    c.rollback();
                    return Optional.empty();
                }
                VirtualKey.Builder builder = Objects.requireNonNull(change.apply(current.toBuilder()),
                        "change returned null");
                updated = builder.updatedAt(clock.instant()).build();
                try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                    ps.setString(1, updated.keyName());
                    int i = bindValues(ps, 2, updated);
                    ps.setString(i, tokenHash);
                    ps.executeUpdate();
                }
                c.commit();
                return Optional.of(updated);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState()) && updated != null) {
                throw new DuplicateKeyException("a key with alias '" + updated.keyAlias().orElse("") + "' already exists", e);
            }
            throw errors.operationFailure("update key " + shortHash(tokenHash), e);
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool discards it; the original failure is what matters
        }
    }

    @Override
    public boolean delete(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM proxy_key WHERE token_hash = ?")) {
            ps.setString(1, tokenHash);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw errors.operationFailure("delete key " + shortHash(tokenHash), e);
        }
    }

    @Override
    public List<VirtualKey> list(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM proxy_key ORDER BY created_at, token_hash LIMIT ? OFFSET ?")) {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
            List<VirtualKey> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(read(rs));
                }
            }
            return List.copyOf(keys);
        } catch (SQLException e) {
            throw errors.operationFailure("list keys", e);
        }
    }

    @Override
    public void resetSpend(String tokenHash, Instant nextResetAt) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(nextResetAt, "nextResetAt");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE proxy_key SET spend = 0, budget_reset_at = ?, updated_at = ? WHERE token_hash = ?")) {
            Sql.setInstant(ps, 1, nextResetAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            Sql.setInstant(ps, 2, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            ps.setString(3, tokenHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw errors.operationFailure("reset the spend of key " + shortHash(tokenHash), e);
        }
    }

    static VirtualKey read(ResultSet rs) throws SQLException {
        VirtualKey.Builder b = VirtualKey.builder(rs.getString("token_hash"), rs.getString("key_name"));
        String alias = rs.getString("key_alias");
        if (alias != null) {
            b.keyAlias(alias);
        }
        b.models(Sql.jsonStrings(rs.getString("models")));
        var maxBudget = Sql.getMoney(rs, "max_budget");
        if (maxBudget != null) {
            b.maxBudget(maxBudget);
        }
        String duration = rs.getString("budget_duration");
        if (duration != null) {
            b.budgetDuration(Duration.parse(duration));
        }
        Instant resetAt = Sql.getInstant(rs, "budget_reset_at");
        if (resetAt != null) {
            b.budgetResetAt(resetAt);
        }
        b.spend(Sql.getMoney(rs, "spend"));
        Long rpm = Sql.getLong(rs, "rpm_limit");
        if (rpm != null) {
            b.rpmLimit(rpm);
        }
        Long tpm = Sql.getLong(rs, "tpm_limit");
        if (tpm != null) {
            b.tpmLimit(tpm);
        }
        Instant expires = Sql.getInstant(rs, "expires");
        if (expires != null) {
            b.expires(expires);
        }
        String user = rs.getString("user_id");
        if (user != null) {
            b.userId(user);
        }
        String team = rs.getString("team_id");
        if (team != null) {
            b.teamId(team);
        }
        b.metadata(Sql.jsonObject(rs.getString("metadata")));
        b.blocked(rs.getBoolean("blocked"));
        b.createdAt(Sql.getInstant(rs, "created_at"));
        b.updatedAt(Sql.getInstant(rs, "updated_at"));
        return b.build();
    }

    static String shortHash(String tokenHash) {
        return tokenHash.length() > 8 ? tokenHash.substring(0, 8) + "..." : tokenHash;
    }
}
