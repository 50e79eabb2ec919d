package io.llmrouter.providers.bedrock;

import io.llmrouter.api.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * AWS credentials for SigV4 signing: an access key id, a secret access key and, for temporary
 * credentials (STS, SSO, an assumed role), a session token.
 *
 * <pre>{@code
 * AwsCredentials fixed = AwsCredentials.of("AKIAIOSFODNN7EXAMPLE", Secret.fromEnv("BEDROCK_SECRET_KEY"));
 * AwsCredentials temporary = AwsCredentials.of("ASIAIOSFODNN7EXAMPLE", Secret.of(secretKey), Secret.of(sessionToken));
 * }</pre>
 *
 * <p>The secret parts are {@link Secret}s, so they may also come from environment variables read
 * at call time. {@link #toString()} shows the access key id (an identifier, not a secret: AWS
 * prints it in every {@code Authorization} header) and never the secret key or the token.
 *
 * <p>Fixed credentials are also an {@link AwsCredentialsSupplier} returning themselves, so both
 * fit {@link BedrockProvider#CREDENTIALS}. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class AwsCredentials implements AwsCredentialsSupplier {

    private final String accessKeyId;
    private final Secret secretAccessKey;
    private final Secret sessionToken;

    private AwsCredentials(String accessKeyId, Secret secretAccessKey, Secret sessionToken) {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        if (accessKeyId.isBlank()) {
            throw new IllegalArgumentException("accessKeyId must not be blank");
        }
        this.accessKeyId = accessKeyId.strip();
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = sessionToken;
    }

    /**
     * Long-term credentials (an IAM user's access key).
     *
     * @param accessKeyId the access key id, not blank
     * @param secretAccessKey the secret access key
     * @return the credentials
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code accessKeyId} is blank
     */
    public static AwsCredentials of(String accessKeyId, Secret secretAccessKey) {
        return new AwsCredentials(accessKeyId, secretAccessKey, null);
    }

    /**
     * Temporary credentials, sent with {@code X-Amz-Security-Token}.
     *
     * @param accessKeyId the access key id, not blank
     * @param secretAccessKey the secret access key
     * @param sessionToken the session token
     * @return the credentials
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code accessKeyId} is blank
     */
    public static AwsCredentials of(String accessKeyId, Secret secretAccessKey, Secret sessionToken) {
        return new AwsCredentials(accessKeyId, secretAccessKey, Objects.requireNonNull(sessionToken, "sessionToken"));
    }

    /** The access key id. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** The secret access key. */
    public Secret secretAccessKey() {
        return secretAccessKey;
    }

    /** The session token of temporary credentials, when there is one. */
    public Optional<Secret> sessionToken() {
        return Optional.ofNullable(sessionToken);
    }

    /** These credentials. */
    @Override
    public AwsCredentials credentials() {
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AwsCredentials c && accessKeyId.equals(c.accessKeyId)
                && secretAccessKey.equals(c.secretAccessKey) && Objects.equals(sessionToken, c.sessionToken);
    }

    @Override
    public int hashCode() {
        return accessKeyId.hashCode();
    }

    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=" + secretAccessKey
                + (sessionToken == null ? "" : ", sessionToken=" + sessionToken) + "]";
    }
}
