/**
 * The test kit for code that uses llmrouter: {@link io.llmrouter.testing.FakeProvider},
 * {@link io.llmrouter.testing.FaultServer}, {@link io.llmrouter.testing.LoopbackLlmServer} (a fixed-answer
 * upstream for load tests), {@link io.llmrouter.testing.VirtualTime}, and
 * {@link io.llmrouter.testing.ProviderContractTest}, the JUnit 5 suite every provider adapter
 * proves itself with (on MockWebServer). Add it to tests only.
 *
 * @since 0.1.0
 */
module io.llmrouter.testing {
    requires com.fasterxml.jackson.core;
    requires transitive com.fasterxml.jackson.databind; // ProviderContractTest.JSON is an ObjectMapper
    requires transitive io.llmrouter.api;
    requires jdk.httpserver;
    // Only the contract suite (ProviderContractTest, RecordingSink) uses these, so they are
    // optional at run time: FakeProvider, FaultServer and VirtualTime work without them.
    requires static org.junit.jupiter.api;
    requires static transitive mockwebserver3;
    requires static org.junit.jupiter.params;
    requires static org.assertj.core;
    requires static okhttp3;
    requires static okio;

    exports io.llmrouter.testing;
}
