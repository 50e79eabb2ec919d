/**
 * Request control: {@link io.llmrouter.control.RequestInterceptor}s that may change, refuse or
 * answer a request before each attempt's provider call, and {@link io.llmrouter.control.ResponseRule}s
 * that accept or reject each answer (a rejection is retried and falls back), plus ready-made ones:
 * {@link io.llmrouter.control.PromptRedaction} and {@link io.llmrouter.control.MaxCostGuard}. See
 * {@code src-docs/request-control.md}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .deployment(gpt4o)
 *         .interceptor(PromptRedaction.emailsAndCards())
 *         .interceptor(MaxCostGuard.of(new BigDecimal("0.50")))
 *         .build();
 * }</pre>
 *
 * @since 0.1.0
 */
package io.llmrouter.control;
