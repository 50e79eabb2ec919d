package io.llmrouter.api.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Masks the credentials a URL can carry, wherever URLs are printed ({@code Deployment.toString()},
 * request logs, exception messages): the user-info ({@code https://user:KEY@host} becomes
 * {@code https://****@host}) and the value of every credential-like query parameter, that is one
 * whose name ends with {@code key}, {@code token}, {@code secret}, {@code password}, {@code passwd},
 * {@code pwd}, {@code sig}, {@code signature}, {@code credential(s)}, {@code auth} or
 * {@code authorization} (any case: {@code key}, {@code api_key}, {@code apikey}, {@code token},
 * {@code access_token}, {@code sig}, {@code X-Amz-Signature}, {@code X-Amz-Credential},
 * {@code X-Amz-Security-Token}, {@code client_secret}, {@code password}, ...). It works on any text
 * holding URLs, not only on one URL.
 *
 * <p>Internal: not API, may change in any release. Stateless and thread-safe.
 */
public final class UrlRedaction {

    /** What a masked value is replaced with. */
    public static final String MASK = "****";

    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/?#\\s\"'<>]*@");
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile("(?i)([?&;][a-z0-9_.\\-]*"
            + "(?:key|token|secret|password|passwd|pwd|sig|signature|credentials?|auth|authorization)=)[^&#\\s\"'<>]*");

    private UrlRedaction() {
    }

    /**
     * {@code text} with the user-info of every URL and the value of every credential-like query
     * parameter masked.
     *
     * @param text a URL, or any text holding URLs
     * @return the masked text ({@code text} itself when there was nothing to mask)
     */
    public static String redact(String text) {
        Objects.requireNonNull(text, "text");
        String redacted = text;
        // The patterns need "://" and "@", or "=" after "?"/"&"/";": most texts have neither, and then
        // no matcher is made (messages are redacted on every failed attempt).
        int scheme = redacted.indexOf("://");
        if (scheme > 0 && redacted.indexOf('@', scheme) > 0) {
            redacted = USER_INFO.matcher(redacted).replaceAll("$1" + MASK + "@");
        }
        if (redacted.indexOf('=') > 0 && (redacted.indexOf('?') >= 0 || redacted.indexOf('&') >= 0
                || redacted.indexOf(';') >= 0)) {
            redacted = CREDENTIAL_PARAMETER.matcher(redacted).replaceAll("$1" + MASK);
        }
        return redacted;
    }
}
