package io.llmrouter.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceTableTest {

    private static final PriceTable TABLE = PriceTable.bundled();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // exact keys
        "groq/llama-3.3-70b-versatile, groq/llama-3.3-70b-versatile",
        "azure/gpt-4o, azure/gpt-4o",
        "gpt-4o, gpt-4o",
        // provider prefix dropped when the bare key is that provider's
        "openai/gpt-4o, gpt-4o",
        "anthropic/claude-3-5-sonnet-20241022, claude-3-5-sonnet-20241022",
        "bedrock/anthropic.claude-3-sonnet-20240229-v1:0, anthropic.claude-3-sonnet-20240229-v1:0",
        // trailing date suffix
        "openai/gpt-4o-2099-01-01, gpt-4o",
        "gpt-4o-2099-01-01, gpt-4o",
        "anthropic/claude-sonnet-4-5-20991231, claude-sonnet-4-5",
        // bedrock cross-region prefix: an exact regional entry wins, otherwise the prefix is dropped
        "bedrock/us.anthropic.claude-3-sonnet-20240229-v1:0, us.anthropic.claude-3-sonnet-20240229-v1:0",
        "bedrock/global.anthropic.claude-3-sonnet-20240229-v1:0, anthropic.claude-3-sonnet-20240229-v1:0",
        "bedrock_converse/global.anthropic.claude-3-5-haiku-20241022-v1:0, anthropic.claude-3-5-haiku-20241022-v1:0",
        // bedrock version suffix: dropped only when no entry has it
        "bedrock/amazon.titan-image-generator-v2:0, amazon.titan-image-generator-v2",
        "bedrock/us.amazon.titan-image-generator-v2:0, amazon.titan-image-generator-v2",
        "bedrock/amazon.rerank-v1:0, amazon.rerank-v1:0",
        // azure: an azure entry, even undated, wins over the OpenAI one; OpenAI's only when azure has none
        "azure/gpt-5-pro-2025-10-06, azure/gpt-5-pro",
        "azure/chatgpt-4o-latest, chatgpt-4o-latest",
        // OpenAI fine-tuned names: the table's ft: entry, else the base model
        "openai/ft:gpt-4o-mini-2024-07-18:acme:support:9ab3Xz, ft:gpt-4o-mini-2024-07-18",
        "ft:gpt-3.5-turbo-0125:acme::8Yq, ft:gpt-3.5-turbo-0125",
        "openai/ft:gpt-4.1-2025-04-14:acme::B7x, gpt-4.1-2025-04-14",
        "openai/ft:o4-mini-2025-04-16:acme:grader:C1, o4-mini-2025-04-16",
        "azure/ft:gpt-4o-mini-2024-07-18:acme::Z9, ft:gpt-4o-mini-2024-07-18",
    })
    void lookupFindsTheExpectedKey(String route, String expectedKey) {
        assertThat(TABLE.lookup(route)).get().extracting(PriceMatch::key).isEqualTo(expectedKey);
    }

    @Test
    void givenProviderPrefixedRoute_whenLookup_thenPriceIsTheBareEntrys() {
        PriceMatch match = TABLE.lookup("openai/gpt-4o").orElseThrow();

        assertThat(match.price()).isEqualTo(TABLE.get("gpt-4o").orElseThrow());
        assertThat(match.price().provider()).contains("openai");
        assertThat(match.price().hasCapability(ModelCapability.VISION)).isTrue();
        assertThat(match.price().maxInputTokens()).isPresent();
    }

    @Test
    void givenUnknownModel_whenLookup_thenEmpty() {
        assertThat(TABLE.lookup("acme/no-such-model")).isEmpty();
        assertThat(TABLE.lookup("no-such-model-20240101")).isEmpty();
        assertThat(TABLE.lookup("openai/")).isEmpty();
        assertThat(TABLE.lookup("")).isEmpty();
    }

    @Test
    void bundledTableDeclaresItsSourceAndIsLoadedOnce() {
        PriceTableVersion version = TABLE.version();

        assertThat(PriceTable.bundled()).isSameAs(TABLE);
        assertThat(version.source()).contains("BerriAI/litellm");
        assertThat(version.sourcePath()).contains("model_prices_and_context_window.json");
        assertThat(version.commit()).contains("caddc6dd0fc26931b3fcc4e91e81a3d90080f3ef");
        assertThat(version.sha256()).get().asString().hasSize(64);
        assertThat(version.entryCount()).isEqualTo(TABLE.size()).isGreaterThan(1_000);
    }

    @Test
    void stripsOnlyTrailingDates() {
        assertThat(PriceTable.stripDateSuffix("gpt-4o-2024-08-06")).isEqualTo("gpt-4o");
        assertThat(PriceTable.stripDateSuffix("claude-3-5-sonnet-20241022")).isEqualTo("claude-3-5-sonnet");
        assertThat(PriceTable.stripDateSuffix("gpt-4o")).isNull();
        assertThat(PriceTable.stripDateSuffix("gpt-4-0613")).isNull();
        assertThat(PriceTable.stripDateSuffix("anthropic.claude-3-sonnet-20240229-v1:0")).isNull();
        assertThat(PriceTable.stripDateSuffix("-20241022")).isNull();
    }

    @Test
    void givenUserTable_whenLoaded_thenLookupAndVersionUseIt(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("prices.tsv");
        Files.writeString(file, """
                # my prices
                # source_repository: acme/prices
                # entries: 2
                key\tinput_cost_per_token\toutput_cost_per_token\tcapabilities\tmax_input_tokens
                acme/small\t0.0000001\t0.0000002\tfunction_calling,vision\t32000

                acme/large\t1E-6\t0.000002\t\t
                """, StandardCharsets.UTF_8);
        // when
        PriceTable table = PriceTable.load(file);
        // then
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.version().source()).contains("acme/prices");
        assertThat(table.version().commit()).isEmpty();
        ModelPrice small = table.lookup("acme/small").orElseThrow().price();
        assertThat(small.capabilities()).containsExactlyInAnyOrder(ModelCapability.FUNCTION_CALLING,
                ModelCapability.VISION);
        assertThat(small.maxInputTokens()).hasValue(32_000);
        assertThat(small.cachedInputPerToken()).isEmpty();
        assertThat(table.get("acme/large").orElseThrow().inputPerToken()).get()
                .satisfies(p -> assertThat(p).isEqualByComparingTo("0.000001"));
    }

    @Test
    void givenFineTunedNameOfAnUnknownBase_whenLookup_thenEmptyNotAnotherModel() {
        assertThat(TABLE.lookup("openai/ft:no-such-base:acme::x1")).isEmpty();
        assertThat(TABLE.lookup("openai/ft:")).isEmpty();
        assertThat(TABLE.lookup("openai/ft::acme::x1")).isEmpty();
    }

    @Test
    void readsTheVendorBillColumnsIncludingNestedSearchPricesAndDeepSeeksCacheHitPrice() throws IOException {
        String tsv = String.join("\t", "key", "input_cost_per_token", "cache_read_input_token_cost",
                "input_cost_per_token_cache_hit", "input_cost_per_token_above_128k_tokens",
                "output_cost_per_token_above_128k_tokens", "input_cost_per_token_flex", "output_cost_per_token_priority",
                "input_cost_per_audio_token", "output_cost_per_audio_token", "citation_cost_per_token",
                "search_context_cost_per_query.search_context_size_low",
                "search_context_cost_per_query.search_context_size_high") + "\n"
                + String.join("\t", "ds", "0.5", "", "0.1", "", "", "", "", "", "", "", "", "") + "\n"
                + String.join("\t", "both", "0.5", "0.2", "0.1", "1", "2", "0.25", "3", "4", "8", "0.7", "0.005",
                        "0.012") + "\n";

        PriceTable table = PriceTable.load(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)));

        assertThat(table.get("ds").orElseThrow().cachedInputPerToken()).get()
                .satisfies(p -> assertThat(p).isEqualByComparingTo("0.1"));
        ModelPrice both = table.get("both").orElseThrow();
        assertThat(both.cachedInputPerToken()).get().satisfies(p -> assertThat(p).isEqualByComparingTo("0.2"));
        assertThat(both).isEqualTo(ModelPrice.builder().inputPerToken("0.5").cachedInputPerToken("0.2")
                .inputPerTokenAbove128k("1").outputPerTokenAbove128k("2").inputPerTokenFlex("0.25")
                .outputPerTokenPriority("3").audioInputPerToken("4").audioOutputPerToken("8")
                .citationPerToken("0.7").searchPerQueryLow("0.005").searchPerQueryHigh("0.012").build());
    }

    @Test
    void loadsFromStreamWithWindowsLineEnds() throws IOException {
        String tsv = "key\tinput_cost_per_token\r\nm\t0.5\r\n";

        PriceTable table = PriceTable.load(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)));

        assertThat(table.get("m").orElseThrow().inputPerToken()).get()
                .satisfies(p -> assertThat(p).isEqualByComparingTo("0.5"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "bad decimal          | key\\tinput_cost_per_token\\nm\\tabc\\n         | line 2, column 2 (input_cost_per_token): not a decimal number: 'abc'",
        "negative price       | key\\toutput_cost_per_token\\nm\\t-1\\n         | line 2, column 2 (output_cost_per_token): outputPerToken must not be negative",
        "bad integer          | # c\\nkey\\tmax_input_tokens\\nm\\t1.5\\n        | line 3, column 2 (max_input_tokens): not an integer: '1.5'",
        "unknown capability   | key\\tcapabilities\\nm\\tvision,telepathy\\n    | line 2, column 2 (capabilities): unknown capability 'telepathy'",
        "too few columns      | key\\tmode\\tinput_cost_per_token\\nm\\tchat\\n | line 2: expected 3 tab-separated columns, found 2",
        "unknown column       | key\\tprice\\nm\\t1\\n                          | line 1, column 2 (price): unknown column",
        "duplicate column     | key\\tmode\\tmode\\n                            | line 1, column 3 (mode): duplicate column",
        "no key column        | mode\\nchat\\n                                  | line 1: header row has no 'key' column",
        "duplicate key        | key\\tmode\\nm\\tchat\\nm\\tchat\\n            | line 3, column 1 (key): duplicate key 'm'",
        "empty key            | key\\tmode\\n\\tchat\\n                         | line 2, column 1 (key): key must be non-empty",
        "entry count mismatch | # entries: 3\\nkey\\nm\\n                       | line 1: '# entries: 3' but the table has 1 rows",
        "no header            | # only a comment\\n                             | line 1: price table has no header row",
    })
    void malformedTableNamesLineAndColumn(String name, String tsv, String message) {
        String text = tsv.replace("\\t", "\t").replace("\\n", "\n");

        assertThatThrownBy(() -> PriceTable.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
                .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void rejectsNullRoute() {
        assertThatThrownBy(() -> TABLE.lookup(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("providerRoute");
    }
}
