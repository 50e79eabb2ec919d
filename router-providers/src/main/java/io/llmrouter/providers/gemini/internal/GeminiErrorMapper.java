package io.llmrouter.providers.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.providers.internal.ErrorMapping;
import io.llmrouter.providers.internal.ErrorStatus;
import io.llmrouter.providers.internal.HttpExchange;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.RetryAfter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place where failures of the Gemini API become typed exceptions: HTTP errors (classified
 * by status and the {@code google.rpc.Status} envelope {@code {"error":{"code","message","status","details"}}}),
 * the same envelope sent inside a stream (classified by its {@code code}), malformed answers and
 * streams, transport failures, a missing API key and requests that cannot be sent.
 *
 * <p>Gemini specifics: an {@code ErrorInfo} detail with reason {@value #API_KEY_INVALID} is an
 * {@link AuthenticationException} whatever the status (Google answers a bad API key with HTTP 400
 * {@code INVALID_ARGUMENT}); a 4xx whose message says the input token count exceeds the maximum is a
 * {@link ContextWindowExceededException}; a 429's delay comes from the {@code RetryInfo.retryDelay}
 * detail (a protobuf Duration such as {@code "26s"} or {@code "38.86s"}; Gemini sends no
 * {@code Retry-After} header, which is read only as a fallback), and a {@code QuotaFailure} whose
 * {@code quotaId} names a per-day quota ({@value #PER_DAY_QUOTA}) is a rate limit that is not
 * retryable. Everything else follows {@link LlmRouterException#ofStatus}. Every quoted text is
 * redacted ({@link Redaction#text}); the key never reaches a message.
 *
 * <p>Immutable and thread-safe.
 */
public final class GeminiErrorMapper extends ErrorMapping {

    /** The longest provider message quoted in an exception message, in characters. */
    public static final int MAX_MESSAGE = 300;

    /** The {@code ErrorInfo.reason} of an invalid API key. */
    public static final String API_KEY_INVALID = "API_KEY_INVALID";

    /** The fragment of a {@code QuotaFailure} {@code quotaId} that marks a per-day quota (case-insensitive). */
    public static final String PER_DAY_QUOTA = "PerDay";

    /**
     * The lower-case message fragment that marks a 4xx as a context-window overflow, from Google's
     * {@code The input token count (N) exceeds the maximum number of tokens allowed (M).}; a message
     * with both {@code input token count} and {@code exceeds} counts too.
     */
    public static final String CONTEXT_WINDOW_MESSAGE = "exceeds the maximum number of tokens";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A mapper for the provider named {@code provider}.
     *
     * @param provider the provider name that prefixes messages and fills {@link ErrorContext#provider()}
     */
    public GeminiErrorMapper(String provider) {
        super(provider, List.of());
    }

    /**
     * The typed exception for a non-2xx answer.
     *
     * @param exchange the answer
     * @param context the call's context (the status is added)
     * @param key the credential sent, for redaction, or null
     * @param now the current time, for an HTTP-date {@code retry-after} fallback
     * @return the exception, not thrown
     */
    public LlmRouterException httpError(HttpExchange exchange, ErrorContext context, Secret key, Instant now) {
        int status = exchange.status();
        Optional<GoogleStatus> error = GoogleStatus.parse(exchange.body());
        String message = error.map(e -> describe(e, "HTTP " + status, key)).orElseGet(() -> describeRaw(exchange, key));
        return classify(status, error, message, withResponse(context, exchange, null, key),
                () -> RetryAfter.fromHeaders(exchange, now));
    }

    /**
     * The typed exception for an error envelope sent inside a 2xx stream
     * ({@code data: {"error":{"code":503,"message":...,"status":"UNAVAILABLE"}}}), classified as
     * {@link #httpError} would classify an answer with the envelope's {@code code} as its status
     * (which the exception reports as its {@code statusCode}). A code that is not an HTTP status
     * (a gRPC code, or none) is taken from the {@code status} name ({@code UNAVAILABLE} is 503,
     * {@code RESOURCE_EXHAUSTED} 429, ...), else 500.
     *
     * @param event the parsed event, an object with an {@code error} field
     * @param context the call's context (the code is added)
     * @param key the credential sent, for redaction, or null
     * @return the exception, not thrown
     */
    public LlmRouterException streamError(JsonNode event, ErrorContext context, Secret key) {
        GoogleStatus error = GoogleStatus.of(event.path("error"));
        int code = error.httpCode();
        String message = describe(error, "in the stream, code " + code, key);
        return classify(code, Optional.of(error), message, context.toBuilder().statusCode(code).build(),
                Optional::empty);
    }

    private LlmRouterException classify(int status, Optional<GoogleStatus> error, String message, ErrorContext ctx,
            Supplier<Optional<Duration>> headerDelay) {
        if (error.isPresent() && error.get().hasReason(API_KEY_INVALID)) {
            return new AuthenticationException(message, ctx);
        }
        if (status == 429) {
            Duration retryAfter = error.flatMap(GoogleStatus::retryDelay).or(headerDelay).orElse(null);
            boolean perDay = error.map(GoogleStatus::isPerDayQuota).orElse(false);
            return new RateLimitException(message, ctx, retryAfter, !perDay, null);
        }
        if (ErrorStatus.isRequestError(status) && error.isPresent()
                && isContextWindowMessage(lower(error.get().message()))) {
            return new ContextWindowExceededException(message, ctx);
        }
        return LlmRouterException.ofStatus(status, message, ctx, headerDelay.get().orElse(null));
    }

    private static boolean isContextWindowMessage(String lowerCaseText) {
        return lowerCaseText.contains(CONTEXT_WINDOW_MESSAGE)
                || lowerCaseText.contains("input token count") && lowerCaseText.contains("exceeds");
    }

    private String describe(GoogleStatus error, String where, Secret key) {
        StringBuilder sb = new StringBuilder(provider).append(": ").append(quote(error.message(), key))
                .append(" (").append(where);
        appendField(sb, "status", error.status(), key);
        appendField(sb, "reason", String.join(",", error.reasons()), key);
        appendField(sb, "quota", String.join(",", error.quotaIds()), key);
        return sb.append(')').toString();
    }

    /**
     * The fields of a {@code google.rpc.Status} envelope.
     *
     * @param code {@code error.code}, 0 when absent or not an integer
     * @param message {@code error.message}, empty when absent
     * @param status {@code error.status} (e.g. {@code RESOURCE_EXHAUSTED}), or null
     * @param details {@code error.details}, an array (possibly empty)
     */
    record GoogleStatus(int code, String message, String status, JsonNode details) {

        /** The HTTP status of each {@code google.rpc.Code} name, per the Google API error model. */
        private static final Map<String, Integer> HTTP_STATUS = Map.ofEntries(
                Map.entry("INVALID_ARGUMENT", 400), Map.entry("FAILED_PRECONDITION", 400),
                Map.entry("OUT_OF_RANGE", 400), Map.entry("UNAUTHENTICATED", 401),
                Map.entry("PERMISSION_DENIED", 403), Map.entry("NOT_FOUND", 404), Map.entry("ABORTED", 409),
                Map.entry("ALREADY_EXISTS", 409), Map.entry("RESOURCE_EXHAUSTED", 429), Map.entry("CANCELLED", 499),
                Map.entry("INTERNAL", 500), Map.entry("UNKNOWN", 500), Map.entry("DATA_LOSS", 500),
                Map.entry("UNIMPLEMENTED", 501), Map.entry("UNAVAILABLE", 503), Map.entry("DEADLINE_EXCEEDED", 504));

        /** The envelope of {@code body}: an object, or (as streaming endpoints send it) an array holding one. */
        static Optional<GoogleStatus> parse(String body) {
            JsonNode root = parseJson(body).orElse(null);
            if (root != null && root.isArray() && root.size() > 0) {
                root = root.get(0);
            }
            if (root == null || !root.isObject() || !root.path("error").isObject()) {
                return Optional.empty();
            }
            return Optional.of(of(root.get("error")));
        }

        /** The fields of an {@code error} object (any node: a non-object gives an empty status). */
        static GoogleStatus of(JsonNode error) {
            JsonNode details = error.path("details");
            JsonNode code = error.path("code");
            return new GoogleStatus(code.canConvertToInt() && code.isIntegralNumber() ? code.intValue() : 0,
                    text(error.get("message")), textOrNull(error.get("status")),
                    details.isArray() ? details : JSON.createArrayNode());
        }

        /**
         * The HTTP status this error stands for: {@code code} when it is one (400-599), else the
         * status of the {@code status} name, else 500.
         */
        int httpCode() {
            if (code >= 400 && code <= 599) {
                return code;
            }
            Integer byName = status == null ? null : HTTP_STATUS.get(status);
            return byName != null ? byName : 500;
        }

        /** Whether a detail (normally {@code google.rpc.ErrorInfo}) has {@code reason}. */
        boolean hasReason(String reason) {
            return reasons().contains(reason);
        }

        /** Every {@code reason} of the details. */
        List<String> reasons() {
            List<String> reasons = new ArrayList<>();
            for (JsonNode d : details) {
                JsonNode r = d.path("reason");
                if (r.isTextual() && !r.asText().isBlank()) {
                    reasons.add(r.asText());
                }
            }
            return reasons;
        }

        /** Every {@code quotaId} of the {@code QuotaFailure} details' violations. */
        List<String> quotaIds() {
            List<String> ids = new ArrayList<>();
            for (JsonNode d : details) {
                if (isType(d, "google.rpc.QuotaFailure")) {
                    for (JsonNode v : d.path("violations")) {
                        JsonNode id = v.path("quotaId");
                        if (id.isTextual() && !id.asText().isBlank()) {
                            ids.add(id.asText());
                        }
                    }
                }
            }
            return ids;
        }

        /** Whether a violated quota is a per-day one, which waiting minutes does not cure. */
        boolean isPerDayQuota() {
            String marker = PER_DAY_QUOTA.toLowerCase(Locale.ROOT);
            return quotaIds().stream().anyMatch(id -> id.toLowerCase(Locale.ROOT).contains(marker));
        }

        /**
         * The {@code RetryInfo.retryDelay}: a protobuf Duration in its JSON form ({@code "26s"},
         * {@code "38.863719904s"}), or in object form ({@code {"seconds":26,"nanos":0}}).
         */
        Optional<Duration> retryDelay() {
            for (JsonNode d : details) {
                if (!isType(d, "google.rpc.RetryInfo")) {
                    continue;
                }
                JsonNode delay = d.path("retryDelay");
                if (delay.isTextual()) {
                    Optional<Duration> parsed = RetryAfter.goDuration(delay.asText());
                    if (parsed.isPresent()) {
                        return parsed;
                    }
                } else if (delay.isObject()) {
                    try {
                        BigDecimal seconds = new BigDecimal(delay.path("seconds").asText("0"));
                        long nanos = delay.path("nanos").asLong(0);
                        if (seconds.signum() >= 0 && nanos >= 0) {
                            return Optional.of(Duration.ofSeconds(seconds.longValueExact(), nanos));
                        }
                    } catch (NumberFormatException | ArithmeticException e) {
                        // an unreadable delay is no delay
                    }
                }
            }
            return Optional.empty();
        }

        private static boolean isType(JsonNode detail, String type) {
            return detail.path("@type").asText("").endsWith(type);
        }

        private static String text(JsonNode node) {
            String s = textOrNull(node);
            return s == null ? "" : s;
        }

        private static String textOrNull(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            return node.isValueNode() ? node.asText() : node.toString();
        }
    }
}
