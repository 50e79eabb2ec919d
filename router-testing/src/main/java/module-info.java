/**
 * The test kit for code that uses llmrouter: {@link io.llmrouter.testing.FakeProvider},
 * {@link io.llmrouter.testing.FaultServer}, {@link io.llmrouter.testing.VirtualTime}. Add it to
 * tests only.
 *
 * @since 0.1.0
 */
module io.llmrouter.testing {
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires transitive io.llmrouter.api;
    requires jdk.httpserver;

    exports io.llmrouter.testing;
}
