package io.llmrouter.providers.bedrock;

/**
 * Where a Bedrock deployment's AWS credentials come from, asked once per call so that temporary
 * credentials can be refreshed: set it with
 * {@code Deployment.builder(..).option(BedrockProvider.CREDENTIALS, supplier)}. Fixed credentials
 * are a supplier too ({@link AwsCredentials} returns itself).
 *
 * <pre>{@code
 * AwsCredentialsSupplier rotating = () -> vault.currentBedrockCredentials();   // cached by the vault
 * Deployment.builder("claude", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0")
 *     .option(BedrockProvider.CREDENTIALS, rotating)
 *     .build();
 * }</pre>
 *
 * <p>{@link #credentials()} runs on the thread that calls the provider (the router's caller or its
 * retry scheduler), for every call: return cached credentials and refresh them in the background
 * or only when they are about to expire; never block for long. Implementations must be
 * thread-safe. An exception it throws fails the call with an
 * {@link io.llmrouter.api.exception.AuthenticationException} (its message is not quoted, only its
 * type), before any network call.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface AwsCredentialsSupplier {

    /**
     * The credentials to sign the next call with.
     *
     * @return the credentials, never null
     */
    AwsCredentials credentials();
}
