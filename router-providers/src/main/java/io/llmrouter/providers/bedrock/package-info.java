/**
 * The Amazon Bedrock adapter (route prefix {@code bedrock}): chat through the Converse API and,
 * streamed, ConverseStream (AWS binary event stream), and embeddings through InvokeModel (Amazon
 * Titan and Cohere Embed), signed with AWS SigV4 without the AWS SDK, or authenticated with a
 * Bedrock API key. The region comes from the
 * {@link io.llmrouter.providers.bedrock.BedrockProvider#REGION} option or {@code AWS_REGION};
 * credentials from the deployment ({@code apiKey}, {@link io.llmrouter.providers.bedrock.BedrockProvider#CREDENTIALS})
 * or the usual AWS environment variables.
 *
 * <pre>{@code
 * Deployment claude = Deployment.builder("claude", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0")
 *     .option(BedrockProvider.REGION, "us-east-1")
 *     .option(BedrockProvider.CREDENTIALS, AwsCredentials.of("AKIA...", Secret.fromEnv("BEDROCK_SECRET")))
 *     .build();
 * ChatResponse answer = Router.builder().deployment(claude).build().completion(ChatRequest.ofUser("claude", "Hi"));
 * }</pre>
 */
package io.llmrouter.providers.bedrock;
