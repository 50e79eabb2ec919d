package io.llmrouter.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void generatedKeysStartWithSkAndCarry32RandomBytes() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = ApiKeys.generate();
            assertThat(key).startsWith("sk-").hasSize(3 + 43).matches("sk-[A-Za-z0-9_-]{43}");
            keys.add(key);
        }
        assertThat(keys).hasSize(100);
    }

    @Test
    void hashIsLowerCaseHexSha256OfTheUtf8Bytes() {
        // sha256("abc"), the FIPS 180-2 test vector
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThatThrownBy(() -> ApiKeys.hash("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maskShowsOnlyTheLastFourCharacters() {
        assertThat(ApiKeys.mask("sk-abcdefghijklmnopWXYZ")).isEqualTo("sk-...WXYZ");
        assertThat(ApiKeys.mask("sk-1234")).isEqualTo("sk-...");
    }
}
