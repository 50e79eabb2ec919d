package io.llmrouter.examples;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ContextWindowExceededException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * The smallest routed call, runnable on the module path as well as on the class path: one OpenAI
 * deployment against a loopback MockWebServer. It prints the answer and which modules did the work,
 * so a test can tell that the OpenAI adapter was found as a service of the named module
 * {@code io.llmrouter.providers} without this module requiring it, and that the router counts
 * tokens exactly with the {@code io.llmrouter.spi.TokenCounter} service of the automatic module
 * {@code io.llmrouter.tokenizer} (router-core's runtime dependency), which nothing requires either.
 *
 * <pre>
 * java --module-path &lt;jars&gt; -m io.llmrouter.examples/io.llmrouter.examples.ModulePathExample
 * </pre>
 */
public final class ModulePathExample {

    /** The answer the loopback server gives. */
    public static final String ANSWER = "Hello from a named module.";

    /** The deployment's context window: {@link #SPACES} fit it only when counted exactly. */
    static final int CONTEXT_WINDOW = 100;

    /** 1,280 spaces: 10 {@code o200k_base} tokens, but 320 by the characters / 4 fallback. */
    static final String SPACES = " ".repeat(1280);

    private ModulePathExample() {
    }

    /**
     * Starts the server, routes one request and prints what answered.
     *
     * @param args ignored
     * @throws Exception if the loopback server cannot start
     */
    public static void main(String[] args) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            for (int i = 0; i < 2; i++) {
                server.enqueue(new MockResponse.Builder()
                        .addHeader("Content-Type", "application/json")
                        .body("""
                                {"id": "chatcmpl-module", "object": "chat.completion", "created": 1733000000,
                                 "model": "gpt-4o-mini-2024-07-18",
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                   "message": {"role": "assistant", "content": "%s"}}],
                                 "usage": {"prompt_tokens": 9, "completion_tokens": 6, "total_tokens": 15}}"""
                                .formatted(ANSWER))
                        .build());
            }
            server.start();
            try (Router router = Router.builder()
                    .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini")
                            .apiBase(server.url("/v1").toString())
                            .apiKey(Secret.of("sk-module-path-demo"))
                            .contextWindow(CONTEXT_WINDOW)
                            .build())
                    .build()) {
                ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o-mini", "hello"));
                System.out.println("answer: " + response.text());
                System.out.println("exact token count: " + fitsTheWindow(router));
            }
        }
        System.out.println("example module: " + moduleName(ModulePathExample.class.getModule()));
        System.out.println("router module: " + moduleName(Router.class.getModule()));
        System.out.println("providers module resolved: "
                + ModuleLayer.boot().findModule("io.llmrouter.providers").isPresent());
        System.out.println("tokenizer module resolved: "
                + ModuleLayer.boot().findModule("io.llmrouter.tokenizer").isPresent());
    }

    /** Whether {@link #SPACES} pass the context-window filter, which only an exact count lets them. */
    private static boolean fitsTheWindow(Router router) {
        try {
            router.completion(ChatRequest.ofUser("gpt-4o-mini", SPACES));
            return true;
        } catch (ContextWindowExceededException e) {
            return false;
        }
    }

    private static String moduleName(Module module) {
        return module.isNamed() ? module.getName() : "unnamed";
    }
}
