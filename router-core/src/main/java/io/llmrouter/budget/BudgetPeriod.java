package io.llmrouter.budget;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * When a budget's spend resets: at the start of each day, ISO week (Monday) or month in a time
 * zone (UTC unless given), or every fixed duration counted from the epoch.
 *
 * <pre>{@code
 * BudgetPeriod.DAILY                                   // midnight UTC
 * BudgetPeriod.monthly(ZoneId.of("Europe/Berlin"))     // the 1st, 00:00 Berlin time
 * BudgetPeriod.every(Duration.ofHours(6))              // 00:00, 06:00, 12:00, 18:00 UTC
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class BudgetPeriod {

    private enum Kind { DAY, WEEK, MONTH, FIXED, NEVER }

    /** Resets at midnight UTC. */
    public static final BudgetPeriod DAILY = new BudgetPeriod(Kind.DAY, ZoneOffset.UTC, null);
    /** Resets at Monday 00:00 UTC. */
    public static final BudgetPeriod WEEKLY = new BudgetPeriod(Kind.WEEK, ZoneOffset.UTC, null);
    /** Resets on the first of the month, 00:00 UTC. */
    public static final BudgetPeriod MONTHLY = new BudgetPeriod(Kind.MONTH, ZoneOffset.UTC, null);
    /** Never resets: a lifetime budget of the router. */
    public static final BudgetPeriod NEVER = new BudgetPeriod(Kind.NEVER, ZoneOffset.UTC, null);

    private final Kind kind;
    private final ZoneId zone;
    private final Duration length;

    private BudgetPeriod(Kind kind, ZoneId zone, Duration length) {
        this.kind = kind;
        this.zone = zone;
        this.length = length;
    }

    /** Resets at midnight in {@code zone}. */
    public static BudgetPeriod daily(ZoneId zone) {
        return new BudgetPeriod(Kind.DAY, Objects.requireNonNull(zone, "zone"), null);
    }

    /** Resets at Monday 00:00 in {@code zone}. */
    public static BudgetPeriod weekly(ZoneId zone) {
        return new BudgetPeriod(Kind.WEEK, Objects.requireNonNull(zone, "zone"), null);
    }

    /** Resets on the first of the month, 00:00 in {@code zone}. */
    public static BudgetPeriod monthly(ZoneId zone) {
        return new BudgetPeriod(Kind.MONTH, Objects.requireNonNull(zone, "zone"), null);
    }

    /** Resets every {@code length}, in windows counted from the epoch (at least one second). */
    public static BudgetPeriod every(Duration length) {
        Objects.requireNonNull(length, "length");
        if (length.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a budget period must be at least 1 s, was " + length);
        }
        return new BudgetPeriod(Kind.FIXED, ZoneOffset.UTC, length);
    }

    /**
     * The start of the period that contains {@code now}.
     *
     * @param now an instant
     * @return the period's start ({@link Instant#MIN} for {@link #NEVER})
     */
    public Instant start(Instant now) {
        ZonedDateTime t = now.atZone(zone);
        return switch (kind) {
            case DAY -> t.truncatedTo(ChronoUnit.DAYS).toInstant();
            case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                    .toInstant();
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
            case FIXED -> Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), length.getSeconds())
                    * length.getSeconds());
            case NEVER -> Instant.MIN;
        };
    }

    /**
     * When the period that contains {@code now} ends and the spend resets.
     *
     * @param now an instant
     * @return the next reset ({@link Instant#MAX} for {@link #NEVER})
     */
    public Instant nextReset(Instant now) {
        Instant start = start(now);
        return switch (kind) {
            case DAY -> start.atZone(zone).plusDays(1).toInstant();
            case WEEK -> start.atZone(zone).plusWeeks(1).toInstant();
            case MONTH -> start.atZone(zone).plusMonths(1).toInstant();
            case FIXED -> start.plus(length);
            case NEVER -> Instant.MAX;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BudgetPeriod p && kind == p.kind && zone.equals(p.zone) && Objects.equals(length, p.length);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, zone, length);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FIXED -> "every " + length;
            case NEVER -> "never";
            case DAY -> "daily (" + zone + ")";
            case WEEK -> "weekly (" + zone + ")";
            case MONTH -> "monthly (" + zone + ")";
        };
    }
}
