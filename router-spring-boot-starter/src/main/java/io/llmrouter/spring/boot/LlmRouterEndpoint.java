package io.llmrouter.spring.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Router;
import io.llmrouter.budget.SpendReport;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code llmrouter}: the router's effective configuration
 * ({@link Router#describe()}, without secrets) and what it has spent ({@link Router#spend()}).
 * Expose it like any endpoint: {@code management.endpoints.web.exposure.include=health,llmrouter}.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
@Endpoint(id = "llmrouter")
public class LlmRouterEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Router router;

    /**
     * The endpoint of {@code router}.
     *
     * @param router the router
     */
    public LlmRouterEndpoint(Router router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * The description and the spend.
     *
     * @return {@code description} (the JSON of {@link Router#describe()}) and {@code spend}
     */
    @ReadOperation
    public Map<String, Object> router() {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            body.put("description", JSON.readValue(router.describe().toJson(), Object.class));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        body.put("spend", spend(router.spend()));
        return body;
    }

    private static Map<String, Object> spend(SpendReport s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalUsd", s.total());
        m.put("byModelGroup", s.byModelGroup());
        m.put("byDeployment", s.byDeployment());
        m.put("byProvider", s.byProvider());
        m.put("byTag", s.byTag());
        m.put("byUser", s.byUser());
        m.put("unpricedResponses", s.unpricedResponses());
        m.put("cacheHits", s.cacheHits());
        m.put("cacheSavedUsd", s.cacheSavedUsd());
        return m;
    }
}
