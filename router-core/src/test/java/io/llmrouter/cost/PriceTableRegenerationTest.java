package io.llmrouter.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the committed table and notice are exactly what the generator makes from the shared LiteLLM source,
 * when that source is present beside the repository ({@code ../shared/data}); skipped otherwise.
 */
class PriceTableRegenerationTest {

    private static final String SOURCE = "shared/data/model_prices_and_context_window.json";
    private static final String TABLE_RESOURCE = "/io/llmrouter/cost/" + PriceTable.BUNDLED_RESOURCE;
    private static final String NOTICE_RESOURCE = "/META-INF/" + PriceTableGenerator.NOTICE_FILE;

    private static Path source;

    @BeforeAll
    static void findSource() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SOURCE);
            if (Files.isRegularFile(candidate)) {
                source = candidate;
                return;
            }
        }
    }

    @Test
    void givenSharedSource_whenRegenerated_thenByteIdenticalToCommittedTableAndNotice(@TempDir Path dir)
            throws IOException {
        Assumptions.assumeTrue(source != null, () -> SOURCE + " not found above " + System.getProperty("user.dir"));
        // given
        Path out = dir.resolve("io/llmrouter/cost").resolve(PriceTable.BUNDLED_RESOURCE);
        // when
        PriceTableGenerator.main(new String[] {source.toString(), out.toString()});
        // then
        assertSameBytes(TABLE_RESOURCE, Files.readAllBytes(out));
        assertSameBytes(NOTICE_RESOURCE, Files.readAllBytes(PriceTableGenerator.noticePathFor(out)));
    }

    @Test
    void givenSharedSource_thenItsNoticeStatesTheLicenseTextWeShip() throws IOException {
        Path notice = source == null ? null : source.resolveSibling("NOTICE.md");
        Assumptions.assumeTrue(notice != null && Files.isRegularFile(notice), "shared NOTICE.md not found");

        assertThat(Files.readString(notice, StandardCharsets.UTF_8)).contains(PriceTableGenerator.MIT_NOTICE);
    }

    @Test
    void givenSharedSource_thenBundledTableDeclaresItsSha256() throws IOException {
        Assumptions.assumeTrue(source != null, "shared source not found");

        assertThat(PriceTable.bundled().version().sha256())
                .contains(PriceTableGenerator.sha256(Files.readAllBytes(source)));
    }

    /** Byte equality, reporting the first differing line rather than dumping the bytes. */
    private static void assertSameBytes(String resource, byte[] regenerated) throws IOException {
        byte[] committed = resource(resource);
        if (Arrays.equals(committed, regenerated)) {
            return;
        }
        String[] was = new String(committed, StandardCharsets.UTF_8).split("\n", -1);
        String[] now = new String(regenerated, StandardCharsets.UTF_8).split("\n", -1);
        int line = 0;
        while (line < was.length && line < now.length && was[line].equals(now[line])) {
            line++;
        }
        fail("committed " + resource + " differs from what the generator makes from " + source
                + ", first at line " + (line + 1) + ":\n  committed:   " + (line < was.length ? was[line] : "<end>")
                + "\n  regenerated: " + (line < now.length ? now[line] : "<end>")
                + "\nRefresh it from the repository root with:\n  " + PriceTableGenerator.REFRESH_COMMAND);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PriceTableRegenerationTest.class.getResourceAsStream(name)) {
            assertThat(in).as("resource " + name).isNotNull();
            return in.readAllBytes();
        }
    }
}
