package io.llmrouter.proxy.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that refuses connections while {@link #down()} is set (the database "is down"),
 * and makes callers wait between {@link #hold()} and {@link #release()} (the database "is slow").
 */
final class FlakyDataSource implements DataSource {

    private final DataSource delegate;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();

    FlakyDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    void down() {
        down.set(true);
    }

    void up() {
        down.set(false);
    }

    void hold() {
        gate.set(new CountDownLatch(1));
    }

    void release() {
        CountDownLatch g = gate.getAndSet(null);
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        CountDownLatch g = gate.get();
        if (g != null) {
            try {
                if (!g.await(60, TimeUnit.SECONDS)) {
                    throw new SQLException("the test never released the slow database", "08001");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", "08001", e);
            }
        }
        if (down.get()) {
            throw new SQLException("Connection refused (the test stopped the database)", "08001");
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
