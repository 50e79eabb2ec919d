package io.llmrouter.api.exception;

/**
 * A spend budget would be exceeded by this request. Not retried.
 *
 * @since 0.1.0
 */
public class BudgetExceededException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param cause the underlying cause, or null
     */
    public BudgetExceededException(String message, ErrorContext context, Throwable cause) {
        super(message, context, cause);
    }

    /** @param message what happened, without secrets
     *  @param context where it happened */
    public BudgetExceededException(String message, ErrorContext context) {
        super(message, context, null);
    }

}
