package io.llmrouter.proxy;

import static io.llmrouter.proxy.ProxyFixture.MASTER_KEY;
import static io.llmrouter.proxy.ProxyFixture.chatBody;
import static io.llmrouter.proxy.ProxyFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.proxy.store.ApiKeys;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin API: LiteLLM-compatible key routes, spend and deployments for the admin page. */
class ProxyKeyAdminTest {

    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void givenGenerateBody_whenGenerating_thenKeyShownOnceAndInfoByKeyOrHash() {
        JsonNode created = proxy.generate("{\"key_alias\":\"team-a\",\"models\":[\"gpt-4o\"],\"max_budget\":10,"
                + "\"budget_duration\":\"30d\",\"rpm_limit\":100,\"tpm_limit\":1000000,\"duration\":\"30d\","
                + "\"metadata\":{\"owner\":\"alice\"},\"user_id\":\"alice\",\"team_id\":\"t1\"}");

        String key = created.get("key").asText();
        assertThat(key).startsWith("sk-");
        assertThat(created.get("token").asText()).isEqualTo(ApiKeys.hash(key));
        assertThat(created.get("key_name").asText()).isEqualTo(ApiKeys.mask(key));
        assertThat(created.get("key_alias").asText()).isEqualTo("team-a");
        assertThat(created.get("budget_duration").asText()).isEqualTo("30d");
        assertThat(created.get("budget_reset_at").isNull()).isFalse();
        assertThat(created.get("expires").isNull()).isFalse();
        JsonNode byKey = tree(proxy.get("/key/info?key=" + key, MASTER_KEY).body());
        JsonNode byHash = tree(proxy.get("/key/info?key=" + ApiKeys.hash(key), MASTER_KEY).body());
        assertThat(byKey).isEqualTo(byHash);
        assertThat(byKey.get("key").asText()).isEqualTo(ApiKeys.hash(key));
        assertThat(byKey.at("/info/models/0").asText()).isEqualTo("gpt-4o");
        assertThat(byKey.at("/info/metadata/owner").asText()).isEqualTo("alice");
        assertThat(byKey.toString()).doesNotContain(key);
    }

    @Test
    void givenKey_whenUpdatedListedAndDeleted_thenChangesShowAndDeletedKeyIsRefused() {
        String key = proxy.newKey("{\"models\":[\"gpt-4o\"]}");

        HttpResponse<String> updated = proxy.post("/key/update", MASTER_KEY,
                "{\"key\":\"" + key + "\",\"models\":[\"gpt-4o\",\"other\"],\"rpm_limit\":5}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(tree(updated.body()).get("models")).hasSize(2);
        assertThat(tree(updated.body()).get("rpm_limit").asInt()).isEqualTo(5);
        assertThat(proxy.post("/v1/chat/completions", key, chatBody("other", false)).statusCode()).isEqualTo(200);

        JsonNode list = tree(proxy.get("/key/list", MASTER_KEY).body());
        assertThat(list.get("keys").findValuesAsText("token")).contains(ApiKeys.hash(key));

        HttpResponse<String> deleted = proxy.post("/key/delete", MASTER_KEY, "{\"keys\":[\"" + key + "\"]}");
        assertThat(tree(deleted.body()).get("deleted_keys").get(0).asText()).isEqualTo(ApiKeys.hash(key));
        assertThat(proxy.post("/v1/chat/completions", key, chatBody("gpt-4o", false)).statusCode()).isEqualTo(401);
        assertThat(proxy.get("/key/info?key=" + key, MASTER_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void givenCalls_whenAskingSpendAndDeployments_thenByKeyByModelAndHealth() {
        String key = proxy.newKey("{\"key_alias\":\"spender\"}");
        proxy.post("/v1/chat/completions", key, chatBody("gpt-4o", false));
        proxy.post("/v1/chat/completions", key, chatBody("other", false));
        proxy.store.spendLog().flush();

        JsonNode byKey = tree(proxy.get("/global/spend/keys", MASTER_KEY).body());
        assertThat(byKey.get(0).get("token").asText()).isEqualTo(ApiKeys.hash(key));
        assertThat(byKey.get(0).get("requests").asInt()).isEqualTo(2);
        assertThat(byKey.get(0).get("spend").decimalValue()).isEqualByComparingTo("2");
        JsonNode byModel = tree(proxy.get("/global/spend/models", MASTER_KEY).body());
        assertThat(byModel.findValuesAsText("model")).contains("gpt-4o", "other");
        JsonNode info = tree(proxy.get("/key/info?key=" + key, MASTER_KEY).body());
        assertThat(info.at("/info/spend").decimalValue()).isEqualByComparingTo("2");

        JsonNode deployments = tree(proxy.get("/admin/deployments", MASTER_KEY).body());
        JsonNode first = deployments.get(0);
        assertThat(first.get("id").asText()).isEqualTo("dep-a");
        assertThat(first.get("model_group").asText()).isEqualTo("gpt-4o");
        assertThat(first.get("route").asText()).isEqualTo("openai/gpt-4o");
        assertThat(first.get("status").asText()).isEqualTo("available");
        assertThat(first.get("spend").decimalValue()).isEqualByComparingTo("1");
    }

    @Test
    void givenBadFields_whenGenerating_then400NamingTheField() {
        HttpResponse<String> r = proxy.post("/key/generate", MASTER_KEY, "{\"budget_duration\":\"soon\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(tree(r.body()).at("/error/param").asText()).isEqualTo("budget_duration");
        assertThat(proxy.post("/key/generate", MASTER_KEY, "{\"max_budget\":-1}").statusCode()).isEqualTo(400);
        assertThat(proxy.post("/key/generate", MASTER_KEY, "{\"colour\":\"red\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void givenDuplicateAlias_whenGenerating_then400() {
        proxy.newKey("{\"key_alias\":\"same\"}");

        assertThat(proxy.post("/key/generate", MASTER_KEY, "{\"key_alias\":\"same\"}").statusCode()).isEqualTo(400);
    }
}
