package io.llmrouter.proxy;

import static io.llmrouter.proxy.ProxyFixture.MASTER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai-java SDK (its OkHttp client, on our OkHttp 5) pointed at the proxy, unchanged:
 * chat, streaming with usage, embeddings, the models list, typed errors and key budgets.
 */
class ProxyOpenAiSdkTest {

    private static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        proxy = new ProxyFixture();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(proxy.url("/v1")).apiKey(key).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hello").build();
    }

    @Test
    void chatCompletion() {
        ChatCompletion answer = client(MASTER_KEY).chat().completions().create(ask("gpt-4o"));

        assertThat(answer.choices().get(0).message().content()).hasValue("Hello from fake");
        assertThat(answer.usage().orElseThrow().promptTokens()).isEqualTo(1_000_000);
        answer.validate();
    }

    @Test
    void streamingWithUsage() {
        ChatCompletionCreateParams params = ask("streamy").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client(MASTER_KEY).chat().completions()
                .createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isEqualTo("Hello world");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
        chunks.forEach(ChatCompletionChunk::validate);
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse r = client(MASTER_KEY).embeddings()
                .create(EmbeddingCreateParams.builder().model("embed").input("a").build());

        assertThat(r.data()).hasSize(1);
        assertThat(r.data().get(0).embedding()).hasSize(4);
        assertThat(r.usage().promptTokens()).isEqualTo(10);
    }

    @Test
    void modelsListOnlyTheKeysModels() {
        String key = proxy.newKey("{\"models\":[\"gpt-4o\",\"embed\"]}");

        List<String> ids = client(key).models().list().data().stream().map(Model::id).toList();

        assertThat(ids).containsExactly("gpt-4o", "embed");
    }

    @Test
    void typedErrorsWithTheRightStatus() {
        String key = proxy.newKey("{\"models\":[\"gpt-4o\"]}");

        assertThatThrownBy(() -> client("sk-wrong-0000000000000000").chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client(key).chat().completions().create(ask("other")))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> client(MASTER_KEY).chat().completions().create(ask("nope")))
                .isInstanceOf(NotFoundException.class)
                .extracting(e -> ((OpenAIServiceException) e).code()).isEqualTo(java.util.Optional.of("model_not_found"));
    }

    @Test
    void keyBudgetRefusesWithRateLimitException() {
        String key = proxy.newKey("{\"max_budget\":1.5,\"budget_duration\":\"1d\"}");
        OpenAIClient client = client(key);
        client.chat().completions().create(ask("gpt-4o")); // $1
        client.chat().completions().create(ask("gpt-4o")); // $1: $2 spent, the estimate still fitted

        assertThatThrownBy(() -> client.chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(RateLimitException.class)
                .extracting(e -> ((OpenAIServiceException) e).type()).isEqualTo(java.util.Optional.of("budget_exceeded"));
    }
}
