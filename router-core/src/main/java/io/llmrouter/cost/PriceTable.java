package io.llmrouter.cost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Model prices by model key, looked up by provider route: the bundled LiteLLM-derived table, or a user's own.
 *
 * <h2>Format</h2>
 * A UTF-8, tab-separated text file. Blank lines are ignored; lines starting with {@code #} are comments,
 * and comments of the form {@code # source_repository: ...}, {@code # source_path: ...},
 * {@code # source_commit: ...}, {@code # source_sha256: ...} and {@code # entries: N} fill the
 * {@link #version()} ({@code entries}, when given, must equal the number of rows). The first other line is
 * the header row naming the columns, in any order; {@code key} is required and every other column is
 * optional: {@code litellm_provider}, {@code mode}, {@code max_input_tokens}, {@code max_output_tokens},
 * {@code input_cost_per_token}, {@code output_cost_per_token}, {@code cache_read_input_token_cost},
 * {@code cache_creation_input_token_cost}, {@code output_cost_per_reasoning_token},
 * {@code input_cost_per_token_above_200k_tokens}, {@code output_cost_per_token_above_200k_tokens},
 * {@code cache_read_input_token_cost_above_200k_tokens},
 * {@code cache_creation_input_token_cost_above_200k_tokens}, {@code input_cost_per_request},
 * {@code input_cost_per_token_above_128k_tokens}, {@code output_cost_per_token_above_128k_tokens},
 * {@code input_cost_per_token_flex}, {@code output_cost_per_token_flex}, {@code cache_read_input_token_cost_flex},
 * {@code input_cost_per_token_priority}, {@code output_cost_per_token_priority},
 * {@code cache_read_input_token_cost_priority}, {@code input_cost_per_audio_token},
 * {@code output_cost_per_audio_token}, {@code citation_cost_per_token} and
 * {@code search_context_cost_per_query.search_context_size_low} ({@code _medium}, {@code _high}; LiteLLM's
 * nested object, one column per size), {@code input_cost_per_token_cache_hit} (DeepSeek's name for the cache-read
 * price, read as {@code cache_read_input_token_cost} when that cell is empty), {@code input_cost_per_query} (rerank,
 * per search unit), {@code input_cost_per_pixel} and {@code output_cost_per_image} (image generation),
 * {@code input_cost_per_character} (speech),
 * {@code input_cost_per_second} (transcription) (all prices in USD per token, per request or per search, as plain
 * decimals) and {@code capabilities} (comma-separated
 * {@linkplain ModelCapability#tableName() capability names}). Every following line is one model; an empty
 * cell means "not stated". The bundled table is generated from LiteLLM's
 * {@code model_prices_and_context_window.json} (MIT, Copyright (c) 2023 Berri AI; see
 * {@code META-INF/NOTICE-litellm-prices.md}).
 *
 * <h2>Lookup</h2>
 * {@link #lookup(String)} takes a provider route {@code provider/model} (split at the first {@code /}) or a
 * bare model name, and tries, stopping at the first hit:
 * <ol>
 * <li>the route itself as a key ({@code groq/llama-3.3-70b-versatile}, {@code azure/gpt-4o});</li>
 * <li>for each model variant, in order: the model as given, without a trailing date suffix
 *     ({@code -2024-08-06} or {@code -20241022}), and, for {@code bedrock} and {@code bedrock_converse}
 *     routes, without a cross-region prefix ({@code us.}, {@code eu.}, {@code apac.}, {@code global.}) and
 *     without both: the key {@code provider/variant}, then the key {@code variant} if its
 *     {@code litellm_provider} belongs to the route's provider (equal, or the provider followed by
 *     {@code _} or {@code -}, so {@code bedrock} covers {@code bedrock_converse} and {@code vertex_ai} covers
 *     {@code vertex_ai-language-models});</li>
 * <li>the same variants as bare keys whatever their provider;</li>
 * <li>for {@code bedrock} and {@code bedrock_converse} routes whose model ends in a version
 *     {@code :<digits>}: these steps for the model without it ({@code amazon.titan-image-generator-v2:0}
 *     finds {@code amazon.titan-image-generator-v2});</li>
 * <li>for a fine-tuned OpenAI name {@code ft:<base>:<org>:<suffix>:<id>} that no key names: the table's
 *     fine-tune entry {@code ft:<base>} (e.g. {@code ft:gpt-4o-2024-08-06}) through the same steps, else the
 *     base model {@code <base>} itself, so a fine-tuned model is never unpriced while its base has a price
 *     (LiteLLM's {@code cost_calculator} does the same: OpenAI, https://platform.openai.com/docs/pricing, bills
 *     fine-tuned inference at the fine-tune price list, which the table states for older bases only).</li>
 * </ol>
 * So an entry of the route's own provider always wins over another provider's, even a less specific one:
 * {@code azure/gpt-4o-2024-11-20} uses {@code azure/gpt-4o-2024-11-20}, else {@code azure/gpt-4o}, and only
 * when Azure has no entry for either the OpenAI entry {@code gpt-4o-2024-11-20} (Azure's list prices track
 * OpenAI's). Keys are case-sensitive. Lookups probe one hash map built at load time, never scan the table;
 * an exact hit allocates only the returned {@code Optional}, the fallbacks a few short strings.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class PriceTable {

    /** Name of the bundled table resource, next to this class: {@value}. */
    public static final String BUNDLED_RESOURCE = "model-prices.tsv";

    /** The key column, the only required one. */
    static final String KEY = "key";
    /** The capability column. */
    static final String CAPABILITIES = "capabilities";
    /** All columns, in the order the generator writes them. */
    static final List<String> COLUMNS = List.of(KEY, "litellm_provider", "mode", "max_input_tokens",
            "max_output_tokens", "input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
            "cache_creation_input_token_cost", "output_cost_per_reasoning_token",
            "input_cost_per_token_above_200k_tokens", "output_cost_per_token_above_200k_tokens",
            "cache_read_input_token_cost_above_200k_tokens", "cache_creation_input_token_cost_above_200k_tokens",
            "input_cost_per_request", "input_cost_per_token_above_128k_tokens",
            "output_cost_per_token_above_128k_tokens", "input_cost_per_token_flex", "output_cost_per_token_flex",
            "cache_read_input_token_cost_flex", "input_cost_per_token_priority", "output_cost_per_token_priority",
            "cache_read_input_token_cost_priority", "input_cost_per_audio_token", "output_cost_per_audio_token",
            "citation_cost_per_token", "search_context_cost_per_query.search_context_size_low",
            "search_context_cost_per_query.search_context_size_medium",
            "search_context_cost_per_query.search_context_size_high", "input_cost_per_token_cache_hit",
            "input_cost_per_query", "input_cost_per_pixel", "output_cost_per_image",
            "input_cost_per_character", "input_cost_per_second", CAPABILITIES);

    /** Header comment names read into the {@link PriceTableVersion}. */
    static final String SOURCE_REPOSITORY = "source_repository";
    static final String SOURCE_PATH = "source_path";
    static final String SOURCE_COMMIT = "source_commit";
    static final String SOURCE_SHA256 = "source_sha256";
    static final String ENTRIES = "entries";

    /** The prefix of OpenAI's fine-tuned model names, {@code ft:<base>:<org>:<suffix>:<id>}: {@value}. */
    static final String FINE_TUNED_PREFIX = "ft:";

    private static final String[] REGION_PREFIXES = {"us.", "eu.", "apac.", "global.", "jp.", "au.", "us-gov."};

    private final Map<String, PriceMatch> byKey;
    private final PriceTableVersion version;

    private PriceTable(Map<String, PriceMatch> byKey, PriceTableVersion version) {
        this.byKey = byKey;
        this.version = version;
    }

    /** Loaded on first use of {@link #bundled()}; the JVM's class initialisation makes this thread-safe. */
    private static final class Bundled {
        static final PriceTable TABLE = loadBundled();

        private static PriceTable loadBundled() {
            try (InputStream in = PriceTable.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("bundled price table resource missing: " + BUNDLED_RESOURCE);
                }
                return load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled price table " + BUNDLED_RESOURCE, e);
            }
        }
    }

    /**
     * The price table shipped in this jar, generated from LiteLLM's price list (see {@link #version()}).
     * Loaded once, on first call; later calls return the same instance.
     *
     * @return the bundled table
     * @throws IllegalStateException if the resource is missing from the classpath
     */
    public static PriceTable bundled() {
        return Bundled.TABLE;
    }

    /**
     * Loads a table in the format described above. Reads the stream to its end and does not close it.
     *
     * @param in UTF-8 TSV text
     * @return the table
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if a line is malformed; the message names the line number and column
     * @throws NullPointerException if {@code in} is null
     */
    public static PriceTable load(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return new Parser().parse(reader);
    }

    /**
     * Loads a table file in the format described above.
     *
     * @param file a UTF-8 TSV file
     * @return the table
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if a line is malformed; the message names the line number and column
     * @throws NullPointerException if {@code file} is null
     */
    public static PriceTable load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Parser().parse(reader);
        }
    }

    /**
     * Finds the price entry for a provider route or bare model name, following the lookup order described
     * in the class documentation.
     *
     * @param providerRoute e.g. {@code openai/gpt-4o}, {@code bedrock/us.anthropic.claude-3-sonnet-20240229-v1:0}
     *                      or {@code gpt-4o}
     * @return the matched key and price, or empty when no entry fits
     * @throws NullPointerException if {@code providerRoute} is null
     */
    public Optional<PriceMatch> lookup(String providerRoute) {
        Objects.requireNonNull(providerRoute, "providerRoute");
        Optional<PriceMatch> found = lookupPlain(providerRoute);
        if (found.isPresent()) {
            return found;
        }
        int slash = providerRoute.indexOf('/');
        String prefix = slash > 0 ? providerRoute.substring(0, slash + 1) : "";
        String model = providerRoute.substring(prefix.length());
        if (!model.startsWith(FINE_TUNED_PREFIX)) {
            return found;
        }
        // OpenAI's fine-tuned names ft:<base>:<org>:<suffix>:<id>: the table's fine-tune price, else the base's
        int end = model.indexOf(':', FINE_TUNED_PREFIX.length());
        String base = end < 0 ? model.substring(FINE_TUNED_PREFIX.length())
                : model.substring(FINE_TUNED_PREFIX.length(), end);
        if (base.isEmpty()) {
            return found;
        }
        if (end >= 0) {
            found = lookup(prefix + FINE_TUNED_PREFIX + base);
        }
        return found.isPresent() ? found : lookup(prefix + base);
    }

    private Optional<PriceMatch> lookupPlain(String providerRoute) {
        PriceMatch match = byKey.get(providerRoute);
        if (match != null) {
            return Optional.of(match);
        }
        int slash = providerRoute.indexOf('/');
        String provider = slash > 0 ? providerRoute.substring(0, slash) : null;
        String model = slash > 0 ? providerRoute.substring(slash + 1) : providerRoute;
        if (model.isEmpty()) {
            return Optional.empty();
        }
        String undated = stripDateSuffix(model);
        String regionless = null;
        String regionlessUndated = null;
        if ("bedrock".equals(provider) || "bedrock_converse".equals(provider)) {
            regionless = stripRegionPrefix(model);
            regionlessUndated = regionless == null ? null : stripDateSuffix(regionless);
        }
        String[] variants = {model, undated, regionless, regionlessUndated}; // [0] is the model as given
        if (provider != null) {
            for (int i = 0; i < variants.length; i++) {
                String variant = variants[i];
                if (variant == null) {
                    continue;
                }
                if (i > 0) { // provider + '/' + model is the route, tried first
                    match = byKey.get(provider + '/' + variant);
                    if (match != null) {
                        return Optional.of(match);
                    }
                }
                match = byKey.get(variant);
                if (match != null && belongsTo(match.price(), provider)) {
                    return Optional.of(match);
                }
            }
        }
        for (int i = provider == null ? 1 : 0; i < variants.length; i++) { // a bare model was tried first
            if (variants[i] != null) {
                match = byKey.get(variants[i]);
                if (match != null) {
                    return Optional.of(match);
                }
            }
        }
        if ("bedrock".equals(provider) || "bedrock_converse".equals(provider)) {
            // Bedrock model ids end in a version (amazon.titan-image-generator-v2:0) some entries omit
            String unversioned = stripVersionSuffix(model);
            if (unversioned != null) {
                return lookupPlain(provider + '/' + unversioned);
            }
        }
        return Optional.empty();
    }

    /** {@code model} without a trailing {@code :<digits>} Bedrock version; null when it has none. */
    private static String stripVersionSuffix(String model) {
        int colon = model.lastIndexOf(':');
        if (colon <= 0 || colon == model.length() - 1) {
            return null;
        }
        for (int i = colon + 1; i < model.length(); i++) {
            if (!Character.isDigit(model.charAt(i))) {
                return null;
            }
        }
        return model.substring(0, colon);
    }

    /**
     * The entry stored under exactly this key, without any fallback.
     *
     * @param key a table key, e.g. {@code gpt-4o}
     * @return the price, or empty
     * @throws NullPointerException if {@code key} is null
     */
    public Optional<ModelPrice> get(String key) {
        PriceMatch match = byKey.get(Objects.requireNonNull(key, "key"));
        return match == null ? Optional.empty() : Optional.of(match.price());
    }

    /**
     * Where the table's data came from, as declared in its header comments, and its entry count.
     *
     * @return the version, never null
     */
    public PriceTableVersion version() {
        return version;
    }

    /**
     * The number of entries.
     *
     * @return the entry count
     */
    public int size() {
        return byKey.size();
    }

    @Override
    public String toString() {
        return "PriceTable[" + version + "]";
    }

    private static boolean belongsTo(ModelPrice price, String routeProvider) {
        Optional<String> entryProvider = price.provider();
        if (entryProvider.isEmpty()) {
            return false;
        }
        String p = entryProvider.get();
        if (!p.startsWith(routeProvider)) {
            return false;
        }
        if (p.length() == routeProvider.length()) {
            return true;
        }
        char next = p.charAt(routeProvider.length());
        return next == '_' || next == '-';
    }

    /** {@code gpt-4o-2024-08-06} and {@code claude-3-5-sonnet-20241022} lose the date; null when none. */
    static String stripDateSuffix(String model) {
        int n = model.length();
        if (n > 11 && model.charAt(n - 11) == '-' && model.charAt(n - 6) == '-' && model.charAt(n - 3) == '-'
                && digits(model, n - 10, n - 6) && digits(model, n - 5, n - 3) && digits(model, n - 2, n)) {
            return model.substring(0, n - 11);
        }
        if (n > 9 && model.charAt(n - 9) == '-' && digits(model, n - 8, n)) {
            return model.substring(0, n - 9);
        }
        return null;
    }

    /** Checks the positions [from, to) hold ASCII digits; for {@code -YYYY-MM-DD} the ranges skip the dashes. */
    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripRegionPrefix(String model) {
        for (String prefix : REGION_PREFIXES) {
            if (model.startsWith(prefix) && model.length() > prefix.length()) {
                return model.substring(prefix.length());
            }
        }
        return null;
    }

    /** Parses the TSV format; one instance per load. */
    private static final class Parser {
        private final Map<String, PriceMatch> byKey = new HashMap<>();
        private final Map<String, String> declared = new HashMap<>();
        private String[] header;
        private int lineNumber;
        private int declaredEntriesLine;

        PriceTable parse(BufferedReader reader) throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    comment(line);
                } else if (header == null) {
                    header(line);
                } else {
                    row(line);
                }
            }
            if (header == null) {
                throw new IllegalArgumentException("line " + lineNumber + ": price table has no header row");
            }
            String entries = declared.get(ENTRIES);
            if (entries != null) {
                int count;
                try {
                    count = Integer.parseInt(entries);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + declaredEntriesLine + ": '# " + ENTRIES
                            + ":' is not a number: '" + entries + "'", e);
                }
                if (count != byKey.size()) {
                    throw new IllegalArgumentException("line " + declaredEntriesLine + ": '# " + ENTRIES + ": "
                            + count + "' but the table has " + byKey.size() + " rows");
                }
            }
            PriceTableVersion version = new PriceTableVersion(declared.get(SOURCE_REPOSITORY),
                    declared.get(SOURCE_PATH), declared.get(SOURCE_COMMIT), declared.get(SOURCE_SHA256),
                    byKey.size());
            return new PriceTable(Map.copyOf(byKey), version);
        }

        private void comment(String line) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                return;
            }
            String name = line.substring(1, colon).strip();
            switch (name) {
                case SOURCE_REPOSITORY, SOURCE_PATH, SOURCE_COMMIT, SOURCE_SHA256, ENTRIES -> {
                    declared.put(name, line.substring(colon + 1).strip());
                    if (name.equals(ENTRIES)) {
                        declaredEntriesLine = lineNumber;
                    }
                }
                default -> {
                    // an ordinary comment
                }
            }
        }

        private void header(String line) {
            String[] names = line.split("\t", -1);
            boolean hasKey = false;
            for (int i = 0; i < names.length; i++) {
                String name = names[i];
                if (!COLUMNS.contains(name)) {
                    throw new IllegalArgumentException(at(i, name) + ": unknown column; known columns: " + COLUMNS);
                }
                for (int j = 0; j < i; j++) {
                    if (names[j].equals(name)) {
                        throw new IllegalArgumentException(at(i, name) + ": duplicate column");
                    }
                }
                hasKey |= name.equals(KEY);
            }
            if (!hasKey) {
                throw new IllegalArgumentException("line " + lineNumber + ": header row has no '" + KEY + "' column");
            }
            header = names;
        }

        private void row(String line) {
            String[] cells = line.split("\t", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException("line " + lineNumber + ": expected " + header.length
                        + " tab-separated columns, found " + cells.length);
            }
            String key = null;
            ModelPrice.Builder b = ModelPrice.builder();
            for (int i = 0; i < cells.length; i++) {
                String cell = cells[i];
                String column = header[i];
                if (column.equals(KEY)) {
                    if (cell.isBlank() || !cell.strip().equals(cell)) {
                        throw new IllegalArgumentException(at(i, column)
                                + ": key must be non-empty without surrounding spaces, was '" + cell + "'");
                    }
                    key = cell;
                } else if (!cell.isEmpty()) {
                    try {
                        set(b, column, cell);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(at(i, column) + ": " + e.getMessage(), e);
                    }
                }
            }
            int cacheHit = indexOf("input_cost_per_token_cache_hit");
            int cacheRead = indexOf("cache_read_input_token_cost");
            if (cacheHit >= 0 && !cells[cacheHit].isEmpty() && (cacheRead < 0 || cells[cacheRead].isEmpty())) {
                try {
                    b.cachedInputPerToken(decimal(cells[cacheHit]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at(cacheHit, header[cacheHit]) + ": " + e.getMessage(), e);
                }
            }
            PriceMatch previous = byKey.putIfAbsent(key, new PriceMatch(key, b.build()));
            if (previous != null) {
                throw new IllegalArgumentException(at(indexOf(KEY), KEY) + ": duplicate key '" + key + "'");
            }
        }

        private int indexOf(String column) {
            for (int i = 0; i < header.length; i++) {
                if (header[i].equals(column)) {
                    return i;
                }
            }
            return -1;
        }

        private String at(int index, String column) {
            return "line " + lineNumber + ", column " + (index + 1) + " (" + column + ")";
        }

        private static void set(ModelPrice.Builder b, String column, String cell) {
            switch (column) {
                case "litellm_provider" -> b.provider(cell);
                case "mode" -> b.mode(cell);
                case "max_input_tokens" -> b.maxInputTokens(integer(cell));
                case "max_output_tokens" -> b.maxOutputTokens(integer(cell));
                case "input_cost_per_token" -> b.inputPerToken(decimal(cell));
                case "output_cost_per_token" -> b.outputPerToken(decimal(cell));
                case "cache_read_input_token_cost" -> b.cachedInputPerToken(decimal(cell));
                case "cache_creation_input_token_cost" -> b.cacheCreationPerToken(decimal(cell));
                case "output_cost_per_reasoning_token" -> b.reasoningPerToken(decimal(cell));
                case "input_cost_per_token_above_200k_tokens" -> b.inputPerTokenAbove200k(decimal(cell));
                case "output_cost_per_token_above_200k_tokens" -> b.outputPerTokenAbove200k(decimal(cell));
                case "cache_read_input_token_cost_above_200k_tokens" -> b.cachedInputPerTokenAbove200k(decimal(cell));
                case "cache_creation_input_token_cost_above_200k_tokens" ->
                        b.cacheCreationPerTokenAbove200k(decimal(cell));
                case "input_cost_per_request" -> b.perRequest(decimal(cell));
                case "input_cost_per_query" -> b.perQuery(decimal(cell));
                case "input_cost_per_pixel" -> b.perPixel(decimal(cell));
                case "output_cost_per_image" -> b.perImage(decimal(cell));
                case "input_cost_per_character" -> b.perCharacter(decimal(cell));
                case "input_cost_per_second" -> b.perSecond(decimal(cell));
                case "input_cost_per_token_cache_hit" -> {
                    // the cache-read price when the row states no other; applied once the row is read
                }
                case "input_cost_per_token_above_128k_tokens" -> b.inputPerTokenAbove128k(decimal(cell));
                case "output_cost_per_token_above_128k_tokens" -> b.outputPerTokenAbove128k(decimal(cell));
                case "input_cost_per_token_flex" -> b.inputPerTokenFlex(decimal(cell));
                case "output_cost_per_token_flex" -> b.outputPerTokenFlex(decimal(cell));
                case "cache_read_input_token_cost_flex" -> b.cachedInputPerTokenFlex(decimal(cell));
                case "input_cost_per_token_priority" -> b.inputPerTokenPriority(decimal(cell));
                case "output_cost_per_token_priority" -> b.outputPerTokenPriority(decimal(cell));
                case "cache_read_input_token_cost_priority" -> b.cachedInputPerTokenPriority(decimal(cell));
                case "input_cost_per_audio_token" -> b.audioInputPerToken(decimal(cell));
                case "output_cost_per_audio_token" -> b.audioOutputPerToken(decimal(cell));
                case "citation_cost_per_token" -> b.citationPerToken(decimal(cell));
                case "search_context_cost_per_query.search_context_size_low" -> b.searchPerQueryLow(decimal(cell));
                case "search_context_cost_per_query.search_context_size_medium" ->
                        b.searchPerQueryMedium(decimal(cell));
                case "search_context_cost_per_query.search_context_size_high" -> b.searchPerQueryHigh(decimal(cell));
                case CAPABILITIES -> capabilities(b, cell);
                default -> throw new IllegalStateException("unhandled column " + column);
            }
        }

        private static BigDecimal decimal(String cell) {
            try {
                return new BigDecimal(cell);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a decimal number: '" + cell + "'", e);
            }
        }

        private static int integer(String cell) {
            try {
                return Integer.parseInt(cell);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer: '" + cell + "'", e);
            }
        }

        private static void capabilities(ModelPrice.Builder b, String cell) {
            for (String name : cell.split(",", -1)) {
                b.addCapability(ModelCapability.fromTableName(name).orElseThrow(
                        () -> new IllegalArgumentException("unknown capability '" + name + "'")));
            }
        }
    }
}
