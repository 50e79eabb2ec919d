package io.llmrouter.providers.vertex.internal;

/**
 * Whether Google's google-auth-library-oauth2-http, an optional dependency, is on the class path.
 * Asked before any class that uses it is loaded, so its absence is a clear message, not a
 * {@link NoClassDefFoundError}.
 */
public final class GoogleAuthLibrary {

    /** The Maven coordinates to add, for messages. */
    public static final String COORDINATES = "com.google.auth:google-auth-library-oauth2-http";

    private static final boolean PRESENT = isVisibleTo(GoogleAuthLibrary.class.getClassLoader());

    private GoogleAuthLibrary() {
    }

    /** Whether the library can be used. */
    public static boolean isPresent() {
        return PRESENT;
    }

    /**
     * Fails when the library is missing.
     *
     * @param what what needs it, for the message
     * @throws IllegalStateException if it is not on the class path
     */
    public static void require(String what) {
        if (!PRESENT) {
            throw new IllegalStateException(missing(what));
        }
    }

    /** The message saying that {@code what} needs the library, which is missing. */
    public static String missing(String what) {
        return what + " needs Google's " + COORDINATES + " on the class path (an optional dependency of"
                + " router-providers): add it to your build, or give the deployment an access token"
                + " (apiKey) or a VertexCredentials of your own";
    }

    /**
     * Whether {@code loader} sees the library.
     *
     * @param loader the class loader to ask
     * @return true if it can load {@code GoogleCredentials}
     */
    public static boolean isVisibleTo(ClassLoader loader) {
        try {
            Class.forName("com.google.auth.oauth2.GoogleCredentials", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
