package io.llmrouter.providers.bedrock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * SigV4 against AWS's own test suite and the other vectors of the shared corpus
 * ({@code shared/fixtures/providers/bedrock/sigv4/}, read at test time; skipped when absent), plus
 * the Bedrock-specific encoding rules.
 */
class SigV4Test {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The test suite's credentials and scope (its README). */
    private static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");

    /**
     * Session tokens the suite's signer adds itself (they are not in the {@code .req}):
     * {@code get-vanilla-with-session-token} uses the token of aws-c-auth's test context.
     */
    private static final Map<String, String> ADDED_TOKENS = Map.of("get-vanilla-with-session-token",
            "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");

    @TestFactory
    Stream<DynamicTest> givenAwsTestSuiteCase_whenSigned_thenCanonicalRequestStringToSignAndAuthorizationMatch()
            throws IOException {
        Optional<Path> dir = sigv4Corpus().map(p -> p.resolve("aws4_testsuite")).filter(Files::isDirectory);
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/bedrock/sigv4/aws4_testsuite not found");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.get())) {
            for (Path req : files.filter(p -> p.getFileName().toString().endsWith(".req")).sorted().toList()) {
                String name = req.getFileName().toString().replaceFirst("\\.req$", "");
                tests.add(DynamicTest.dynamicTest(name, () -> checkCase(req, name, "service", "us-east-1", SUITE_TIME)));
            }
        }
        assertThat(tests).as("test suite cases").hasSizeGreaterThanOrEqualTo(30);
        return tests.stream();
    }

    @Test
    void givenDerivedConverseVector_whenSigned_thenMatchesBotocoresSignature() throws IOException {
        Optional<Path> dir = sigv4Corpus().map(p -> p.resolve("derived-converse")).filter(Files::isDirectory);
        Assumptions.assumeTrue(dir.isPresent(), "shared/fixtures/providers/bedrock/sigv4/derived-converse not found");
        JsonNode context = JSON.readTree(dir.get().resolve("context.json").toFile());
        checkCase(dir.get().resolve("converse.req"), "converse", context.path("service").asText(),
                context.path("region").asText(), Instant.parse(context.path("timestamp").asText()));
    }

    @Test
    void givenOpenAiPythonMantleVector_whenSignedWithSessionTokenAndPayloadHash_thenMatches() throws IOException {
        Optional<Path> file = sigv4Corpus().map(p -> p.resolve("openai-python-bedrock-mantle-sigv4.json"))
                .filter(Files::exists);
        Assumptions.assumeTrue(file.isPresent(), "openai-python-bedrock-mantle-sigv4.json not found");
        JsonNode v = JSON.readTree(file.get().toFile());
        JsonNode expected = v.path("expected");
        byte[] body = v.path("request").path("body").asText().getBytes(StandardCharsets.UTF_8);
        String payloadHash = SigV4.sha256Hex(body);
        assertThat(payloadHash).isEqualTo(expected.path("payloadHash").asText());
        Instant time = Instant.parse(v.path("signingDate").asText());
        assertThat(SigV4.amzDate(time)).isEqualTo(expected.path("date").asText());
        okhttp3.HttpUrl url = okhttp3.HttpUrl.get(v.path("request").path("url").asText());
        JsonNode c = v.path("credentials");
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Content-Type", v.path("request").path("contentType").asText()),
                Map.entry("Host", url.host()),
                Map.entry("X-Amz-Content-Sha256", payloadHash),
                Map.entry("X-Amz-Date", SigV4.amzDate(time)),
                Map.entry("X-Amz-Security-Token", c.path("sessionToken").asText()));

        SigV4.Signature s = SigV4.sign(new SigV4.Request(v.path("request").path("method").asText(),
                url.encodedPath(), "", headers, body), new SigV4.Signer(c.path("accessKeyId").asText(),
                c.path("secretAccessKey").asText(), v.path("region").asText(), v.path("service").asText()), time);

        assertThat(SigV4.sha256Hex(s.canonicalRequest().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(expected.path("canonicalRequestHash").asText());
        assertThat(s.authorization()).isEqualTo(expected.path("authorization").asText());
    }

    @Test
    void encodesModelIdLabelOnceForTheWireAndTwiceInTheCanonicalUri() {
        String label = SigV4.encodeLabel("anthropic.claude-3-haiku-20240307-v1:0");
        assertThat(label).isEqualTo("anthropic.claude-3-haiku-20240307-v1%3A0");
        assertThat(SigV4.canonicalUri("/model/" + label + "/converse"))
                .isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse");
    }

    @Test
    void encodesArnSlashesAndColonsInOneSegment() {
        String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0";
        String label = SigV4.encodeLabel(arn);
        assertThat(label).isEqualTo("arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
                + "us.anthropic.claude-3-5-sonnet-20240620-v1%3A0");
        assertThat(SigV4.canonicalUri("/model/" + label + "/invoke")).isEqualTo("/model/" + label.replace("%", "%25")
                + "/invoke");
    }

    @Test
    void normalizesDotAndEmptySegmentsButKeepsTrailingSlash() {
        assertThat(SigV4.canonicalUri("")).isEqualTo("/");
        assertThat(SigV4.canonicalUri("//example//")).isEqualTo("/example/");
        assertThat(SigV4.canonicalUri("/a/b/../c/./d")).isEqualTo("/a/c/d");
        assertThat(SigV4.canonicalUri("/a/..")).isEqualTo("/");
    }

    @Test
    void sortsAndReencodesQueryParameters() {
        assertThat(SigV4.canonicalQuery("b=2&a=x%2Fy&a=1&flag")).isEqualTo("a=1&a=x%2Fy&b=2&flag=");
    }

    @Test
    void signerToStringNeverShowsTheSecretKey() {
        assertThat(new SigV4.Signer(ACCESS_KEY_ID, SECRET_ACCESS_KEY, "us-east-1", "bedrock").toString())
                .contains(ACCESS_KEY_ID).doesNotContain(SECRET_ACCESS_KEY);
    }

    // ------------------------------------------------------------------------------------ harness

    private static void checkCase(Path req, String name, String service, String region, Instant time)
            throws IOException {
        Path dir = req.getParent();
        ParsedRequest parsed = ParsedRequest.parse(Files.readString(req, StandardCharsets.UTF_8));
        List<Map.Entry<String, String>> headers = new ArrayList<>(parsed.headers());
        if (ADDED_TOKENS.containsKey(name)) {
            headers.add(Map.entry("X-Amz-Security-Token", ADDED_TOKENS.get(name)));
        }

        SigV4.Signature s = SigV4.sign(new SigV4.Request(parsed.method(), parsed.path(), parsed.query(), headers,
                parsed.body().getBytes(StandardCharsets.UTF_8)),
                new SigV4.Signer(ACCESS_KEY_ID, SECRET_ACCESS_KEY, region, service), time);

        assertThat(s.canonicalRequest()).as("%s.creq", name).isEqualTo(read(dir.resolve(name + ".creq")));
        assertThat(s.stringToSign()).as("%s.sts", name).isEqualTo(read(dir.resolve(name + ".sts")));
        assertThat(s.authorization()).as("%s.authz", name).isEqualTo(read(dir.resolve(name + ".authz")));
    }

    private static String read(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** A raw HTTP request of the test suite: request line, headers (folded lines kept), blank line, body. */
    private record ParsedRequest(String method, String path, String query, List<Map.Entry<String, String>> headers,
            String body) {

        static ParsedRequest parse(String text) {
            int split = text.indexOf("\n\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 2);
            String[] lines = head.split("\n");
            String requestLine = lines[0];
            int space = requestLine.indexOf(' ');
            String target = requestLine.substring(space + 1, requestLine.lastIndexOf(" HTTP/"));
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String query = q < 0 ? "" : target.substring(q + 1);
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && !headers.isEmpty()) {
                    String[] last = headers.get(headers.size() - 1);
                    last[1] = last[1] + "\n" + line;
                    continue;
                }
                int colon = line.indexOf(':');
                headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
            }
            List<Map.Entry<String, String>> entries = new ArrayList<>();
            headers.forEach(h -> entries.add(Map.entry(h[0], h[1])));
            return new ParsedRequest(requestLine.substring(0, space), path, query, entries, body);
        }
    }

    /** {@code shared/fixtures/providers/bedrock/sigv4} in the working directory or one of its parents. */
    static Optional<Path> sigv4Corpus() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve("bedrock")
                    .resolve("sigv4");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
