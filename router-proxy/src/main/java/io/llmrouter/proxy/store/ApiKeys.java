package io.llmrouter.proxy.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Proxy API keys: generate one, hash it for storage, mask it for display. The key itself is never
 * stored: the database keeps {@link #hash(String)} and {@link #mask(String)}.
 *
 * <pre>{@code
 * String key = ApiKeys.generate();              // sk-<43 base64url characters>, shown once
 * VirtualKey stored = VirtualKey.builderFor(key).keyAlias("ci").build();
 * assert stored.tokenHash().equals(ApiKeys.hash(key));
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class ApiKeys {

    /** The prefix of every generated key, as OpenAI's and LiteLLM's keys. */
    public static final String PREFIX = "sk-";

    /** The random bytes in a generated key. */
    public static final int RANDOM_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /**
     * A new key: {@code sk-} and {@value #RANDOM_BYTES} bytes from {@link SecureRandom} in
     * base64url without padding.
     *
     * @return the key
     */
    public static String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The lower-case hex SHA-256 of the key's UTF-8 bytes: what the store keeps and looks keys up by.
     *
     * @param key the key, not empty
     * @return 64 hex characters
     * @throws IllegalArgumentException if {@code key} is empty
     */
    public static String hash(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * The display form of a key: {@code sk-...} and its last 4 characters ({@code sk-...} alone
     * for a key of 8 characters or fewer, so a short key is not shown whole).
     *
     * @param key the key
     * @return the masked key
     */
    public static String mask(String key) {
        Objects.requireNonNull(key, "key");
        return key.length() <= 8 ? PREFIX + "..." : PREFIX + "..." + key.substring(key.length() - 4);
    }
}
