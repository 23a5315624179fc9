package dev.strata.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestTest {
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void parsesAndPrints() {
        Digest d = Digest.parse("sha256:" + EMPTY);
        assertThat(d.hex()).isEqualTo(EMPTY);
        assertThat(d.toString()).isEqualTo("sha256:" + EMPTY);
        assertThat(d.shortHex()).isEqualTo("e3b0c44298fc");
        assertThat(Digester.of(new byte[0])).isEqualTo(d);
    }

    @Test
    void rejectsMalformedDigestsQuotingThem() {
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessageContaining("\"sha256:abc\"");
        assertThatThrownBy(() -> Digest.parse("md5:" + EMPTY)).hasMessageContaining("unsupported digest algorithm \"md5\"");
        assertThatThrownBy(() -> Digest.parse(EMPTY)).hasMessageContaining("want sha256:");
        assertThatThrownBy(() -> Digest.parse("sha256:" + EMPTY.toUpperCase())).hasMessageContaining("lowercase");
        assertThat(Digest.isValid("sha256:" + EMPTY)).isTrue();
        assertThat(Digest.isValid("sha256:" + EMPTY + "0")).isFalse();
    }

    @Test
    void streamsHashWhatTheyRead() throws Exception {
        byte[] data = "hello world".getBytes();
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(data));
        in.read(new byte[3]);
        in.skip(2);
        in.drain();
        assertThat(in.digest()).isEqualTo(Digester.of(data));
        assertThat(in.bytesRead()).isEqualTo(data.length);
    }

    @Test
    void chainIdsFollowTheSpec() {
        Digest a = Digester.of("a");
        Digest b = Digester.of("b");
        assertThat(ChainId.of(Optional.empty(), a)).isEqualTo(a);
        assertThat(ChainId.of(Optional.of(a), b)).isEqualTo(Digester.of(a + " " + b));
        assertThat(ChainId.chain(List.of(a, b))).containsExactly(a, Digester.of(a + " " + b));
    }
}
