/**
 * Internal: not API, may change in any release.
 *
 * <p>Bedrock wire details: SigV4 signing, the Converse request and response mapping, the AWS
 * event-stream decoder and the ConverseStream reader, the InvokeModel embedding bodies, bounded
 * fan-out of embedding calls, and the one place where Bedrock errors become typed exceptions.
 */
package io.llmrouter.providers.bedrock.internal;
