package io.llmrouter.proxy.store;

/**
 * A failure of the proxy's database: it cannot be reached, refuses the credentials, or a statement
 * failed. Unchecked.
 *
 * <p>The message names the database kind and the cause (wrong password, unreachable host, ...)
 * and never contains the password.
 *
 * @since 0.1.0
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param cause the underlying cause, or null
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what happened, without secrets
     */
    public StoreException(String message) {
        super(message);
    }
}
