package io.llmrouter.providers.vertex;

import io.llmrouter.api.Secret;
import io.llmrouter.providers.vertex.internal.GoogleAuthTokens;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Supplies OAuth 2.0 access tokens for Vertex AI calls, sent as {@code Authorization: Bearer <token>}.
 * Set it per deployment with {@code Deployment.builder(..).option(VertexAiProvider.CREDENTIALS, credentials)}.
 *
 * <p>Three ready-made sources use Google's {@code com.google.auth:google-auth-library-oauth2-http}
 * (an optional dependency of this library: add it to your build to use them), with the scope
 * {@value #CLOUD_PLATFORM_SCOPE}: {@link #serviceAccount(Path)}, {@link #serviceAccount(Secret)} and
 * {@link #applicationDefault()}. They load the credentials on first use, cache the token and
 * refresh it before it expires: a call made while the token is fresh gets it at once; a call
 * made a few minutes before expiry gets the current token while a background thread fetches the
 * next; only a call that finds no valid token waits for the refresh. The loading and the token
 * requests run on a shared daemon thread, never on the caller's.
 *
 * <p>Or implement it yourself (a lambda), for tokens from elsewhere:
 *
 * <pre>{@code
 * VertexCredentials fromVault = () -> vault.currentGoogleToken();   // CompletableFuture<String>
 * }</pre>
 *
 * <p>{@link #token()} is called once per request on the thread that starts the call, so it must
 * not block: return an already completed future for a cached token and an incomplete one while
 * fetching. A source that throws, returns null, returns a future that fails or completes with a
 * null or blank token, or does not complete within the call's timeout fails that call with an
 * {@link io.llmrouter.api.exception.AuthenticationException} (the failure kept as its cause) before
 * any request is sent. The token is written only to the {@code Authorization} header and masked
 * in every message and log line. Implementations must be thread-safe: calls overlap.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface VertexCredentials {

    /** The OAuth scope requested for Vertex AI tokens: {@value}. */
    String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    /**
     * A valid access token, without the {@code Bearer } prefix.
     *
     * @return the token's future; never null
     */
    CompletableFuture<String> token();

    /**
     * Tokens of the service account whose JSON key file is {@code jsonFile}. The file is read on
     * first use (a missing or malformed file fails that call with an
     * {@link io.llmrouter.api.exception.AuthenticationException}).
     *
     * @param jsonFile the service-account key file ({@code "type": "service_account"})
     * @return the credentials; thread-safe
     * @throws NullPointerException if {@code jsonFile} is null
     * @throws IllegalStateException if google-auth-library-oauth2-http is not on the class path
     */
    static VertexCredentials serviceAccount(Path jsonFile) {
        Objects.requireNonNull(jsonFile, "jsonFile");
        return GoogleAuthTokens.serviceAccountFile(jsonFile);
    }

    /**
     * Tokens of the service account whose JSON key is the content of {@code json}, e.g.
     * {@code Secret.fromEnv("VERTEX_SA_JSON")}. Read on first use.
     *
     * @param json the service-account key's JSON text
     * @return the credentials; thread-safe
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalStateException if google-auth-library-oauth2-http is not on the class path
     */
    static VertexCredentials serviceAccount(Secret json) {
        Objects.requireNonNull(json, "json");
        return GoogleAuthTokens.serviceAccountJson(json);
    }

    /**
     * Tokens of Google's Application Default Credentials: the file named by
     * {@code GOOGLE_APPLICATION_CREDENTIALS}, else the {@code gcloud auth application-default login}
     * credentials, else the attached service account on Google Cloud (metadata server). Discovered
     * on first use, off the caller's thread.
     *
     * @return the credentials; thread-safe
     * @throws IllegalStateException if google-auth-library-oauth2-http is not on the class path
     */
    static VertexCredentials applicationDefault() {
        return GoogleAuthTokens.applicationDefault();
    }
}
