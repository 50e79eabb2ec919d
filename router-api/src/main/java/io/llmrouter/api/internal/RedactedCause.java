package io.llmrouter.api.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A stand-in for an exception whose message quoted a credential: it names the original type,
 * carries the redacted message and the original stack trace, and stands in the cause chain of an
 * exception the library throws (logs print cause chains; a JSON parser's message quotes the body
 * it could not read, an I/O message the URL).
 *
 * <p>Internal: not API, may change in any release.
 */
public final class RedactedCause extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private RedactedCause(String message) {
        super(message);
    }

    /**
     * {@code cause} itself when {@code redactor} changes no message in its chain (causes and
     * suppressed), else a copy of the chain made of {@code RedactedCause}s with the same stack
     * traces and redacted messages.
     *
     * @param cause the cause, or null
     * @param redactor masks the credentials in one message
     * @return the cause to keep, or null
     */
    public static Throwable of(Throwable cause, UnaryOperator<String> redactor) {
        if (cause == null || isClean(cause, redactor, new IdentityHashMap<>())) {
            return cause;
        }
        return copy(cause, redactor, new IdentityHashMap<>());
    }

    private static boolean isClean(Throwable t, UnaryOperator<String> redactor, Map<Throwable, Boolean> seen) {
        if (t == null || t instanceof RedactedCause || seen.put(t, Boolean.TRUE) != null) {
            return true;
        }
        String message = t.getMessage();
        if (message != null && !redactor.apply(message).equals(message)) {
            return false;
        }
        for (Throwable s : t.getSuppressed()) {
            if (!isClean(s, redactor, seen)) {
                return false;
            }
        }
        return isClean(t.getCause(), redactor, seen);
    }

    private static Throwable copy(Throwable t, UnaryOperator<String> redactor, Map<Throwable, Throwable> copies) {
        if (t instanceof RedactedCause) {
            return t;
        }
        Throwable done = copies.get(t);
        if (done != null) {
            return done;
        }
        String message = t.getMessage();
        RedactedCause copy = new RedactedCause(t.getClass().getName()
                + (message == null ? "" : ": " + redactor.apply(message)));
        copies.put(t, copy);
        copy.setStackTrace(t.getStackTrace());
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            copy.initCause(copy(cause, redactor, copies));
        }
        for (Throwable suppressed : t.getSuppressed()) {
            copy.addSuppressed(copy(suppressed, redactor, copies));
        }
        return copy;
    }
}
