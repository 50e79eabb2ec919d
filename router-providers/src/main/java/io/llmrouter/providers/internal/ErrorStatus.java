package io.llmrouter.providers.internal;

/**
 * The part of the status table (see {@code LlmRouterException.ofStatus}) that adapters need when
 * they refine an HTTP error by its body.
 */
public final class ErrorStatus {

    private ErrorStatus() {
    }

    /**
     * Whether {@code status} is a 4xx about the request itself (400, 409, 413, 422 and any other 4xx
     * but 401, 402, 403, 404, 408 and 429): the statuses whose body may say the context window
     * was exceeded or a content filter refused the request.
     *
     * @param status an HTTP status
     * @return whether it is a request error
     */
    public static boolean isRequestError(int status) {
        return status >= 400 && status < 500 && status != 401 && status != 402 && status != 403 && status != 404
                && status != 408 && status != 429;
    }

    /**
     * Whether {@code status} is an HTTP error status (4xx or 5xx), the case where the status and not
     * the body picks the exception type.
     *
     * @param status an HTTP status
     * @return whether it is 400-599
     */
    public static boolean isError(int status) {
        return status >= 400 && status <= 599;
    }
}
