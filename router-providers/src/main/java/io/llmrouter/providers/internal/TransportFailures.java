package io.llmrouter.providers.internal;

import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.RequestTimeoutException;
import java.io.IOException;

/**
 * The typed failure for an I/O failure of any adapter's HTTP call: an answer over a size limit is
 * an {@link InvalidProviderResponseException} naming the limit, a socket or whole-call timeout a
 * {@link RequestTimeoutException}, anything else a {@link ProviderConnectionException}; messages
 * and causes redacted. Every adapter's error mapper maps transport failures through here.
 */
public final class TransportFailures {

    private TransportFailures() {
    }

    /**
     * The typed failure.
     *
     * @param provider the provider's name, first in the message
     * @param e the I/O failure
     * @param context the call's context
     * @return the failure
     */
    public static LlmRouterException of(String provider, IOException e, ErrorContext context) {
        if (e instanceof ResponseTooLargeException tooLarge) {
            return new InvalidProviderResponseException(provider + ": " + tooLarge.getMessage(), context, e);
        }
        String detail = Redaction.text(e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
        if (AsyncHttpCall.isTimeout(e)) {
            return new RequestTimeoutException(provider + ": no answer in time (" + detail + ")", context,
                    Redaction.cause(e, null));
        }
        return new ProviderConnectionException(provider + ": connection failed (" + detail + ")", context,
                Redaction.cause(e, null));
    }
}
