package io.llmrouter.proxy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmrouter.api.Secret;
import io.llmrouter.proxy.ProxySettings;
import io.llmrouter.proxy.store.ApiKeys;
import io.llmrouter.proxy.store.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The proxy's part of a LiteLLM {@code config.yaml}: {@code general_settings.master_key},
 * {@code database_url}, {@code max_request_size_mb}, {@code request_timeout} (seconds). Values written
 * {@code os.environ/NAME} are read from the environment, as the router's loader does. Errors never
 * hold a secret's value.
 */
public final class ProxyConfig {

    private static final String ENV_PREFIX = "os.environ/";

    private final Secret masterKey;
    private final StoreSettings store;
    private final ProxySettings settings;

    private ProxyConfig(Secret masterKey, StoreSettings store, ProxySettings settings) {
        this.masterKey = masterKey;
        this.store = store;
        this.settings = settings;
    }

    public Secret masterKey() {
        return masterKey;
    }

    public StoreSettings store() {
        return store;
    }

    public ProxySettings settings() {
        return settings;
    }

    /**
     * Reads {@code general_settings} of {@code file}.
     *
     * @throws IllegalArgumentException with a message for the operator
     */
    public static ProxyConfig read(Path file, Map<String, String> env) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode general = root == null ? null : root.get("general_settings");
        String master = text(general, "master_key", env);
        if (master == null) {
            master = env.get("LITELLM_MASTER_KEY");
        }
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("general_settings.master_key is required (or LITELLM_MASTER_KEY)");
        }
        if (!master.startsWith(ApiKeys.PREFIX)) {
            throw new IllegalArgumentException("general_settings.master_key must start with " + ApiKeys.PREFIX);
        }
        StoreSettings.Builder store = StoreSettings.builder();
        String dbUrl = text(general, "database_url", env);
        if (dbUrl == null) {
            dbUrl = env.get("DATABASE_URL");
        }
        if (dbUrl != null && !dbUrl.isBlank()) {
            database(dbUrl, store);
        }
        ProxySettings.Builder settings = ProxySettings.builder();
        String size = text(general, "max_request_size_mb", env);
        if (size != null) {
            settings.maxRequestBytes(Math.round(number(size, "general_settings.max_request_size_mb") * 1024 * 1024));
        }
        String timeout = text(general, "request_timeout", env);
        if (timeout == null && root != null && root.get("litellm_settings") != null) {
            timeout = text(root.get("litellm_settings"), "request_timeout", env);
        }
        if (timeout != null) {
            settings.requestTimeout(Duration.ofMillis(Math.round(number(timeout, "request_timeout") * 1000)));
        }
        return new ProxyConfig(Secret.of(master), store.build(), settings.build());
    }

    private static double number(String text, String field) {
        try {
            double d = Double.parseDouble(text.strip());
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(field + " must be a positive number, was '" + text + "'");
    }

    private static String text(JsonNode section, String field, Map<String, String> env) {
        if (section == null || !section.hasNonNull(field)) {
            return null;
        }
        JsonNode v = section.get(field);
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("general_settings." + field + " must be a value");
        }
        String s = v.asText();
        if (s.startsWith(ENV_PREFIX)) {
            String name = s.substring(ENV_PREFIX.length());
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + ": environment variable " + name + " is not set");
            }
            return value;
        }
        return s;
    }

    /** A JDBC URL as is; {@code postgresql://user:pass@host:port/db} (or {@code postgres://}) as JDBC plus credentials. */
    static void database(String url, StoreSettings.Builder store) {
        if (url.startsWith("jdbc:")) {
            store.jdbcUrl(url);
            return;
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("database_url must be a JDBC URL or postgresql://user:password@host:port/db");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database_url is not a valid postgresql:// URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("database_url has no host");
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        store.jdbcUrl(jdbc);
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            store.username(user);
            if (colon >= 0) {
                store.password(Secret.of(URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8)));
            }
        }
    }
}
