package io.llmrouter.cost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the bundled price table {@code model-prices.tsv} and its {@code META-INF/NOTICE-litellm-prices.md}
 * from LiteLLM's {@code model_prices_and_context_window.json}. The JSON itself is never copied into the
 * repository.
 *
 * <p>Usage: {@code PriceTableGenerator <source.json> <out.tsv> [<source-commit>]}. Relative paths resolve
 * against the working directory (the repository root with {@link #REFRESH_COMMAND}). Without a commit
 * argument the commit is read from the {@code NOTICE.md} beside the source, whose stated sha256 must then
 * match the source. The notice is written to {@code META-INF/NOTICE-litellm-prices.md} in the resources root
 * that holds {@code io/llmrouter/cost/}, i.e. three folders above {@code out.tsv}.
 *
 * <p>The output is deterministic: rows sorted by key, prices as exact plain decimals converted from the
 * JSON text (never through {@code double}), {@code \n} line ends, no timestamp. Regenerating from the same
 * source gives byte-identical files ({@code PriceTableRegenerationTest} checks it).
 */
public final class PriceTableGenerator {

    /** The command that refreshes the bundled table, run from the repository root. */
    static final String REFRESH_COMMAND = "mvn -q -pl router-core test-compile exec:java"
            + " -Dexec.classpathScope=test -Dexec.mainClass=io.llmrouter.cost.PriceTableGenerator"
            + " -Dexec.args=\"../shared/data/model_prices_and_context_window.json"
            + " router-core/src/main/resources/io/llmrouter/cost/model-prices.tsv\"";

    static final String SOURCE_REPOSITORY = "BerriAI/litellm";
    static final String SOURCE_PATH = "model_prices_and_context_window.json";
    static final String NOTICE_FILE = "NOTICE-litellm-prices.md";

    /** The MIT notice that comes with the source file, exactly as LiteLLM's {@code LICENSE} states it. */
    static final String MIT_NOTICE = """
            MIT License

            Copyright (c) 2023 Berri AI

            Permission is hereby granted, free of charge, to any person obtaining a copy
            of this software and associated documentation files (the "Software"), to deal
            in the Software without restriction, including without limitation the rights
            to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
            copies of the Software, and to permit persons to whom the Software is
            furnished to do so, subject to the following conditions:

            The above copyright notice and this permission notice shall be included in all
            copies or substantial portions of the Software.

            THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
            IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
            FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
            AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
            LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
            OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
            SOFTWARE.
            """;

    private static final Pattern NOTICE_COMMIT = Pattern.compile("source commit\\s*\\|\\s*`([0-9a-f]{40})`");
    private static final Pattern NOTICE_SHA256 = Pattern.compile("sha256\\s*\\|\\s*`([0-9a-f]{64})`");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private PriceTableGenerator() {
    }

    /**
     * Writes the table and the notice.
     *
     * @param args {@code <source.json> <out.tsv> [<source-commit>]}
     * @throws IOException if reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException(
                    "usage: PriceTableGenerator <source.json> <out.tsv> [<source-commit>]; refresh with: "
                            + REFRESH_COMMAND);
        }
        Path source = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        byte[] json = Files.readAllBytes(source);
        String sha256 = sha256(json);
        String commit = args.length == 3 ? args[2] : commitFromNotice(source.resolveSibling("NOTICE.md"), sha256);
        if (!COMMIT.matcher(commit).matches()) {
            throw new IllegalArgumentException("source commit must be 40 lower-case hex digits, was '" + commit + "'");
        }
        Table table = table(json, commit, sha256);
        Path notice = noticePathFor(out);
        Files.createDirectories(out.getParent());
        Files.createDirectories(notice.getParent());
        Files.write(out, table.tsv().getBytes(StandardCharsets.UTF_8));
        Files.write(notice, notice(commit, sha256).getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + table.rows() + " entries (" + Files.size(out) + " bytes) to " + out
                + " and the notice to " + notice);
    }

    /** Where {@link #main} writes the notice for a table written to {@code tsv}. */
    static Path noticePathFor(Path tsv) {
        Path resourcesRoot = tsv.toAbsolutePath().getParent().getParent().getParent().getParent();
        return resourcesRoot.resolve("META-INF").resolve(NOTICE_FILE);
    }

    /** The generated TSV text and its row count. */
    record Table(String tsv, int rows) {
    }

    /** Builds the TSV from the source JSON bytes. */
    static Table table(byte[] json, String commit, String sha256) throws IOException {
        ObjectMapper mapper = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("source is not a JSON object");
        }
        Map<String, String> rows = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey();
            if (key.equals("sample_spec") || !field.getValue().isObject()) {
                continue;
            }
            String row = row(key, field.getValue());
            if (row != null) {
                rows.put(key, row);
            }
        }
        StringBuilder s = new StringBuilder(rows.size() * 120);
        s.append("# llmrouter bundled model prices: USD per token, context windows and capabilities, by LiteLLM"
                + " model key.\n");
        s.append("# Derived from LiteLLM's model price list (a subset of its fields); format: see"
                + " io.llmrouter.cost.PriceTable.\n");
        s.append("# ").append(PriceTable.SOURCE_REPOSITORY).append(": ").append(SOURCE_REPOSITORY).append('\n');
        s.append("# ").append(PriceTable.SOURCE_PATH).append(": ").append(SOURCE_PATH).append('\n');
        s.append("# ").append(PriceTable.SOURCE_COMMIT).append(": ").append(commit).append('\n');
        s.append("# ").append(PriceTable.SOURCE_SHA256).append(": ").append(sha256).append('\n');
        s.append("# ").append(PriceTable.ENTRIES).append(": ").append(rows.size()).append('\n');
        s.append("# license: MIT, Copyright (c) 2023 Berri AI; full notice in META-INF/").append(NOTICE_FILE)
                .append('\n');
        s.append("# generated, do not edit; refresh with: ").append(REFRESH_COMMAND).append('\n');
        s.append(String.join("\t", PriceTable.COLUMNS)).append('\n');
        for (String row : rows.values()) {
            s.append(row).append('\n');
        }
        return new Table(s.toString(), rows.size());
    }

    /** One TSV row, or null when the entry has no price and no context window. */
    private static String row(String key, JsonNode entry) {
        if (key.isBlank() || !key.strip().equals(key) || key.startsWith("#")) {
            throw new IllegalArgumentException("unusable model key '" + key + "'");
        }
        StringJoiner row = new StringJoiner("\t");
        boolean useful = false;
        for (String column : PriceTable.COLUMNS) {
            String cell;
            switch (column) {
                case PriceTable.KEY -> cell = text(key, key, column);
                case "litellm_provider", "mode" -> cell = string(key, entry, column);
                case "max_input_tokens", "max_output_tokens" -> {
                    cell = integer(key, entry, column);
                    useful |= !cell.isEmpty();
                }
                case PriceTable.CAPABILITIES -> cell = capabilities(entry);
                default -> {
                    cell = price(key, entry, column);
                    useful |= !cell.isEmpty();
                }
            }
            row.add(cell);
        }
        return useful ? row.toString() : null;
    }

    private static String string(String key, JsonNode entry, String field) {
        JsonNode v = entry.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + ": " + field + " is not a string: " + v);
        }
        return text(key, v.asText(), field);
    }

    private static String text(String key, String value, String field) {
        if (value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(key + ": " + field + " holds a tab or line break");
        }
        return value;
    }

    private static String integer(String key, JsonNode entry, String field) {
        BigDecimal v = number(key, entry, field);
        if (v == null) {
            return "";
        }
        try {
            return Integer.toString(v.stripTrailingZeros().intValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(key + ": " + field + " is not an int: " + v.toPlainString(), e);
        }
    }

    private static String price(String key, JsonNode entry, String field) {
        BigDecimal v = number(key, entry, field);
        return v == null ? "" : v.stripTrailingZeros().toPlainString();
    }

    /** The field as an exact decimal from its JSON text (number, or a numeric string as LiteLLM allows). */
    private static BigDecimal number(String key, JsonNode entry, String field) {
        JsonNode v = entry;
        for (String name : field.split("\\.")) { // a dotted column names a field of a nested object
            v = v == null || !v.isObject() ? null : v.get(name);
        }
        if (v == null || v.isNull()) {
            return null;
        }
        BigDecimal d;
        if (v.isNumber()) {
            d = v.decimalValue();
        } else if (v.isTextual()) {
            try {
                d = new BigDecimal(v.asText().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": " + field + " is not a number: " + v, e);
            }
        } else {
            throw new IllegalArgumentException(key + ": " + field + " is not a number: " + v);
        }
        if (d.signum() < 0) {
            throw new IllegalArgumentException(key + ": " + field + " is negative: " + d.toPlainString());
        }
        return d;
    }

    private static String capabilities(JsonNode entry) {
        StringJoiner names = new StringJoiner(",");
        for (ModelCapability c : ModelCapability.values()) {
            JsonNode v = entry.get(c.liteLlmField());
            if (v != null && v.isBoolean() && v.booleanValue()) {
                names.add(c.tableName());
            }
        }
        return names.toString();
    }

    /** The notice shipped in the jar beside the table. */
    static String notice(String commit, String sha256) {
        return "# LiteLLM model price data\n"
                + "\n"
                + "`io/llmrouter/cost/model-prices.tsv` in this jar is generated from LiteLLM's model price list"
                + " (a subset of its fields, reformatted as TSV):\n"
                + "\n"
                + "| item | value |\n"
                + "|---|---|\n"
                + "| source repository | " + SOURCE_REPOSITORY + " (https://github.com/" + SOURCE_REPOSITORY + ") |\n"
                + "| path in that repository | `" + SOURCE_PATH + "` |\n"
                + "| source commit | `" + commit + "` |\n"
                + "| sha256 of the source file | `" + sha256 + "` |\n"
                + "\n"
                + "That file is licensed under the MIT License:\n"
                + "\n"
                + "```\n"
                + MIT_NOTICE
                + "```\n";
    }

    /** Reads the source commit from the NOTICE.md beside the source, checking its sha256 against the source. */
    private static String commitFromNotice(Path notice, String sha256) throws IOException {
        if (!Files.isRegularFile(notice)) {
            throw new IllegalArgumentException("no source commit given and no " + notice
                    + "; pass the commit as the third argument");
        }
        String text = Files.readString(notice, StandardCharsets.UTF_8);
        Matcher commit = NOTICE_COMMIT.matcher(text);
        if (!commit.find()) {
            throw new IllegalArgumentException(notice + " states no source commit; pass it as the third argument");
        }
        Matcher stated = NOTICE_SHA256.matcher(text);
        if (stated.find() && !stated.group(1).equals(sha256)) {
            throw new IllegalArgumentException(notice + " describes a source with sha256 " + stated.group(1)
                    + " but the source has " + sha256 + "; pass the right commit as the third argument");
        }
        return commit.group(1);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
