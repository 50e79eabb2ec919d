package io.llmrouter.proxy.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Column conversions both databases agree on: UTC timestamps, exact money, JSON text. */
final class Sql {

    /** The scale of every NUMERIC money column. */
    static final int MONEY_SCALE = 18;

    /** SQLSTATE of a unique-constraint violation, on PostgreSQL and H2. */
    static final String UNIQUE_VIOLATION = "23505";

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private Sql() {
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void setString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static void setLong(PreparedStatement ps, int index, long value, boolean present) throws SQLException {
        if (present) {
            ps.setLong(index, value);
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    static void setMoney(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NUMERIC);
        } else {
            ps.setBigDecimal(index, money(value));
        }
    }

    /** The amount as the database keeps it: at most {@value #MONEY_SCALE} decimals. */
    static BigDecimal money(BigDecimal value) {
        return value.scale() > MONEY_SCALE ? value.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN) : value;
    }

    /** A money column read back without the column's trailing zeros ({@code 1.5}, not {@code 1.500000000000000000}). */
    static BigDecimal getMoney(ResultSet rs, String column) throws SQLException {
        BigDecimal v = rs.getBigDecimal(column);
        return v == null ? null : plain(v);
    }

    static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-compatible: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> jsonObject(String text) throws SQLException {
        try {
            return JSON.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored metadata is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    static List<String> jsonStrings(String text) throws SQLException {
        try {
            return JSON.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored models are not a JSON array of strings: " + e.getOriginalMessage(), e);
        }
    }
}
