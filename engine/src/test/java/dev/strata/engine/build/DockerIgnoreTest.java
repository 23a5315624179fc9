package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** .dockerignore tables: patterns | path | excluded? */
class DockerIgnoreTest {
    static final String TABLE = """
            *.md                    | README.md           | true
            *.md                    | docs/README.md      | false
            **/*.md                 | docs/README.md      | true
            **/*.md                 | README.md           | true
            docs                    | docs/a/b.txt        | true
            docs/                   | docs/a/b.txt        | true
            /docs                   | docs                | true
            ./docs                  | docs/x              | true
            docs/**                 | docs/x/y            | true
            docs/**                 | docsx               | false
            **/node_modules         | a/b/node_modules/c  | true
            **                      | anything/at/all     | true
            temp?                   | temp1               | true
            temp?                   | temp12              | false
            temp?                   | temp/               | false
            [a-c]at                 | bat                 | true
            [a-c]at                 | dat                 | false
            [^a-c]at                | dat                 | true
            a\\*b                    | a*b                 | true
            a\\*b                    | axb                 | false
            file.txt                | filextxt            | false
            x+(y)                   | x+(y)               | true
            *.log,!keep.log         | keep.log            | false
            *.log,!keep.log         | other.log           | true
            logs,!logs/keep         | logs/keep           | false
            logs,!logs/keep         | logs/drop           | true
            !x,x                    | x                   | true
            *,!src,src/*.tmp        | src/a.tmp           | true
            *,!src,src/*.tmp        | src/a.go            | false
            *,!src,src/*.tmp        | other               | true
            # comment,a             | a                   | true
            # comment,a             | # comment           | false
            a/../b                  | b                   | true
            docs/*/x                | docs/y/x            | true
            docs/*/x                | docs/y/z/x          | false
            docs/**/x               | docs/y/z/x          | true
            docs/**/x               | docs/x              | true
            """;

    @Test
    void matchesLikeMoby() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String row : TABLE.split("\n")) {
            String[] cols = row.split("\\|");
            DockerIgnore ignore = DockerIgnore.parse(String.join("\n", cols[0].strip().split(",")));
            String path = cols[1].strip();
            boolean want = Boolean.parseBoolean(cols[2].strip());
            if (ignore.excludes(path) != want) {
                failures.add(cols[0].strip() + " on " + path + ": want " + want);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void readsTheFileAsTheCliDoes() throws Exception {
        DockerIgnore ignore = DockerIgnore.parse("\uFEFF# comment\n  \n /abs/path/ \n!  keep\n a//b/./c\n   # not a comment\n");
        assertThat(ignore.patterns()).containsExactly("abs/path", "!keep", "a/b/c", "# not a comment");
    }

    @Test
    void badPatterns() {
        assertThatThrownBy(() -> DockerIgnore.parse("!\n")).hasMessage(".dockerignore: illegal exclusion pattern: \"!\"");
        assertThatThrownBy(() -> DockerIgnore.parse("[a-\n")).hasMessage(".dockerignore: syntax error in pattern: [a-");
        assertThatThrownBy(() -> DockerIgnore.parse("a\\\n")).hasMessage(".dockerignore: syntax error in pattern: a\\");
    }

    @Test
    void goMatch() throws Exception {
        assertThat(GoPath.match("*.go", "a.go")).isTrue();
        assertThat(GoPath.match("*.go", "dir/a.go")).isFalse();
        assertThat(GoPath.match("src/*.go", "src/a.go")).isTrue();
        assertThat(GoPath.match("a?c", "a/c")).isFalse();
        assertThat(GoPath.match("[!a]", "!")).isTrue();
        assertThat(GoPath.match("[\\]]", "]")).isTrue();
        assertThat(GoPath.match("*x", "xxx")).isTrue();
        assertThat(GoPath.match("a*b*c", "abxbc")).isTrue();
        assertThatThrownBy(() -> GoPath.match("[", "a")).isInstanceOf(GoPath.BadPattern.class);
        assertThatThrownBy(() -> GoPath.match("a[", "b")).isInstanceOf(GoPath.BadPattern.class);
        assertThat(GoPath.clean("../a/./b/../c/")).isEqualTo("../a/c");
        assertThat(GoPath.clean("/../x")).isEqualTo("/x");
        assertThat(GoPath.clean("")).isEqualTo(".");
    }
}
