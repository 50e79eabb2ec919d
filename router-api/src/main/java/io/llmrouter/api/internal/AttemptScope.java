package io.llmrouter.api.internal;

/**
 * Marks the code that runs one provider call inside the router (the router's attempt step, on the
 * calling thread): an {@link io.llmrouter.api.exception.LlmRouterException} created there skips its
 * stack trace, because the router handles it (a retry, a fallback) far more often than it hands it
 * to the caller; when it does become the caller's error, the router gives it its stack trace then
 * ({@link io.llmrouter.api.exception.LlmRouterException#initAttempts}). Filling a stack trace costs
 * microseconds and about a kilobyte per failed attempt.
 *
 * <p>Not API: exported to the library's own modules only. Scopes nest (a depth per thread), and
 * entering one allocates nothing after a thread's first.
 */
public final class AttemptScope {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private AttemptScope() {
    }

    /**
     * Enters a scope on the calling thread.
     *
     * @return the token to pass to {@link #exit(int[])}, on the same thread
     */
    public static int[] enter() {
        int[] depth = DEPTH.get();
        depth[0]++;
        return depth;
    }

    /**
     * Leaves the scope {@link #enter()} opened.
     *
     * @param token what {@link #enter()} returned
     */
    public static void exit(int[] token) {
        token[0]--;
    }

    /** Whether the calling thread is inside a scope. */
    public static boolean active() {
        return DEPTH.get()[0] > 0;
    }
}
