package io.llmrouter.proxy.store;

/**
 * Whether a call recorded in the spend log succeeded.
 *
 * @since 0.1.0
 */
public enum SpendStatus {
    /** The call returned an answer. */
    SUCCESS,
    /** The call failed; its cost is what the attempts cost, often zero. */
    FAILURE
}
