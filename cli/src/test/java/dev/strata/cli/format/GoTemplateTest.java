package dev.strata.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.image.ImageJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Go's text/template as docker's --format uses it: each construct, Go's printing of values, and the errors. */
class GoTemplateTest {
    /** An inspect-like object: a struct at the top, maps (Labels) and slices below, a null and a float. */
    private static final JsonNode DATA = ImageJson.MAPPER.readTree("""
            {
              "Id": "abc123",
              "Name": "/web",
              "State": {"Status": "running", "Running": true, "Pid": 42, "ExitCode": 0},
              "Config": {
                "Env": ["A=1", "B=2"],
                "Cmd": ["sh", "-c", "echo hi"],
                "Entrypoint": null,
                "Labels": {"com.x": "1", "b": "two", "a": "one"},
                "Empty": {},
                "Ratio": 1.5,
                "Big": 1000000.0
              },
              "Mounts": [
                {"Source": "/srv", "Destination": "/data", "RW": true},
                {"Source": "/etc/x", "Destination": "/x", "RW": false}
              ],
              "Html": "<a&b>"
            }
            """);

    private static String run(String template) throws TemplateException {
        return GoTemplate.parse("test", template).execute(DATA);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', textBlock = """
            plain text                                   => plain text
            {{.Id}}                                      => abc123
            {{.State.Status}} {{.State.Pid}}             => running 42
            {{.State.Running}}                           => true
            {{.Config.Env}}                              => [A=1 B=2]
            {{.Config.Labels}}                           => map[a:one b:two com.x:1]
            {{.Config.Empty}}                            => map[]
            {{.Config.Entrypoint}}                       => []
            {{.Config.Ratio}} {{.Config.Big}}            => 1.5 1e+06
            {{.Config.Labels.nope}}                      => <no value>
            {{.Config.Labels.b}}                         => two
            {{.Mounts}}                                  => [map[Destination:/data RW:true Source:/srv] map[Destination:/x RW:false Source:/etc/x]]
            {{json .Config.Cmd}}                         => ["sh","-c","echo hi"]
            {{json .State}}                              => {"Status":"running","Running":true,"Pid":42,"ExitCode":0}
            {{json .Html}}                               => "<a&b>"
            {{.Config.Labels | json}}                    => {"com.x":"1","b":"two","a":"one"}
            {{json .Config.Entrypoint}}                  => null
            {{index .Config.Labels "com.x"}}             => 1
            {{index .Config.Labels "nope"}}|             => |
            {{index .Config.Cmd 2}}                      => echo hi
            {{index .Mounts 1 | json}}                   => {"Source":"/etc/x","Destination":"/x","RW":false}
            {{(index .Mounts 0).Source}}                 => /srv
            {{join .Config.Cmd " "}}                     => sh -c echo hi
            {{join .Config.Entrypoint ","}}              => ~~
            {{lower "AbC"}} {{upper .State.Status}}      => abc RUNNING
            {{title "hello wide world"}}                 => Hello Wide World
            {{split "a,b,,c" ","}}                       => [a b  c]
            {{len (split "a:b" ":")}}                    => 2
            {{len .Config.Labels}} {{len .Id}} {{len .Config.Entrypoint}} => 3 6 0
            {{truncate .Id 3}}|{{pad "x" 1 2}}|          => abc| x  |
            {{print "a" "b" 1 2 true}}                   => ab1 2 true
            {{printf "%s=%d %v %q" "k" 42 .Config.Env "x\\ty"}} => k=42 [A=1 B=2] "x\\ty"
            {{printf "%5s|%-5s|%05d|%x|%.2f|%t|%T" "ab" "cd" 42 255 3.14159 true .Config.Cmd}} => ~   ab|cd   |00042|ff|3.14|true|[]interface {}~
            {{printf "%d %s" "abc"}}                     => %!d(string=abc) %!s(MISSING)
            {{printf "%s" "a" 1}}                        => a%!(EXTRA int=1)
            {{printf "%q" .Config.Cmd}}                  => ["sh" "-c" "echo hi"]
            {{eq .State.Status "running"}} {{eq .State.Pid 42}} {{eq 1 2 3 1}} => true true true
            {{ne .State.ExitCode 0}} {{not .State.Running}} => false false
            {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}} => true true true false
            {{and 1 "x" 0 "y"}} {{or 0 "" "z"}} {{and .State.Running .State.Pid}} => 0 z 42
            {{or .Config.Entrypoint .Config.Cmd}}        => [sh -c echo hi]
            {{if .State.Running}}up{{else}}down{{end}}   => up
            {{if eq .State.Status "exited"}}x{{else if .State.Running}}r{{else}}o{{end}} => r
            {{if .Config.Entrypoint}}e{{else}}no entrypoint{{end}} => no entrypoint
            {{with .State}}{{.Status}}/{{.Pid}}{{end}}   => running/42
            {{with .Config.Entrypoint}}x{{else with .Config.Cmd}}{{index . 0}}{{end}} => sh
            {{range .Mounts}}{{.Source}} {{end}}         => ~/srv /etc/x ~
            {{range $i, $m := .Mounts}}{{$i}}={{$m.Destination}};{{end}} => 0=/data;1=/x;
            {{range $k, $v := .Config.Labels}}{{$k}}:{{$v}},{{end}} => a:one,b:two,com.x:1,
            {{range $e := .Config.Env}}[{{$e}}]{{end}}   => [A=1][B=2]
            {{range .Config.Entrypoint}}x{{else}}none{{end}} => none
            {{range 3}}{{.}}{{end}}                      => 012
            {{range .Config.Cmd}}{{if eq . "-c"}}{{continue}}{{end}}{{if eq . "echo hi"}}{{break}}{{end}}{{.}}{{end}} => sh
            {{$n := .Name}}{{$n}} {{$.Id}}               => /web abc123
            {{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}} => 2
            {{range .Mounts}}{{$.Id}}{{end}}             => abc123abc123
            {{"a\\tb\\x41\\u00e9\\\\"}}                  => a\tbAé\\
            {{`raw\\n`}} {{'a'}} {{0x1F}} {{-3}} {{1e3}} => raw\\n 97 31 -3 1000
            {{print nil}} {{eq nil .Config.Labels.nope}} => <nil> true
            """)
    void evaluates(String template, String expected) throws TemplateException {
        assertThat(run(template)).isEqualTo(expected);
    }

    @Test
    void printlnEndsTheLine() throws TemplateException {
        assertThat(run("{{println \"a\" 1 .State.Pid}}")).isEqualTo("a 1 42\n");
    }

    @Test
    void trimMarkersRemoveWhiteSpaceAroundActionsAndComments() throws TemplateException {
        assertThat(run("a  {{- .Id -}}  \n b")).isEqualTo("aabc123b");
        assertThat(run("{{range .Config.Env -}}\n  {{.}}\n{{- end}}")).isEqualTo("A=1B=2");
        assertThat(run("x {{/* a comment */}} y {{- /* trimmed */ -}} z")).isEqualTo("x  yz");
        assertThat(run("{{-3}}")).isEqualTo("-3");
    }

    @Test
    void dotIsTheWholeValue() throws TemplateException {
        assertThat(GoTemplate.parse("t", "{{.}}").execute(ImageJson.MAPPER.readTree("\"s\""))).isEqualTo("s");
        assertThat(GoTemplate.parse("t", "{{.}}").execute(ImageJson.MAPPER.readTree("[1,\"a\",null]"))).isEqualTo("[1 a []]");
        assertThat(GoTemplate.parse("t", "{{json .}}").execute(ImageJson.MAPPER.readTree("{\"b\":1,\"a\":[true]}")))
                .isEqualTo("{\"b\":1,\"a\":[true]}");
    }

    @Test
    void headerRowsPassTitlesThroughDockersTextFunctions() throws TemplateException {
        JsonNode titles = ImageJson.MAPPER.readTree("{\"ID\":\"CONTAINER ID\",\"Names\":\"NAMES\"}");
        GoTemplate t = GoTemplate.parse("ps", "{{.ID}}\t{{lower .Names}}\t{{.Names | json}}\t{{printf \"%.4s\" .ID}}");
        assertThat(t.executeHeader(titles)).isEqualTo("CONTAINER ID\tNAMES\tNAMES\tCONT");
        assertThat(t.execute(ImageJson.MAPPER.readTree("{\"ID\":\"abcdef\",\"Names\":\"Web\"}"))).isEqualTo("abcdef\tweb\t\"Web\"\tabcd");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', textBlock = """
            {{.Id                        => template: test:1:0: unclosed action
            {{.Id}} {{                   => template: test:1:8: unclosed action
            {{foo .Id}}                  => template: test:1:2: function "foo" not defined
            {{if .Id}}x                  => template: test:1:2: unexpected EOF: {{if}} has no {{end}}
            {{end}}                      => template: test:1:2: unexpected {{end}}
            {{else}}                     => template: test:1:2: unexpected {{else}}
            {{}}                         => template: test:1:2: missing value for command
            {{if}}{{end}}                => template: test:1:4: missing value for if
            {{$x}}                       => template: test:1:2: undefined variable "$x"
            {{range .Mounts}}{{end}}{{$x = 1}} => template: test:1:26: undefined variable "$x"
            {{break}}                    => template: test:1:2: {{break}} outside {{range}}
            {{(.Id}}                     => template: test:1:6: unclosed left paren
            {{.Id)}}                     => template: test:1:5: unexpected right paren
            {{.Id | "x"}}                => template: test:1:8: non executable command in pipeline stage 2
            {{"abc}}                     => template: test:1:2: unterminated quoted string
            {{"\\q"}}                    => template: test:1:2: invalid syntax: unknown escape \\q in "\\q"
            {{12ab}}                     => template: test:1:2: bad number syntax: "12ab"
            {{.Id@}}                     => template: test:1:5: unrecognized character in action: U+0040 '@'
            {{define "x"}}{{end}}        => template: test:1:2: {{define}} is not supported
            {{/* open                    => template: test:1:0: unclosed comment
            line one\\n{{.Id | | json}}   => template: test:2:8: missing value for command
            """)
    void parseErrorsNameTheTemplateAndThePlace(String template, String message) {
        assertThatThrownBy(() -> GoTemplate.parse("test", template.replace("\\n", "\n")))
                .isInstanceOf(TemplateException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', textBlock = """
            {{.Nope}}                    => template: test:1:2: executing "test" at <.Nope>: can't evaluate field Nope
            {{.State.Nope.X}}            => template: test:1:2: executing "test" at <.State.Nope.X>: nil pointer evaluating interface {}.X
            {{.Config.Entrypoint.X}}     => template: test:1:2: executing "test" at <.Config.Entrypoint.X>: nil pointer evaluating interface {}.X
            {{.Id.X}}                    => template: test:1:2: executing "test" at <.Id.X>: can't evaluate field X in type string
            {{.Id 1}}                    => template: test:1:2: executing "test" at <.Id>: can't give argument to non-function .Id
            {{index .Config.Cmd 5}}      => template: test:1:2: executing "test" at <index>: error calling index: index out of range: 5
            {{index .Config.Labels 1}}   => template: test:1:2: executing "test" at <index>: error calling index: value has type int; should be string
            {{join .Id ","}}             => template: test:1:2: executing "test" at <join>: wrong type for value; expected []string; got string
            {{upper .State.Pid}}         => template: test:1:2: executing "test" at <upper>: wrong type for value; expected string; got int
            {{eq .Id 1}}                 => template: test:1:2: executing "test" at <eq>: error calling eq: incompatible types for comparison
            {{eq .Mounts 1}}             => template: test:1:2: executing "test" at <eq>: error calling eq: non-comparable type
            {{lt true false}}            => template: test:1:2: executing "test" at <lt>: error calling lt: invalid type for comparison
            {{len 3}}                    => template: test:1:2: executing "test" at <len>: error calling len: len of type int
            {{join .Config.Cmd}}         => template: test:1:2: executing "test" at <join>: wrong number of args for join: want 2 got 1
            {{range .Id}}{{end}}         => template: test:1:8: executing "test" at <.Id>: range can't iterate over abc123
            {{nil}}                      => template: test:1:2: executing "test" at <nil>: nil is not a command
            x\\n  {{(index .Mounts 0).Nope.Y}} => template: test:2:4: executing "test" at <(index .Mounts 0).Nope.Y>: nil pointer evaluating interface {}.Y
            """)
    void executionErrorsNameTheTemplateThePlaceAndTheOperand(String template, String message) {
        assertThatThrownBy(() -> run(template.replace("\\n", "\n")))
                .isInstanceOf(TemplateException.class)
                .hasMessage(message);
    }
}
