package io.llmrouter.internal;

import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;

/**
 * Says whether an error is about the request (it does not count against the deployment's
 * health) or about the deployment (it does).
 */
final class ErrorClassifier {

    private ErrorClassifier() {
    }

    /**
     * Errors about the request: bad request (incl. context window and content policy) and
     * budgets. Everything else (401, 403, 404, 408, 429, 5xx, timeouts, connection failures,
     * malformed answers) counts against the deployment.
     */
    static boolean isAboutRequest(Throwable t) {
        Throwable e = Futures.unwrap(t);
        return e instanceof BadRequestException || e instanceof BudgetExceededException;
    }
}
