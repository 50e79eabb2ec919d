package io.llmrouter.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Unwraps the wrappers {@link java.util.concurrent.CompletableFuture} puts around failures. */
final class Futures {

    private Futures() {
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * Wraps {@code cause} in a {@link CompletionException} without a stack trace. A stage that
     * completes with a CompletionException is passed on as is by dependent stages, which would
     * otherwise each wrap a plain failure in a new CompletionException (filling its stack trace: a
     * few microseconds per failed attempt). Everything that reads a failure {@link #unwrap}s it.
     *
     * @param cause the failure
     * @return the wrapper
     */
    static CompletionException stackless(Throwable cause) {
        return cause instanceof CompletionException ce ? ce : new StacklessCompletion(cause);
    }

    private static final class StacklessCompletion extends CompletionException {
        private static final long serialVersionUID = 1L;

        StacklessCompletion(Throwable cause) {
            super(cause);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // the cause carries the trace
        }
    }
}
