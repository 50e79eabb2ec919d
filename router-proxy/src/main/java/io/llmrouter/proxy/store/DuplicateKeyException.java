package io.llmrouter.proxy.store;

/**
 * A virtual key was inserted whose token hash or alias another key already has.
 *
 * <p>The message names the alias (not secret) or the first 8 characters of the token hash.
 *
 * @since 0.1.0
 */
public final class DuplicateKeyException extends StoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is duplicated, without secrets
     * @param cause the database's constraint violation, or null
     */
    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
