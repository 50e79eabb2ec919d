package io.llmrouter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuiteTest {

    @Test
    void withNoArgumentsRunsOneFullRoundIntoTheModulesTarget() {
        Suite.Args args = Suite.Args.parse();

        assertThat(args).isEqualTo(new Suite.Args(Path.of("router-benchmarks/target"), 1, false, Optional.empty(),
                false));
    }

    @Test
    void readsRoundsQuickIncludePinnedAndTheResultsDirectoryInAnyOrder() {
        Suite.Args args = Suite.Args.parse("--rounds", "3", "out", "--include", "Peer", "--pinned", "--quick");

        assertThat(args).isEqualTo(new Suite.Args(Path.of("out"), 3, true, Optional.of("Peer"), true));
    }

    @Test
    void rejectsAMissingOrNonPositiveRoundCountAndUnknownOptions() {
        assertThatThrownBy(() -> Suite.Args.parse("--rounds")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--rounds needs a number");
        assertThatThrownBy(() -> Suite.Args.parse("--rounds", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Suite.Args.parse("--fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --fast");
    }

    @Test
    void medianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
        assertThat(Suite.median(new double[] {1.0})).isEqualTo(1.0);
        assertThat(Suite.median(new double[] {1.0, 2.0, 10.0})).isEqualTo(2.0);
        assertThat(Suite.median(new double[] {1.0, 2.0, 4.0, 10.0})).isEqualTo(3.0);
    }

    @Test
    void reportWithoutResultsSaysRedisWasNotRunAndClaimsNoTarget() {
        String report = Suite.report(List.of(List.of()), false);

        assertThat(report).startsWith("| bar | measured | target | met |")
                .contains("not run: set LLMROUTER_REDIS_PORT").doesNotContain("| yes |");
    }
}
