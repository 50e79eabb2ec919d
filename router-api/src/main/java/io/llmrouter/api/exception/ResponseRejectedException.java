package io.llmrouter.api.exception;

import java.util.Objects;

/**
 * A response rule rejected a deployment's answer (for example: not valid JSON for the request's
 * schema). It is a failure of that deployment for this request: retried (on another deployment of
 * the group when there is one) and fallen back from like a server error; it counts toward the
 * deployment's cooldown only when the rule says so ({@link #countsTowardCooldown()}). The rejected
 * answer was still paid for: its cost is in the spend and budgets. When every attempt was
 * rejected, the caller gets this exception (for a stream that already sent chunks, as the cause
 * of a {@link StreamInterruptedException}).
 *
 * @since 0.1.0
 */
public class ResponseRejectedException extends LlmRouterException {

    private static final long serialVersionUID = 1L;

    private final String rule;
    private final String reason;
    private final boolean countsTowardCooldown;

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param rule the name of the rule that rejected the answer
     * @param reason the rule's reason
     * @param countsTowardCooldown whether the rejection counts toward the deployment's cooldown
     */
    public ResponseRejectedException(String message, ErrorContext context, String rule, String reason,
            boolean countsTowardCooldown) {
        this(message, context, rule, reason, countsTowardCooldown, null);
    }

    /**
     * @param message what happened, without secrets
     * @param context where it happened
     * @param rule the name of the rule that rejected the answer
     * @param reason the rule's reason
     * @param countsTowardCooldown whether the rejection counts toward the deployment's cooldown
     * @param cause the underlying cause (e.g. the first group's rejection, after fallbacks), or null
     */
    public ResponseRejectedException(String message, ErrorContext context, String rule, String reason,
            boolean countsTowardCooldown, Throwable cause) {
        super(message, context, cause);
        this.rule = Objects.requireNonNull(rule, "rule");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.countsTowardCooldown = countsTowardCooldown;
    }

    /** The name of the rule that rejected the answer. */
    public String rule() {
        return rule;
    }

    /** The rule's reason, as it gave it. */
    public String reason() {
        return reason;
    }

    /** Whether the rule counts its rejections toward the deployment's cooldown. */
    public boolean countsTowardCooldown() {
        return countsTowardCooldown;
    }

    /** Always true: another deployment, or another try, may give an answer the rule accepts. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
