package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Docker's substitution rules, as tables: input | expected ("!" for an error). */
class ShellLexTest {
    static final Map<String, String> ENV = Map.of("HOME", "/root", "TOOL", "make", "EMPTY", "", "GREETING", "hi  there",
            "LEAD", "  a b", "TRAIL", "x y   ", "WORD", "héllo");
    static final Function<String, String> VARS = ENV::get;

    static final String WORD_TABLE = """
            plain                       | plain
            ab'c'd                      | abcd
            ab'cd                       | !
            ab\\'cd                      | ab'cd
            ab\\\\'cd                     | !
            x\\ty                        | xty
            "x\\ty"                      | x\\ty
            "x\\\\ty"                     | x\\ty
            'x\\ty'                      | x\\ty
            end\\                        | end
            end\\\\                       | end\\
            "open                       | !
            "open\\"                     | !
            "it's"                      | it's
            'open                       | !
            'back\\'                     | back\\
            "''"                        | ''
            $.                          | $.
            a$1b                        | ab
            a$9999b                     | ab
            $@x                         | x
            ${#}                        |
            ${?:-dflt}                  | dflt
            at$HOME                     | at/root
            at$home                     | at
            at\\$HOME                    | at$HOME
            at\\\\$HOME                   | at\\/root
            "at\\$HOME"                  | at$HOME
            "at\\\\$HOME"                 | at\\/root
            'at$HOME'                   | at$HOME
            'at\\$HOME'                  | at\\$HOME
            \\${}                        | ${}
            ${}                         | !
            x${}y                       | !
            ${HOME}x                    | /rootx
            ${NOPE}x                    | x
            ${.}                        | !
            ${{HOME}                    | !
            ${HOME}}                    | /root}
            ${HOME                      | !
            ${:}                        | !
            ${:-x}                      | !
            ${NOPE:-dflt}               | dflt
            ${NOPE-dflt}                | dflt
            ${EMPTY:-dflt}              | dflt
            ${EMPTY-dflt}               |
            ${HOME:-dflt}               | /root
            ${NOPE:-$HOME}              | /root
            ${NOPE:-${MISSING:-deep}}   | deep
            ${NOPE:-a b {c}             | a b {c
            ${NOPE:-a ${b}              | !
            ${NOPE:+alt}                |
            ${HOME:+alt}                | alt
            ${EMPTY:+alt}               |
            ${EMPTY+alt}                | alt
            ${HOME:+${TOOL}}            | make
            ${HOME:+${NOPE}}x           | x
            ${HOME:+$HOME:}x            | /root:x
            ${NOPE:-\\$HOME:}x           | $HOME:x
            ${NOPE:-\\${HOME}z}          | ${HOMEz}
            ${NOPE?}                    | !
            ${NOPE:?}                   | !
            ${EMPTY?}                   |
            ${EMPTY:?}                  | !
            ${HOME:?}                   | /root
            ${HOME:YYY}                 | !
            ${HOME:=x}                  | !
            ${HOME#/}                   | root
            ${TOOL%e}                   | mak
            ${GREETING#* }              |  there
            ${GREETING##* }             | there
            ${GREETING%% *}             | hi
            ${GREETING% *}              | hi\s
            ${TOOL/a/A}                 | mAke
            ${GREETING//e/E}            | hi  thErE
            ${TOOL:#x}                  | !
            $WORD                       | héllo
            pre'$WORD'post              | pre$WORDpost
            "q'$WORD'q"                 | q'héllo'q
            """;

    @Test
    void substitutesLikeDocker() {
        List<String> failures = new ArrayList<>();
        for (String row : WORD_TABLE.split("\n")) {
            int bar = row.lastIndexOf('|');
            String input = row.substring(0, bar).strip();
            String want = row.substring(bar + 1);
            want = want.startsWith(" ") ? want.substring(1) : want;
            try {
                String got = new ShellLex('\\').expand(input, VARS);
                if (want.equals("!") || !got.equals(want)) {
                    failures.add(input + " gave [" + got + "], want [" + want + "]");
                }
            } catch (ShellLex.SyntaxException e) {
                if (!want.equals("!")) {
                    failures.add(input + " failed (" + e.getMessage() + "), want [" + want + "]");
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    static final String SPLIT_TABLE = """
            one                  | one
            a${NOPE}b            | ab
            x${GREETING}y        | xhi,therey
            x"${GREETING}"y      | xhi  therey
            x "${GREETING}"y     | x,hi  therey
            q${LEAD}r            | q,a,br
            "${LEAD}" r          |   a b,r
            ${TRAIL}z            | x,y,z
            "${TRAIL}"z          | x y   z
            a\\ b                 | a b
            a\\" b                | a",b
            a"\\\\b"               | a\\b
            a'\\\\b'               | a\\\\b
            a'$HOME'             | a$HOME
            80 443/udp           | 80,443/udp
            """;

    @Test
    void splitsWordsAfterSubstitution() throws Exception {
        for (String row : SPLIT_TABLE.split("\n")) {
            int bar = row.lastIndexOf('|');
            String input = row.substring(0, bar).strip();
            List<String> want = List.of(row.substring(bar + 2).split(","));
            assertThat(new ShellLex('\\').split(input, VARS)).as(input).isEqualTo(want);
        }
    }

    @Test
    void backtickIsTheEscapeWhenTheDirectiveSaysSo() throws Exception {
        ShellLex lex = new ShellLex('`');
        assertThat(lex.expand("C:\\Users\\$TOOL", VARS)).isEqualTo("C:\\Users\\make");
        assertThat(lex.expand("`$TOOL", VARS)).isEqualTo("$TOOL");
        assertThat(lex.expand("\"a`\"b\"", VARS)).isEqualTo("a\"b");
        assertThat(lex.split("c:\\a` b c", VARS)).containsExactly("c:\\a b", "c");
    }

    @Test
    void errorsSayWhatFailed() {
        assertThatThrownBy(() -> new ShellLex('\\').expand("${NOPE:?set it with --build-arg}", VARS))
                .hasMessage("failed to process \"${NOPE:?set it with --build-arg}\": NOPE: set it with --build-arg");
        assertThatThrownBy(() -> new ShellLex('\\').expand("${NOPE?}", VARS))
                .hasMessage("failed to process \"${NOPE?}\": NOPE: is not allowed to be unset");
        assertThatThrownBy(() -> new ShellLex('\\').expand("${EMPTY:?}", VARS))
                .hasMessage("failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty");
        assertThatThrownBy(() -> new ShellLex('\\').expand("a'b", VARS))
                .hasMessage("failed to process \"a'b\": unexpected end of statement while looking for matching single-quote");
        assertThatThrownBy(() -> new ShellLex('\\').expand("${HOME", VARS))
                .hasMessage("failed to process \"${HOME\": syntax error: missing '}'");
        assertThatThrownBy(() -> new ShellLex('\\').expand("${}", VARS))
                .hasMessage("failed to process \"${}\": syntax error: bad substitution");
    }

    @Test
    void reversesPatternsKeepingEscapes() {
        assertThat(ShellLex.reversePattern("a\\*c")).isEqualTo("c\\*a");
        assertThat(ShellLex.reversePattern("ab\\")).isEqualTo("\\ba");
    }
}
