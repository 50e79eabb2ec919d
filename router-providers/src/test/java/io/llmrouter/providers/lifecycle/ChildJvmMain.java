package io.llmrouter.providers.lifecycle;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link ThreadLifecycleTest} runs in a child JVM: builds a router with an HTTP
 * deployment against a loopback server, makes a blocking and an asynchronous call (the latter on
 * OkHttp's dispatcher threads), closes everything and prints {@link #LAST_LINE} as its last act.
 * The JVM must then exit on its own: no library thread may keep it alive.
 */
public final class ChildJvmMain {

    /** The last line the program prints. */
    public static final String LAST_LINE = "child: done";

    private ChildJvmMain() {
    }

    /**
     * Runs the program.
     *
     * @param args ignored
     * @throws Exception on any failure (the parent sees a non-zero exit)
     */
    public static void main(String[] args) throws Exception {
        try (FaultServer server = FaultServer.openAi().then(Fault.ok("hi")).start()) {
            Router router = Router.builder()
                    .deployment(Deployment.builder("g", "openai/gpt-4o-mini").apiBase(server.url())
                            .apiKey(Secret.of("sk-child-jvm-0123456789")).build())
                    .build();
            try (router) {
                System.out.println("child: sync " + router.completion(ChatRequest.ofUser("g", "hello")).text());
                System.out.println("child: async " + router.completionAsync(ChatRequest.ofUser("g", "hello"))
                        .get(10, TimeUnit.SECONDS).text());
            }
        }
        System.out.println(LAST_LINE);
    }
}
