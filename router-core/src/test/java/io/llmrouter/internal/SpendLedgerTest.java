package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Router;
import io.llmrouter.api.chat.Cost;
import io.llmrouter.budget.SpendReport;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendLedgerTest {

    private static final int USERS = 200_000;

    private static Cost usd(String amount) {
        return Cost.builder().inputUsd(new BigDecimal(amount)).build();
    }

    private static BigDecimal sum(Map<String, BigDecimal> byKey) {
        return byKey.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void givenTwoHundredThousandUsersAndTags_whenRecorded_thenListsAtMostTheBoundAndTotalsStayExact() {
        // given
        SpendLedger ledger = new SpendLedger(Router.DEFAULT_MAX_SPEND_KEYS);
        BigDecimal expected = BigDecimal.ZERO;
        // when: every user and every tag once, with amounts that do not all look alike
        for (int i = 0; i < USERS; i++) {
            Cost cost = usd("0.000" + (100 + i % 900));
            ledger.record("d", "openai", "g", Optional.of("user-" + i), List.of("tag-" + i), cost);
            expected = expected.add(cost.totalUsd().orElseThrow());
        }
        ledger.cleanUp();
        SpendReport report = ledger.report();
        // then: bounded detail; per-key spend plus the evicted spend is the exact total
        assertThat(ledger.listedUsers()).isEqualTo(Router.DEFAULT_MAX_SPEND_KEYS);
        assertThat(ledger.listedTags()).isEqualTo(Router.DEFAULT_MAX_SPEND_KEYS);
        assertThat(report.byUser()).hasSize(Router.DEFAULT_MAX_SPEND_KEYS);
        assertThat(report.total()).isEqualByComparingTo(expected);
        assertThat(report.byDeployment().get("d")).isEqualByComparingTo(expected);
        assertThat(report.otherUsers()).isPositive();
        assertThat(sum(report.byUser()).add(report.otherUsers())).isEqualByComparingTo(expected);
        assertThat(sum(report.byTag()).add(report.otherTags())).isEqualByComparingTo(expected);
    }

    @Test
    void givenManyOneTimeUsers_whenAnActiveUserKeepsSpending_thenTheActiveUserStaysListedWithItsExactSpend() {
        SpendLedger ledger = new SpendLedger(100);
        for (int i = 0; i < 20_000; i++) {
            ledger.record("d", "openai", "g", Optional.of("one-time-" + i), List.of(), usd("0.01"));
            if (i % 20 == 0) {
                ledger.record("d", "openai", "g", Optional.of("alice"), List.of(), usd("0.02"));
            }
        }
        ledger.cleanUp();
        SpendReport report = ledger.report();
        assertThat(ledger.listedUsers()).isEqualTo(100);
        assertThat(report.byUser().get("alice")).isEqualByComparingTo("20.00");
        assertThat(sum(report.byUser()).add(report.otherUsers())).isEqualByComparingTo(report.total());
    }

    @Test
    void givenNoKeysKept_whenRecorded_thenEverythingIsOther() {
        SpendLedger ledger = new SpendLedger(0);
        ledger.record("d", "openai", "g", Optional.of("bob"), List.of("a", "b"), usd("1.5"));
        ledger.cleanUp();
        SpendReport report = ledger.report();
        assertThat(report.byUser()).isEmpty();
        assertThat(report.otherUsers()).isEqualByComparingTo("1.5");
        assertThat(report.otherTags()).isEqualByComparingTo("3.0");
        assertThat(report.total()).isEqualByComparingTo("1.5");
    }

    @Test
    void unpricedAnswersAreCountedNotSpent() {
        SpendLedger ledger = new SpendLedger(10);
        ledger.record("d", "openai", "g", Optional.of("bob"), List.of(), Cost.unpriced("no price"));
        SpendReport report = ledger.report();
        assertThat(report.unpricedResponses()).containsEntry("d", 1L);
        assertThat(report.byUser()).isEmpty();
        assertThat(report.total()).isZero();
    }

    @Test
    void givenSixteenThreadsRecordingAtOnce_whenTheReportIsRead_thenEveryTotalIsExact() throws Exception {
        SpendLedger ledger = new SpendLedger(100);
        int threads = 16;
        int each = 5_000;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String deployment = "d" + (t % 2);
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    ledger.record(deployment, "openai", "g", Optional.empty(), List.of(), usd("0.0000125"));
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(60_000);
        }

        SpendReport report = ledger.report();
        BigDecimal half = new BigDecimal("0.0000125").multiply(BigDecimal.valueOf((long) threads / 2 * each));
        assertThat(report.total()).isEqualTo(half.add(half));
        assertThat(report.byDeployment()).containsOnlyKeys("d0", "d1");
        assertThat(report.byDeployment().get("d0")).isEqualTo(half);
        assertThat(report.byDeployment().get("d1")).isEqualTo(half);
        assertThat(report.byProvider().get("openai")).isEqualTo(half.add(half));
        assertThat(report.byModelGroup().get("g")).isEqualTo(half.add(half));
    }
}
