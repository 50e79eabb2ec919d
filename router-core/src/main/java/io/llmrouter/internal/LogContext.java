package io.llmrouter.internal;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * The SLF4J MDC during a call: {@value #REQUEST_ID}, {@value #MODEL_GROUP} and, during an attempt,
 * {@value #DEPLOYMENT}, put around the provider call and the listeners' call events and restored
 * after (a caller's own MDC values under these keys come back). Without an SLF4J binding that
 * keeps an MDC (the no-operation one), nothing is put. One instance is one put, to restore.
 */
final class LogContext {

    /** The MDC key of the call's id. */
    static final String REQUEST_ID = "llmrouter.request_id";
    /** The MDC key of the model group being tried. */
    static final String MODEL_GROUP = "llmrouter.model_group";
    /** The MDC key of the deployment being called. */
    static final String DEPLOYMENT = "llmrouter.deployment";

    /** Whether the SLF4J binding keeps an MDC. */
    static final boolean ENABLED = !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);

    private final String previousId;
    private final String previousGroup;
    private final String previousDeployment;

    private LogContext(String requestId, String group, String deployment) {
        previousId = MDC.get(REQUEST_ID);
        previousGroup = MDC.get(MODEL_GROUP);
        previousDeployment = MDC.get(DEPLOYMENT);
        MDC.put(REQUEST_ID, requestId);
        put(MODEL_GROUP, group);
        put(DEPLOYMENT, deployment);
    }

    /**
     * Puts the call's values (a null group or deployment is removed); null when the MDC is off or
     * the call has no id.
     */
    static LogContext open(String requestId, String group, String deployment) {
        return ENABLED && requestId != null ? new LogContext(requestId, group, deployment) : null;
    }

    /** Restores what {@code scope} replaced; nothing for null. */
    static void close(LogContext scope) {
        if (scope != null) {
            put(REQUEST_ID, scope.previousId);
            put(MODEL_GROUP, scope.previousGroup);
            put(DEPLOYMENT, scope.previousDeployment);
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** A new call id: 16 random hex digits. */
    static String newRequestId() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = Character.forDigit((int) (bits & 0xF), 16);
            bits >>>= 4;
        }
        return new String(out);
    }
}
