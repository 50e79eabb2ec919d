/**
 * Readiness: the router describes its effective configuration, flags risky setups before any call,
 * and rehearses outages ({@link io.llmrouter.readiness.DrillReport}).
 *
 * <pre>{@code
 * System.out.println(router.describe().toMarkdown());
 * router.checks().forEach(System.out::println);
 * DrillReport report = router.readinessDrill().probes(5).run();
 * }</pre>
 */
package io.llmrouter.readiness;
