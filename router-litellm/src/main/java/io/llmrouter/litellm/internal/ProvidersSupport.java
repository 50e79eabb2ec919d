package io.llmrouter.litellm.internal;

import io.llmrouter.Deployment;
import io.llmrouter.api.Secret;
import io.llmrouter.providers.azure.AzureOpenAiProvider;
import io.llmrouter.providers.bedrock.AwsCredentials;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.openai.OpenAiProvider;
import io.llmrouter.providers.vertex.VertexAiProvider;
import io.llmrouter.providers.vertex.VertexCredentials;
import java.nio.file.Path;

/**
 * The one class that names router-providers types, loaded only when {@link #isPresent()}
 * (router-providers is an optional dependency of router-litellm). Provider options are keyed by
 * identity, so only the adapters' own {@code ProviderOption} constants reach them.
 */
final class ProvidersSupport {

    private ProvidersSupport() {
    }

    /** Whether router-providers can be loaded (on the module path it must be resolved too). */
    static boolean isPresent() {
        try {
            Class.forName("io.llmrouter.providers.bedrock.BedrockProvider", false,
                    ProvidersSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static void azureApiVersion(Deployment.Builder b, String version) {
        b.option(AzureOpenAiProvider.API_VERSION, version);
    }

    static void openAiOrganization(Deployment.Builder b, String organization) {
        b.option(OpenAiProvider.ORGANIZATION, organization);
    }

    static void bedrockRegion(Deployment.Builder b, String region) {
        b.option(BedrockProvider.REGION, region);
    }

    /** Fixed SigV4 credentials; {@code sessionToken} may be null. */
    static void bedrockCredentials(Deployment.Builder b, String accessKeyId, Secret secretAccessKey,
            Secret sessionToken) {
        b.option(BedrockProvider.CREDENTIALS, sessionToken == null ? AwsCredentials.of(accessKeyId, secretAccessKey)
                : AwsCredentials.of(accessKeyId, secretAccessKey, sessionToken));
    }

    static void vertexProject(Deployment.Builder b, String project) {
        b.option(VertexAiProvider.PROJECT, project);
    }

    static void vertexLocation(Deployment.Builder b, String location) {
        b.option(VertexAiProvider.LOCATION, location);
    }

    /**
     * LiteLLM's {@code vertex_credentials}: a service-account key's JSON text, or the path of its
     * file. The text is held as a {@link Secret}, never logged.
     *
     * @throws IllegalStateException if google-auth-library-oauth2-http is not on the class path
     */
    static void vertexCredentials(Deployment.Builder b, String value) {
        String v = value.strip();
        b.option(VertexAiProvider.CREDENTIALS, v.startsWith("{")
                ? VertexCredentials.serviceAccount(Secret.of(v)) : VertexCredentials.serviceAccount(Path.of(v)));
    }
}
