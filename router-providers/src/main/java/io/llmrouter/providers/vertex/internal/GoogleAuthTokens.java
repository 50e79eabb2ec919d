package io.llmrouter.providers.vertex.internal;

import com.google.auth.RequestMetadataCallback;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.llmrouter.api.Secret;
import io.llmrouter.providers.vertex.VertexCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link VertexCredentials} on google-auth-library-oauth2-http: the credentials are loaded once, on
 * first use, on the refresh executor (reading a key file or discovering Application Default
 * Credentials may block); each token comes from {@link GoogleCredentials#getRequestMetadata(java.net.URI,
 * Executor, RequestMetadataCallback)}, which answers at once with a fresh cached token, answers with
 * the cached token and refreshes in the background when it is close to expiry, and refreshes on the
 * executor (the caller's future completing then) when there is no valid token. The token is never
 * logged; error messages name the source, never the key.
 *
 * <p>Only loaded after {@link GoogleAuthLibrary#require}. Thread-safe.
 */
public final class GoogleAuthTokens implements VertexCredentials {

    /** Loads the credentials (may block: runs on the refresh executor). */
    @FunctionalInterface
    public interface Loader {
        /**
         * The credentials, not yet scoped.
         *
         * @return the credentials
         * @throws IOException when they cannot be read
         */
        GoogleCredentials load() throws IOException;
    }

    private final String source;
    private final Loader loader;
    private final Executor executor;
    private volatile CompletableFuture<GoogleCredentials> loaded;

    /**
     * Credentials from {@code loader}, refreshed on {@code executor}.
     *
     * @param source what the credentials are, for messages (never a secret)
     * @param loader loads them
     * @param executor runs the loading and the token requests
     */
    public GoogleAuthTokens(String source, Loader loader, Executor executor) {
        this.source = Objects.requireNonNull(source, "source");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Tokens of the service-account key file {@code file}. */
    public static VertexCredentials serviceAccountFile(Path file) {
        GoogleAuthLibrary.require("VertexCredentials.serviceAccount");
        return new GoogleAuthTokens("the service-account key file " + file, () -> {
            try (InputStream in = Files.newInputStream(file)) {
                return ServiceAccountCredentials.fromStream(in);
            }
        }, Refresher.EXECUTOR);
    }

    /** Tokens of the service-account key whose JSON text is {@code json}. */
    public static VertexCredentials serviceAccountJson(Secret json) {
        GoogleAuthLibrary.require("VertexCredentials.serviceAccount");
        return new GoogleAuthTokens("the service-account key JSON", () -> serviceAccount(json),
                Refresher.EXECUTOR);
    }

    /** Tokens of the Application Default Credentials. */
    public static VertexCredentials applicationDefault() {
        GoogleAuthLibrary.require("VertexCredentials.applicationDefault");
        return new GoogleAuthTokens("the Application Default Credentials", GoogleCredentials::getApplicationDefault,
                Refresher.EXECUTOR);
    }

    private static GoogleCredentials serviceAccount(Secret json) throws IOException {
        String text;
        try {
            text = json.reveal();
        } catch (IllegalStateException e) {
            throw new IOException("the service-account key JSON is not available", e);
        }
        try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            return ServiceAccountCredentials.fromStream(in);
        }
    }

    @Override
    public CompletableFuture<String> token() {
        return credentials().thenCompose(this::token);
    }

    private CompletableFuture<GoogleCredentials> credentials() {
        CompletableFuture<GoogleCredentials> current = loaded;
        if (current != null && !current.isCompletedExceptionally()) {
            return current; // no lock on the common path
        }
        return startLoad();
    }

    /** Starts loading, unless another caller has meanwhile. */
    private synchronized CompletableFuture<GoogleCredentials> startLoad() {
        CompletableFuture<GoogleCredentials> current = loaded;
        if (current == null || current.isCompletedExceptionally()) {
            // a failed load is tried again by the next call (the file may have appeared)
            current = CompletableFuture.supplyAsync(this::load, executor);
            loaded = current;
        }
        return current;
    }

    private GoogleCredentials load() {
        GoogleCredentials credentials;
        try {
            credentials = loader.load();
        } catch (IOException | RuntimeException e) {
            throw new CompletionException(new IOException("cannot load " + source + ": " + describe(e), e));
        }
        if (credentials == null) {
            throw new CompletionException(new IOException("cannot load " + source + ": no credentials"));
        }
        return credentials.createScopedRequired() ? credentials.createScoped(List.of(CLOUD_PLATFORM_SCOPE))
                : credentials;
    }

    private CompletableFuture<String> token(GoogleCredentials credentials) {
        CompletableFuture<String> token = new CompletableFuture<>();
        credentials.getRequestMetadata(null, executor, new RequestMetadataCallback() {
            @Override
            public void onSuccess(Map<String, List<String>> metadata) {
                List<String> values = metadata.get("Authorization");
                String value = values == null || values.isEmpty() ? null : values.get(0);
                if (value == null || !value.startsWith("Bearer ")) {
                    token.completeExceptionally(new IOException(source + " gave no bearer token"));
                } else {
                    token.complete(value.substring("Bearer ".length()));
                }
            }

            @Override
            public void onFailure(Throwable failure) {
                token.completeExceptionally(new IOException("cannot refresh the token of " + source + ": "
                        + describe(failure), failure));
            }
        });
        return token;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    @Override
    public String toString() {
        return "GoogleAuthTokens[" + source + "]";
    }

    /** The shared daemon threads that load credentials and fetch tokens: idle ones end after a minute. */
    private static final class Refresher {
        static final ExecutorService EXECUTOR = executor();

        private static ExecutorService executor() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "llmrouter-vertex-token-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
