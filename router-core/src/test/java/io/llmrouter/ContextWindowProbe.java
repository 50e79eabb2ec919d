package io.llmrouter;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.testing.FakeProvider;

/**
 * Run in a child JVM with a small heap by {@link ContextWindowBoundsTest}: sends one prompt of
 * {@code args[0]} megabytes of the character {@code args[1]} to a deployment with a context window
 * of {@code args[2]} tokens, and prints the outcome's class name (or the reply) on stdout.
 */
public final class ContextWindowProbe {

    private ContextWindowProbe() {
    }

    public static void main(String[] args) {
        String prompt = args[1].repeat(Integer.parseInt(args[0]) * 1024 * 1024);
        try (Router router = Router.builder().deployment(Deployment.builder("g", "custom/model").id("d")
                .contextWindow(Integer.parseInt(args[2])).provider(FakeProvider.replying("served")).build()).build()) {
            System.out.println(router.completion(ChatRequest.ofUser("g", prompt)).text());
        } catch (LlmRouterException e) {
            System.out.println(e.getClass().getSimpleName());
        }
    }
}
