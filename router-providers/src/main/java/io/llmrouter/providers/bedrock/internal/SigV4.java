package io.llmrouter.providers.bedrock.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for requests to services other than S3 (so for Bedrock): canonical
 * request, string to sign, signature and {@code Authorization} header, with HMAC-SHA256 from
 * {@code javax.crypto}. Checked against AWS's SigV4 test suite.
 *
 * <p>The signer signs exactly the headers it is given, in the form they will be sent: the caller
 * adds {@code host}, {@code x-amz-date} ({@link #amzDate(Instant)}) and, for temporary
 * credentials, {@code x-amz-security-token} before signing. The canonical URI is the request's
 * <em>encoded</em> path with dot segments and empty segments removed and every segment
 * URI-encoded once more, as AWS does for non-S3 services: a Bedrock model id sent as
 * {@code v1%3A0} is signed as {@code v1%253A0}. Query parameters are decoded and re-encoded, then
 * sorted by name and value.
 *
 * <p>Stateless and thread-safe.
 */
public final class SigV4 {

    /** The signing algorithm, first word of the {@code Authorization} header: {@value}. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** The last element of the credential scope: {@value}. */
    public static final String TERMINATOR = "aws4_request";

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private SigV4() {
    }

    /**
     * A request to sign.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param encodedPath the path as sent on the wire (percent-encoded), e.g.
     *     {@code /model/anthropic.claude-3-haiku-20240307-v1%3A0/converse}
     * @param rawQuery the query string without {@code ?}, empty when none
     * @param headers the headers to sign, in order (a name may repeat); names are case-insensitive
     * @param payload the body, empty when none
     */
    public record Request(String method, String encodedPath, String rawQuery, List<Map.Entry<String, String>> headers,
            byte[] payload) {

        /** Checks and copies the components. */
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(encodedPath, "encodedPath");
            Objects.requireNonNull(rawQuery, "rawQuery");
            headers = List.copyOf(headers);
            payload = Objects.requireNonNull(payload, "payload").clone();
        }

        /** A copy of the body. */
        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** Header names only: values may hold a session token. */
        @Override
        public String toString() {
            List<String> names = new ArrayList<>();
            headers.forEach(h -> names.add(h.getKey()));
            return "Request[" + method + " " + encodedPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + ", headers="
                    + names + ", payload=" + payload.length + " bytes]";
        }
    }

    /**
     * Who signs and for what: the credentials and the credential scope.
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key, revealed
     * @param region the region, e.g. {@code us-east-1}
     * @param service the signing name, e.g. {@code bedrock}
     */
    public record Signer(String accessKeyId, String secretAccessKey, String region, String service) {

        /** Checks the components. */
        public Signer {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(service, "service");
        }

        /** Never shows the secret access key. */
        @Override
        public String toString() {
            return "Signer[accessKeyId=" + accessKeyId + ", region=" + region + ", service=" + service + "]";
        }
    }

    /**
     * The result of signing, with every intermediate step (for tests and debugging).
     *
     * @param canonicalRequest the canonical request
     * @param stringToSign the string to sign
     * @param signedHeaders the signed header names, lower case, {@code ;}-separated
     * @param signature the signature, lower-case hex
     * @param authorization the {@code Authorization} header value
     */
    public record Signature(String canonicalRequest, String stringToSign, String signedHeaders, String signature,
            String authorization) {
    }

    /**
     * Signs a request.
     *
     * @param request the request, with every header to sign
     * @param signer the credentials and scope
     * @param time the signing time; must equal the request's {@code x-amz-date}
     * @return the signature
     */
    public static Signature sign(Request request, Signer signer, Instant time) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(time, "time");
        String amzDate = amzDate(time);
        String date = amzDate.substring(0, 8);
        TreeMap<String, String> headers = canonicalHeaders(request.headers());
        String signedHeaders = String.join(";", headers.keySet());
        StringBuilder canonical = new StringBuilder()
                .append(request.method().toUpperCase(Locale.ROOT)).append('\n')
                .append(canonicalUri(request.encodedPath())).append('\n')
                .append(canonicalQuery(request.rawQuery())).append('\n');
        headers.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        canonical.append('\n').append(signedHeaders).append('\n').append(sha256Hex(request.payload));
        String canonicalRequest = canonical.toString();
        String scope = date + "/" + signer.region() + "/" + signer.service() + "/" + TERMINATOR;
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + signer.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, signer.region());
        key = hmac(key, signer.service());
        key = hmac(key, TERMINATOR);
        String signature = hex(hmac(key, stringToSign));
        String authorization = ALGORITHM + " Credential=" + signer.accessKeyId() + "/" + scope + ", SignedHeaders="
                + signedHeaders + ", Signature=" + signature;
        return new Signature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /** The {@code x-amz-date} value of {@code time}: {@code yyyyMMdd'T'HHmmss'Z'} in UTC. */
    public static String amzDate(Instant time) {
        return AMZ_DATE.format(time);
    }

    /** The lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Encodes a URI path label as the REST protocols do: every byte except the unreserved
     * characters {@code A-Z a-z 0-9 - . _ ~} as {@code %XX}, so {@code :} becomes {@code %3A} and
     * {@code /} becomes {@code %2F}.
     *
     * @param label e.g. a Bedrock model id or ARN
     * @return the encoded label
     */
    public static String encodeLabel(String label) {
        return uriEncode(label);
    }

    /**
     * The canonical URI of a (wire-encoded) path: dot segments resolved, empty segments dropped,
     * a trailing slash kept, and every segment URI-encoded again.
     */
    static String canonicalUri(String encodedPath) {
        if (encodedPath.isEmpty()) {
            return "/";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : encodedPath.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String segment : segments) {
            sb.append('/').append(uriEncode(segment));
        }
        if (sb.length() == 0) {
            return "/";
        }
        if (encodedPath.endsWith("/")) {
            sb.append('/');
        }
        return sb.toString();
    }

    /** The canonical query: each name and value decoded, encoded again, sorted by name then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new String[] {uriEncode(percentDecode(name)), uriEncode(percentDecode(value))});
        }
        params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /**
     * Canonical headers by lower-case name: values trimmed, runs of whitespace (including folded
     * line breaks) made one space, repeated names joined with commas in order.
     */
    static TreeMap<String, String> canonicalHeaders(List<Map.Entry<String, String>> headers) {
        TreeMap<String, String> canonical = new TreeMap<>();
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().strip().toLowerCase(Locale.ROOT);
            String value = WHITESPACE.matcher(h.getValue().strip()).replaceAll(" ");
            canonical.merge(name, value, (a, b) -> a + "," + b);
        }
        return canonical;
    }

    private static String uriEncode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** Decodes {@code %XX} escapes (a malformed escape is kept as it is); {@code +} stays {@code +}. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length];
        int n = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hexValue(bytes[i + 1]) >= 0 && hexValue(bytes[i + 2]) >= 0) {
                out[n++] = (byte) ((hexValue(bytes[i + 1]) << 4) | hexValue(bytes[i + 2]));
                i += 2;
            } else {
                out[n++] = bytes[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static int hexValue(byte b) {
        return Character.digit((char) b, 16);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
