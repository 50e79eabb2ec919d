package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jars work as named modules and on the class path: {@link ModulePathExample} routes a call
 * through the OpenAI adapter to a loopback server in a child JVM started with
 * {@code java --module-path ... -m}, and again with {@code java -cp}. The path is the examples'
 * runtime dependencies, which the build writes to {@code target/runtime-classpath.txt}
 * (maven-dependency-plugin), plus this module's classes; no test library is on it.
 */
class ModulePathSmokeTest {

    private static final String MODULE = "io.llmrouter.examples";
    private static String path;

    @BeforeAll
    static void readTheRuntimePath() throws IOException {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertThat(file).as("written by maven-dependency-plugin at generate-test-resources").exists();
        path = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    @Test
    void givenTheModulePath_whenTheExampleRuns_thenTheOpenAiAdapterIsBoundAsAServiceAndAnswers() throws Exception {
        List<String> output = run("--module-path", path, "-m", MODULE + "/" + ModulePathExample.class.getName());

        assertThat(output).contains("answer: " + ModulePathExample.ANSWER, "example module: " + MODULE,
                "router module: io.llmrouter.core", "providers module resolved: true");
        // router-tokenizer, an automatic module that nothing requires, is bound as the TokenCounter service
        assertThat(output).contains("exact token count: true", "tokenizer module resolved: true");
    }

    @Test
    void givenTheClassPath_whenTheExampleRuns_thenItAnswersToo() throws Exception {
        List<String> output = run("-cp", path, ModulePathExample.class.getName());

        assertThat(output).contains("answer: " + ModulePathExample.ANSWER, "example module: unnamed",
                "router module: unnamed", "exact token count: true");
    }

    @Test
    void jdepsFindsThatEveryModuleRequiresExactlyWhatItUses() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        List<String> modules = List.of("io.llmrouter.api", "io.llmrouter.core", "io.llmrouter.providers",
                "io.llmrouter.testing", "io.llmrouter.micrometer", "io.llmrouter.opentelemetry",
                "io.llmrouter.litellm", "io.llmrouter.jsonschema", MODULE);
        for (String module : modules) {
            // One module per run: checked in one run with io.llmrouter.api, JDK 17's jdeps suggests
            // "requires transitive" for every dependence of io.llmrouter.core, although
            // `jdeps -apionly` finds none of them in its exported API; alone, it suggests exactly
            // the declared requires.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            int exit = jdeps.run(print, print, "--multi-release", "17", "--module-path", path + contractSuiteModules(),
                    "--check", module);

            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(report).isZero();
            // --check prints the module's descriptor and the descriptor jdeps computes from its
            // classes: the same requires means none is missing and none is unused.
            assertThat(section(report, module, "[Suggested module descriptor for " + module + "]"))
                    .as("%s%n%s", module, report)
                    .isNotEmpty()
                    .containsExactlyInAnyOrderElementsOf(section(report, module, "[Module descriptor]"));
        }
    }

    /**
     * The jars of the optional ({@code requires static}) modules: router-testing's that only its
     * contract suite uses, router-providers' Google credentials for Vertex AI; taken from this
     * test's class path: the example application's runtime path does not hold them, but jdeps
     * needs every class a module refers to.
     */
    private static String contractSuiteModules() {
        StringBuilder extra = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("assertj-core-") || name.startsWith("junit-jupiter-params-")
                    || name.startsWith("google-auth-library-")) {
                extra.append(File.pathSeparator).append(entry);
            }
        }
        return extra.toString();
    }

    /** The {@code requires} lines (without versions) of one titled section of one module's report. */
    private static Set<String> section(String report, String module, String title) {
        List<String> lines = report.lines().toList();
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith(module + " (")).findFirst().orElseThrow());
        int at = start + 1;
        while (!lines.get(at).strip().equals(title)) {
            at++;
        }
        Set<String> requires = new TreeSet<>();
        for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("    "); i++) {
            // jdeps never suggests "static" (optional at run time, as router-testing's contract
            // suite dependencies are): compare the modules read, not that modifier.
            requires.add(lines.get(i).strip().replaceAll(" \\(@[^)]*\\)", "").replace("static ", ""));
        }
        return requires;
    }

    private static List<String> run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String text = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited; output:%n%s", text).isTrue();
            assertThat(child.exitValue()).as("exit code; output:%n%s", text).isZero();
            return text.lines().toList();
        } finally {
            child.destroyForcibly();
        }
    }
}
