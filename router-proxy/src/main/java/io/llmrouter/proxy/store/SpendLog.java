package io.llmrouter.proxy.store;

import java.time.Instant;
import java.util.List;

/**
 * The log of every call's cost, written in the background in batches.
 *
 * <pre>{@code
 * SpendLog log = store.spendLog();
 * log.record(entry);                                  // returns at once
 * List<SpendSummary> top = log.spendByModel(monthStart, now, 10);
 * }</pre>
 *
 * <p>{@link #record} never blocks the request thread on the database and never drops an entry:
 * while the database is slow or down, entries wait in memory and are written when it returns;
 * beyond the store's backlog bound they are appended to a local spill file (JSON lines) that is
 * replayed later. Each entry's cost is added to its key's {@link VirtualKey#spend()} in the same
 * transaction as its log row, so the key's spend and the log agree. Implementations are
 * thread-safe.
 *
 * @since 0.1.0
 */
public interface SpendLog extends AutoCloseable {

    /**
     * Queues an entry for writing; returns without waiting for the database.
     *
     * @param entry the entry
     * @throws IllegalStateException if the log is closed
     */
    void record(SpendEntry entry);

    /**
     * Waits until every entry recorded before this call is written to the database (including a
     * spill file's). For tests and shutdown.
     *
     * @throws StoreException if the database does not take them within the store's close timeout
     */
    void flush();

    /**
     * Spend per virtual key over {@code [from, to)}, highest cost first. Calls without a key are
     * not counted.
     *
     * @param from the first start time counted
     * @param to the first start time not counted
     * @param limit the most rows, positive
     * @return the rows, possibly empty
     */
    List<SpendSummary> spendByKey(Instant from, Instant to, int limit);

    /**
     * Spend per model group over {@code [from, to)}, highest cost first.
     *
     * @param from the first start time counted
     * @param to the first start time not counted
     * @param limit the most rows, positive
     * @return the rows, possibly empty
     */
    List<SpendSummary> spendByModel(Instant from, Instant to, int limit);

    /**
     * A key's latest entries, newest first.
     *
     * @param tokenHash the key's hash
     * @param limit the most entries, positive
     * @return the entries, possibly empty
     */
    List<SpendEntry> entries(String tokenHash, int limit);

    /**
     * Writes what is queued (waiting up to the store's close timeout), spills what is left to the
     * spill file, and stops the writer. Later {@link #record} calls throw.
     */
    @Override
    void close();
}
