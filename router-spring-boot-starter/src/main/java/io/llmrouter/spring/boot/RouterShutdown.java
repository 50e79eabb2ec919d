package io.llmrouter.spring.boot;

import io.llmrouter.Router;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the auto-configured router gracefully when the application context stops: new calls are
 * refused, calls in flight get up to {@code llmrouter.shutdown-grace-period} to finish, then the
 * rest are ended. It stops after the embedded web server (a lower phase), so HTTP requests the
 * server still drains can use the router.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class RouterShutdown implements SmartLifecycle {

    /** The lifecycle phase: after the web server's graceful shutdown and stop. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(RouterShutdown.class);

    private final Router router;
    private final Duration grace;
    private volatile boolean running;

    /**
     * A shutdown of {@code router}.
     *
     * @param router the router to close
     * @param grace the longest wait for its calls in flight
     */
    public RouterShutdown(Router router, Duration grace) {
        this.router = Objects.requireNonNull(router, "router");
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!router.close(grace)) {
            log.warn("llmrouter: calls still in flight after the shutdown grace period of {} were ended", grace);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
