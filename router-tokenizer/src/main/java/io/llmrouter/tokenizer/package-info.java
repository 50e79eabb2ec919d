/**
 * Exact token counting for the router: {@link io.llmrouter.tokenizer.O200kTokenCounter}, an
 * {@link io.llmrouter.spi.TokenCounter} on JTokkit's {@code o200k_base} encoding, found by
 * {@code router-core} through {@link java.util.ServiceLoader}. Applications need not refer to it:
 * having the jar on the class path or module path (as a runtime dependency of {@code router-core},
 * it is there by default) is enough.
 *
 * <p>The jar has no {@code module-info}, because JTokkit names no module; on the module path it is
 * the automatic module {@code io.llmrouter.tokenizer}.
 */
package io.llmrouter.tokenizer;
