package io.llmrouter.api.exception;

/**
 * No deployment of a model group could take the request: all are cooling down or filtered out. When it follows failed attempts, {@link #attempts()} says why each failed.
 *
 * @since 0.1.0
 */
public class NoDeploymentAvailableException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public NoDeploymentAvailableException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public NoDeploymentAvailableException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
