package io.llmrouter.providers.internal;

import io.llmrouter.api.Secret;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.spi.Endpoint;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one rule, for every adapter, for which API key a call sends:
 *
 * <ol>
 *   <li>the deployment's own {@code apiKey}, wherever the call goes;</li>
 *   <li>else, for a call to the vendor's own base URL (no deployment {@code apiBase}, or one equal
 *       to the provider's default base), the first of the vendor's environment variables that is
 *       set; when none is and the vendor needs a key, the call fails with an
 *       {@link io.llmrouter.api.exception.AuthenticationException} naming them, before any network
 *       traffic;</li>
 *   <li>else (a deployment {@code apiBase} elsewhere: a gateway, a proxy) no key: a key read from
 *       the environment is never handed to another host.</li>
 * </ol>
 */
public final class ApiKeys {

    private ApiKeys() {
    }

    /**
     * Whether a call goes to the vendor's own base URL: the deployment sets no {@code apiBase}, or
     * one equal to {@code defaultBase} but for trailing slashes.
     *
     * @param endpoint the deployment's settings
     * @param defaultBase the provider's default base URL, without a trailing slash
     * @return whether the environment's key may be sent
     */
    public static boolean isVendorBase(Endpoint endpoint, String defaultBase) {
        return endpoint.apiBase().map(HttpUrls::withoutTrailingSlash).map(defaultBase::equals).orElse(true);
    }

    /**
     * The key a call sends, by the rule above.
     *
     * @param endpoint the deployment's settings
     * @param vendorBase whether the call goes to the vendor's own base ({@link #isVendorBase})
     * @param environmentVariables the vendor's variables, in order
     * @param environment where variables are read from
     * @param required whether a call to the vendor's base without any key fails
     * @param errors the adapter's error mapping
     * @param context the call's context
     * @return the key, or empty for none
     * @throws io.llmrouter.api.exception.AuthenticationException if a required key is missing
     */
    public static Optional<Secret> resolve(Endpoint endpoint, boolean vendorBase, List<String> environmentVariables,
            Function<String, String> environment, boolean required, ErrorMapping errors, ErrorContext context) {
        if (endpoint.apiKey().isPresent()) {
            return endpoint.apiKey();
        }
        if (!vendorBase) {
            return Optional.empty();
        }
        for (String variable : environmentVariables) {
            Secret candidate = Secret.fromEnv(variable, environment);
            if (candidate.isAvailable()) {
                return Optional.of(candidate);
            }
        }
        if (required && !environmentVariables.isEmpty()) {
            throw errors.missingKey(environmentVariables, context);
        }
        return Optional.empty();
    }
}
