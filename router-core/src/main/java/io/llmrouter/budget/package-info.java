/**
 * Spend limits: {@link io.llmrouter.budget.Budget} per user, tag, model group, deployment,
 * provider or the whole router, over a {@link io.llmrouter.budget.BudgetPeriod}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployments(deployments)
 *     .budget(Budget.forUser("alice").limitUsd("5").period(BudgetPeriod.DAILY).build())
 *     .build();
 * }</pre>
 */
package io.llmrouter.budget;
