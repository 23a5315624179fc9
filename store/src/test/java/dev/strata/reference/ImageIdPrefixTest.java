package dev.strata.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.digest.Digest;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageIdPrefixTest {
    static final String ID = "94e6b7d2c720a6c3e4f5b2e1d1c0a9b8f7e6d5c4b3a29180f7e6d5c4b3a29180";

    @Test
    void recognisesShortAndFullIds() {
        assertThat(ImageIdPrefix.parse("94e6b7d2c720")).contains(new ImageIdPrefix("94e6b7d2c720"));
        assertThat(ImageIdPrefix.parse("sha256:94e6b7d2")).map(ImageIdPrefix::hex).contains("94e6b7d2");
        assertThat(ImageIdPrefix.parse("9")).map(ImageIdPrefix::hex).contains("9");
        ImageIdPrefix full = ImageIdPrefix.parse(ID).orElseThrow();
        assertThat(full.isFull()).isTrue();
        assertThat(full.toDigest()).contains(new Digest(ID));
        assertThat(ImageIdPrefix.parse("sha256:" + ID)).contains(full);
        assertThat(new ImageIdPrefix("94e6").isFull()).isFalse();
        assertThat(new ImageIdPrefix("94e6").toDigest()).isEmpty();
        assertThat(new ImageIdPrefix("94e6").toString()).isEqualTo("94e6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256:", "94E6B7D2", "ubuntu", "94e6g", "sha512:94e6", "sha256:sha256:94e6",
        " 94e6", "94e6:latest", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"})
    void rejectsWhatCannotBeAnId(String text) {
        assertThat(ImageIdPrefix.parse(text)).isEmpty();
    }

    @Test
    void matchesIdsThatStartWithIt() {
        Digest id = new Digest(ID);
        assertThat(new ImageIdPrefix("94e6b7").matches(id)).isTrue();
        assertThat(new ImageIdPrefix(ID).matches(id)).isTrue();
        assertThat(new ImageIdPrefix("94e6b8").matches(id)).isFalse();
        assertThatThrownBy(() -> new ImageIdPrefix("XYZ")).hasMessageContaining("\"XYZ\"");
        assertThat(Optional.of(new ImageIdPrefix("abc"))).isEqualTo(ImageIdPrefix.parse("abc"));
    }
}
