package io.llmrouter.spi;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link StateStore#reserve}: granted, with the id that settles it exactly once, or
 * refused by the first window that could not admit the amount. Immutable.
 *
 * @since 0.1.0
 */
public final class BudgetReservation {

    private final String id;
    private final BigDecimal amountUsd;
    private final List<BudgetWindow> windows;
    private final BudgetWindow refusedBy;
    private final boolean provisional;

    private BudgetReservation(String id, BigDecimal amountUsd, List<BudgetWindow> windows, BudgetWindow refusedBy,
            boolean provisional) {
        this.id = id;
        this.provisional = provisional;
        this.amountUsd = Objects.requireNonNull(amountUsd, "amountUsd");
        this.windows = List.copyOf(windows);
        this.refusedBy = refusedBy;
    }

    /**
     * A granted reservation.
     *
     * @param id the store's id for it, unique among the store's reservations
     * @param amountUsd the amount reserved on each window
     * @param windows the windows it holds
     * @return the reservation
     */
    public static BudgetReservation granted(String id, BigDecimal amountUsd, List<BudgetWindow> windows) {
        return new BudgetReservation(Objects.requireNonNull(id, "id"), amountUsd, windows, null, false);
    }

    /**
     * A reservation granted from a store's local view only, because the shared state could not be
     * reached: nothing is held across the fleet. Settling it still charges the cost (a network store
     * adds it to the shared spend when it is reachable again). A budget that fails closed refuses it.
     *
     * @param id the store's id for it, unique among the store's reservations
     * @param amountUsd the amount asked for
     * @param windows the windows it would hold
     * @return the reservation
     */
    public static BudgetReservation provisional(String id, BigDecimal amountUsd, List<BudgetWindow> windows) {
        return new BudgetReservation(Objects.requireNonNull(id, "id"), amountUsd, windows, null, true);
    }

    /**
     * A refused reservation: nothing is held.
     *
     * @param amountUsd the amount asked for
     * @param refusedBy the window that could not admit it
     * @return the refusal
     */
    public static BudgetReservation refused(BigDecimal amountUsd, BudgetWindow refusedBy) {
        return new BudgetReservation(null, amountUsd, List.of(), Objects.requireNonNull(refusedBy, "refusedBy"), false);
    }

    /** Whether the amount was reserved on every window. */
    public boolean isGranted() {
        return refusedBy == null;
    }

    /** Whether the reservation was granted {@linkplain #provisional provisionally}, without the shared state. */
    public boolean isProvisional() {
        return provisional;
    }

    /** The id that settles the reservation; empty for a refusal. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The amount reserved on each window (or asked for, for a refusal). */
    public BigDecimal amountUsd() {
        return amountUsd;
    }

    /** The windows the reservation holds; empty for a refusal. */
    public List<BudgetWindow> windows() {
        return windows;
    }

    /** The window that refused the amount; empty when granted. */
    public Optional<BudgetWindow> refusedBy() {
        return Optional.ofNullable(refusedBy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BudgetReservation r && Objects.equals(id, r.id) && amountUsd.compareTo(r.amountUsd) == 0
                && windows.equals(r.windows) && Objects.equals(refusedBy, r.refusedBy) && provisional == r.provisional;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, amountUsd.stripTrailingZeros(), windows, refusedBy);
    }

    @Override
    public String toString() {
        return isGranted() ? "BudgetReservation[" + (provisional ? "provisional " : "") + id + ", $" + amountUsd.toPlainString() + " on " + windows.size()
                + " windows]" : "BudgetReservation[refused by " + refusedBy.budgetId() + "]";
    }
}
