package dev.strata.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.strata.digest.Digest;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases follow distribution/reference's {@code reference_test.go} and {@code normalize_test.go}, read through
 * {@code ParseNormalizedNamed} (so bare names land on docker.io/library).
 */
class ReferenceTest {
    static final String F64 = "f".repeat(64);
    static final String SHA = "sha256:" + F64;
    static final String HEX = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";

    /** input, domain, path, tag (or null), digest (or null). */
    static Stream<Arguments> valid() {
        return Stream.of(
                // reference_test.go TestReferenceParse, normalised
                valid("test_com", "docker.io", "library/test_com", null, null),
                valid("test.com:tag", "docker.io", "library/test.com", "tag", null),
                valid("test.com:5000", "docker.io", "library/test.com", "5000", null),
                valid("test.com/repo:tag", "test.com", "repo", "tag", null),
                valid("test:5000/repo", "test:5000", "repo", null, null),
                valid("test:5000/repo:tag", "test:5000", "repo", "tag", null),
                valid("test:5000/repo@" + SHA, "test:5000", "repo", null, SHA),
                valid("test:5000/repo:tag@" + SHA, "test:5000", "repo", "tag", SHA),
                valid("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", null),
                valid("a/".repeat(127) + "a:tag-puts-this-over-max", "docker.io", "a/".repeat(127) + "a",
                        "tag-puts-this-over-max", null),
                valid("sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux", null, null),
                valid("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux",
                        "some-long-tag", null),
                valid("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app",
                        "test.example.com", null),
                valid("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null),
                valid("xn--7o8h.com/myimage:xn--7o8h.com@" + SHA, "xn--7o8h.com", "myimage", "xn--7o8h.com", SHA),
                valid("foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", null),
                valid("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", null),
                valid("192.168.1.1", "docker.io", "library/192.168.1.1", null, null),
                valid("192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag", null),
                valid("192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000", null),
                valid("192.168.1.1/repo", "192.168.1.1", "repo", null, null),
                valid("192.168.1.1:5000/repo", "192.168.1.1:5000", "repo", null, null),
                valid("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", null),
                valid("[2001:db8::1]/repo", "[2001:db8::1]", "repo", null, null),
                valid("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", null),
                valid("[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", null, null),
                valid("[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag", null),
                valid("[2001:db8::1]:5000/repo@" + SHA, "[2001:db8::1]:5000", "repo", null, SHA),
                valid("[2001:db8::1]:5000/repo:tag@" + SHA, "[2001:db8::1]:5000", "repo", "tag", SHA),
                valid("[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", null, null),
                valid("[::1]:5000/repo", "[::1]:5000", "repo", null, null),
                valid("example.com/" + "a".repeat(255) + ":tag", "example.com", "a".repeat(255), "tag", null),
                // normalize_test.go TestValidateReferenceName / TestValidateRemoteName
                valid("docker/docker", "docker.io", "docker/docker", null, null),
                valid("library/debian", "docker.io", "library/debian", null, null),
                valid("debian", "docker.io", "library/debian", null, null),
                valid("localhost/library/debian", "localhost", "library/debian", null, null),
                valid("localhost/debian", "localhost", "debian", null, null),
                valid("LOCALDOMAIN/library/debian", "LOCALDOMAIN", "library/debian", null, null),
                valid("docker.io/docker/docker", "docker.io", "docker/docker", null, null),
                valid("docker.io/library/debian", "docker.io", "library/debian", null, null),
                valid("docker.io/debian", "docker.io", "library/debian", null, null),
                valid("index.docker.io/docker/docker", "docker.io", "docker/docker", null, null),
                valid("index.docker.io/debian", "docker.io", "library/debian", null, null),
                valid("127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker", null, null),
                valid("127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", null, null),
                valid("192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", null),
                valid("192.168.0.1:8/debian", "192.168.0.1:8", "debian", null, null),
                valid("thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "docker.io",
                        "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", null, null),
                valid("[fc00::1]:5000/docker", "[fc00::1]:5000", "docker", null, null),
                valid("[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian",
                        null, null),
                valid("docker.io/" + HEX, "docker.io", "library/" + HEX, null, null),
                valid("Docker/docker", "Docker", "docker", null, null),
                valid("DOCKER/docker", "DOCKER", "docker", null, null),
                valid("docker-rules/docker", "docker.io", "docker-rules/docker", null, null),
                valid("docker---rules/docker", "docker.io", "docker---rules/docker", null, null),
                valid("d/docker", "docker.io", "d/docker", null, null),
                valid("jess/t", "docker.io", "jess/t", null, null),
                valid("dock__er/docker", "docker.io", "dock__er/docker", null, null),
                valid("a.b/c", "a.b", "c", null, null),
                // normalize_test.go TestNormalizedSplitHostname, TestParseAnyReference
                valid("test-com:8080/foo", "test-com:8080", "foo", null, null),
                valid("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", null, null),
                valid("docker.io/library/foo/bar", "docker.io", "library/foo/bar", null, null),
                valid("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9", "docker.io",
                        "library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9", null, null),
                valid("dbcc1", "docker.io", "library/dbcc1", null, null),
                valid("busybox:latest@" + SHA, "docker.io", "library/busybox", "latest", SHA),
                // the tag grammar at its limits
                valid("x:" + "t".repeat(128), "docker.io", "library/x", "t".repeat(128), null),
                valid("x:_tag", "docker.io", "library/x", "_tag", null),
                valid("x:T.a-G_9", "docker.io", "library/x", "T.a-G_9", null),
                // a bare "localhost" is a Docker Hub name, as in Docker
                valid("localhost", "docker.io", "library/localhost", null, null),
                valid("localhost:5000", "docker.io", "library/localhost", "5000", null));
    }

    private static Arguments valid(String input, String domain, String path, String tag, String digest) {
        return Arguments.of(input, domain, path, tag, digest);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesValidReferences(String input, String domain, String path, String tag, String digest) throws Exception {
        Reference ref = Reference.parse(input);
        assertThat(ref.domain()).isEqualTo(domain);
        assertThat(ref.path()).isEqualTo(path);
        assertThat(ref.tag()).isEqualTo(Optional.ofNullable(tag));
        assertThat(ref.digest()).isEqualTo(Optional.ofNullable(digest).map(Digest::parse));
        assertThat(ref.name()).isEqualTo(domain + "/" + path);
        // canonical and familiar forms read back as the same reference
        assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
        if (!ref.familiarName().equals(HEX)) { // docker.io/<64 hex> is valid, its familiar form is not
            assertThat(Reference.parse(ref.familiarString())).isEqualTo(ref);
        }
        assertThat(new Reference(ref.domain(), ref.path(), ref.tag(), ref.digest())).isEqualTo(ref);
    }

    /** input, a fragment of the reason. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                invalid("", "repository name must not be empty"),
                invalid(":justtag", "repository name must not be empty"),
                invalid("@" + SHA, "repository name must not be empty"),
                invalid("repo@sha256:" + "f".repeat(34), "invalid digest \"sha256:ffff"),
                invalid("validname@invaliddigest:" + F64, "unsupported digest algorithm \"invaliddigest\""),
                invalid("validname@sha512:" + "f".repeat(128), "unsupported digest algorithm \"sha512\""),
                invalid("ubuntu@sha256:" + F64.toUpperCase(), "lowercase hex"),
                invalid("x@", "digest must not be empty"),
                invalid("Uppercase:tag", "repository name must be lowercase"),
                invalid("Ubuntu", "repository name must be lowercase"),
                invalid("test:5000/Uppercase/lowercase:tag", "repository name must be lowercase"),
                invalid("docker/Docker", "repository name must be lowercase"),
                invalid("docker.io/docker/Docker", "repository name must be lowercase"),
                invalid("domain/" + "a".repeat(256) + ":tag", "repository name must not be more than 255 characters"),
                invalid("example.com/" + "a".repeat(256), "repository name must not be more than 255 characters"),
                invalid("this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_".repeat(4) + "x/docker",
                        "must not be more than 255"),
                invalid("aa/asdf$$^/aa", "path component \"asdf$$^\" has invalid character '$'"),
                invalid("[2001:db8::1]", "has invalid character '['"),
                invalid("[2001:db8::1]:5000", "has invalid character '['"),
                invalid("[2001:db8::1]:tag", "has invalid character '['"),
                invalid("[fc00::1]", "has invalid character '['"),
                invalid("[fc00::1]:5000", "has invalid character '['"),
                invalid("[fe80::1%eth0]:5000/repo", "invalid domain \"[fe80::1%eth0]:5000\""),
                invalid("[fe80::1%@invalidzone]:5000/repo", "unsupported digest algorithm"),
                invalid("[2001:db8:3:4::192.0.2.33]:5000/debian", "invalid domain"),
                invalid("[::1]x/repo", "only a :port may follow"),
                invalid("https://github.com/docker/docker", "invalid port \"\" in domain \"https:\""),
                invalid("fc00::1:5000/debian", "invalid port \":1:5000\""),
                invalid("-docker", "must start and end with a lowercase letter or digit"),
                invalid("-docker/docker", "path component \"-docker\" must start and end"),
                invalid("docker-/docker", "path component \"docker-\" must start and end"),
                invalid("-docker-/docker", "must start and end"),
                invalid("-docker.io/docker/docker", "invalid domain \"-docker.io\""),
                invalid("foo_bar.com/x", "invalid domain \"foo_bar.com\""),
                invalid("docker///docker", "empty path component"),
                invalid("docker.io/docker///docker", "empty path component"),
                invalid("docker/", "empty path component"),
                invalid("localhost/", "at least one component"),
                invalid("____/____", "must start and end"),
                invalid("_docker/_docker", "must start and end"),
                // a first component with a '.' is a domain, as in Docker
                invalid("dock..er/docker", "invalid domain \"dock..er\""),
                invalid("dock_.er/docker", "invalid domain \"dock_.er\""),
                invalid("dock-.er/docker", "invalid domain \"dock-.er\""),
                invalid("docker/dock..er", "path component \"dock..er\" has an invalid separator"),
                invalid("docker/dock_.er", "has an invalid separator"),
                invalid("docker/dock-.er", "has an invalid separator"),
                invalid("dock___er/docker", "has an invalid separator"),
                invalid(HEX, "cannot specify 64-byte hexadecimal strings"),
                invalid("a:b:c", "tag \"b:c\" has invalid character ':'"),
                invalid("x:", "tag must not be empty"),
                invalid("x:-tag", "tag \"-tag\" must start with a letter, digit or '_'"),
                invalid("x:.tag", "must start with a letter, digit or '_'"),
                invalid("x:" + "t".repeat(129), "tag must not be more than 128 characters"),
                invalid("x:t$", "tag \"t$\" has invalid character '$'"),
                // a ':' before the first '/' makes a domain with a port, as in Docker
                invalid("x:t/a", "invalid port \"t\" in domain \"x:t\""),
                invalid("x:t\u00e9", "has invalid character"),
                invalid("bad\tname", "has invalid character U+0009"));
    }

    private static Arguments invalid(String input, String reason) {
        return Arguments.of(input, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidReferencesNamingTheRule(String input, String reason) {
        InvalidReferenceException e = catchThrowableOfType(InvalidReferenceException.class, () -> Reference.parse(input));
        assertThat(e).as("parse(%s) should fail", input).isNotNull();
        assertThat(e.input()).isEqualTo(input);
        assertThat(e.reason()).contains(reason);
        assertThat(e.getMessage()).isEqualTo("invalid reference " + InvalidReferenceException.quote(input) + ": " + e.reason());
    }

    @Test
    void messagesQuoteTheInput() {
        assertThatThrownBy(() -> Reference.parse("Ubuntu"))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessage("invalid reference \"Ubuntu\": repository name must be lowercase");
        assertThatThrownBy(() -> Reference.parse("x:"))
                .hasMessage("invalid reference \"x:\": tag must not be empty");
        assertThatThrownBy(() -> Reference.parse("a:b:c"))
                .hasMessageStartingWith("invalid reference \"a:b:c\": tag \"b:c\" has invalid character ':'");
        assertThatThrownBy(() -> Reference.parse("bad\nname"))
                .hasMessageStartingWith("invalid reference \"bad\\nname\": ");
    }

    /** normalize_test.go TestParseRepositoryInfo: every spelling reads as the same name. */
    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("localhost/fooo", "localhost/fooo", new String[] {"localhost/fooo"}),
                Arguments.of("localhost/fooo/bar", "localhost/fooo/bar", new String[] {}),
                Arguments.of("LOCALDOMAIN/fooo", "LOCALDOMAIN/fooo", new String[] {}),
                Arguments.of("fooo/bar", "docker.io/fooo/bar", new String[] {"index.docker.io/fooo/bar"}),
                Arguments.of("ubuntu", "docker.io/library/ubuntu", new String[] {"library/ubuntu", "docker.io/ubuntu",
                        "index.docker.io/ubuntu", "index.docker.io/library/ubuntu"}),
                Arguments.of("nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", new String[] {}),
                Arguments.of("other/library", "docker.io/other/library", new String[] {}),
                Arguments.of("127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", new String[] {}),
                Arguments.of("example.com/privatebase", "example.com/privatebase", new String[] {}),
                Arguments.of("example.com:8000/private/moonbase", "example.com:8000/private/moonbase", new String[] {}),
                Arguments.of("ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base",
                        new String[] {"index.docker.io/library/ubuntu-12.04-base"}),
                Arguments.of("library/foo/bar", "docker.io/library/foo/bar", new String[] {}),
                Arguments.of("store/foo/bar", "docker.io/store/foo/bar", new String[] {}),
                Arguments.of("Foo/bar", "Foo/bar", new String[] {}),
                Arguments.of("localhost:5000/a/b", "localhost:5000/a/b", new String[] {}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void familiarAndFullNames(String familiar, String full, String[] others) throws Exception {
        Reference expected = Reference.parse(familiar);
        assertThat(expected.familiarName()).isEqualTo(familiar);
        assertThat(expected.name()).isEqualTo(full);
        assertThat(Reference.parse(full)).isEqualTo(expected);
        for (String other : others) {
            assertThat(Reference.parse(other)).as(other).isEqualTo(expected);
        }
    }

    @Test
    void printsCanonicalAndFamiliarForms() throws Exception {
        Reference ubuntu = Reference.parse("ubuntu");
        assertThat(ubuntu.toString()).isEqualTo("docker.io/library/ubuntu");
        assertThat(ubuntu.familiarString()).isEqualTo("ubuntu");
        assertThat(ubuntu.isNameOnly()).isTrue();
        assertThat(ubuntu.withDefaultTag().toString()).isEqualTo("docker.io/library/ubuntu:latest");
        assertThat(ubuntu.withDefaultTag().familiarString()).isEqualTo("ubuntu:latest");

        Reference both = Reference.parse("busybox:latest@" + SHA);
        assertThat(both.toString()).isEqualTo("docker.io/library/busybox:latest@" + SHA);
        assertThat(both.familiarString()).isEqualTo("busybox:latest@" + SHA);
        assertThat(both.withDefaultTag()).isSameAs(both);

        Reference digested = Reference.parse("localhost:5000/a/b@" + SHA);
        assertThat(digested.withDefaultTag()).isSameAs(digested);
        assertThat(digested.familiarString()).isEqualTo("localhost:5000/a/b@" + SHA);
        assertThat(digested.repository().toString()).isEqualTo("localhost:5000/a/b");

        Reference tagged = Reference.parse("foo/bar:1.0");
        assertThat(tagged.toString()).isEqualTo("docker.io/foo/bar:1.0");
        assertThat(tagged.familiarString()).isEqualTo("foo/bar:1.0");
        assertThat(tagged.withDefaultTag()).isSameAs(tagged);
        assertThat(tagged.withTag("2.0").familiarString()).isEqualTo("foo/bar:2.0");
        assertThat(tagged.withDigest(Digest.parse(SHA)).toString()).isEqualTo("docker.io/foo/bar:1.0@" + SHA);
    }

    @Test
    void constructorCanonicalisesAndValidates() {
        Reference r = new Reference("index.docker.io", "ubuntu", Optional.of("22.04"), Optional.empty());
        assertThat(r.domain()).isEqualTo("docker.io");
        assertThat(r.path()).isEqualTo("library/ubuntu");
        assertThat(r.familiarString()).isEqualTo("ubuntu:22.04");

        assertThatThrownBy(() -> new Reference("docker.io", "Ubuntu", Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be lowercase");
        assertThatThrownBy(() -> new Reference("docker.io", "ubuntu", Optional.of(""), Optional.empty()))
                .hasMessageContaining("tag must not be empty");
        assertThatThrownBy(() -> new Reference("foo", "bar", Optional.empty(), Optional.empty()))
                .hasMessageContaining("would be read as part of the path");
        assertThatThrownBy(() -> new Reference("a_b.com", "bar", Optional.empty(), Optional.empty()))
                .hasMessageContaining("invalid domain");
        assertThatThrownBy(() -> Reference.parse("ubuntu").withTag("no/slash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid character '/'");
    }
}
