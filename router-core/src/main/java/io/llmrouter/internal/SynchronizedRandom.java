package io.llmrouter.internal;

import java.util.random.RandomGenerator;

/** Serializes access to a user-supplied (usually seeded, non-thread-safe) random source. */
final class SynchronizedRandom implements RandomGenerator {
    private final RandomGenerator delegate;

    SynchronizedRandom(RandomGenerator delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized long nextLong() {
        return delegate.nextLong();
    }

    @Override
    public synchronized long nextLong(long bound) {
        return delegate.nextLong(bound);
    }

    @Override
    public synchronized double nextDouble() {
        return delegate.nextDouble();
    }

    @Override
    public synchronized int nextInt(int bound) {
        return delegate.nextInt(bound);
    }
}
