package io.llmrouter.providers.bedrock;

import io.llmrouter.api.Secret;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import mockwebserver3.MockResponse;

/** Helpers shared by the Bedrock adapter tests: resources, JSON trees, futures, environments, fixed signing inputs. */
final class BedrockTestSupport {

    /** AWS's documentation example credentials (the SigV4 test suite's), not real ones. */
    static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token-0123456789abcdef";
    static final Instant SIGNING_TIME = Instant.parse("2015-08-30T12:36:00Z");
    static final Clock CLOCK = Clock.fixed(SIGNING_TIME, ZoneOffset.UTC);
    static final String REQUEST_ID = "6c1e4a2f-1111-4000-8000-000000000001";
    static final String SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    static final String SONNET_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";

    private BedrockTestSupport() {
    }

    static AwsCredentials credentials() {
        return AwsCredentials.of(ACCESS_KEY_ID, Secret.of(SECRET_ACCESS_KEY));
    }

    static AwsCredentials temporaryCredentials() {
        return AwsCredentials.of(ACCESS_KEY_ID, Secret.of(SECRET_ACCESS_KEY), Secret.of(SESSION_TOKEN));
    }

    /** {@code /bedrock/<name>} from the test resources. */
    static String resource(String name) {
        return ProviderTestKit.resource("bedrock", name);
    }

    static MockResponse json(int status, String body) {
        return ProviderTestKit.json(status, body, Map.of("x-amzn-requestid", REQUEST_ID));
    }
}
