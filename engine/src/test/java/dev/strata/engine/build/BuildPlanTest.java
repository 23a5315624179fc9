package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuildPlanTest {
    static final String MULTI = """
            ARG GO=1.22
            FROM golang:${GO} AS build
            RUN go build -o /out/app .

            FROM alpine AS unused
            RUN echo never built

            FROM build AS test
            RUN go test ./...

            FROM alpine AS assets
            RUN touch /logo.png

            FROM scratch
            COPY --from=build /out/app /app
            COPY --from=3 /logo.png /
            COPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/
            """;

    static BuildPlan plan(String text, Optional<String> target, Map<String, String> args) throws Exception {
        Dockerfile df = DockerfileParser.parse("Dockerfile", text);
        return BuildPlan.of(df, target, BuildArgs.of(args).withMetaArgs(df));
    }

    static List<Integer> indexes(BuildPlan p) {
        return p.stages().stream().map(s -> s.stage().index()).toList();
    }

    @Test
    void onlyTheStagesTheTargetNeeds() throws Exception {
        BuildPlan p = plan(MULTI, Optional.empty(), Map.of());
        assertThat(indexes(p)).containsExactly(0, 3, 4);
        assertThat(p.target().stage().index()).isEqualTo(4);
        assertThat(p.stages().get(0).base()).isEqualTo(new BuildPlan.Image("golang:1.22"));
        assertThat(p.stages().get(0).baseName()).isEqualTo("golang:1.22");
        assertThat(p.target().base()).isEqualTo(new BuildPlan.Scratch());
        Stage last = p.target().stage();
        List<Instruction> copies = last.instructions();
        assertThat(p.copyFrom(last, (Instruction.Copy) copies.get(0))).isEqualTo(new BuildPlan.StageOutput(0));
        assertThat(p.copyFrom(last, (Instruction.Copy) copies.get(1))).isEqualTo(new BuildPlan.StageOutput(3));
        assertThat(p.copyFrom(last, (Instruction.Copy) copies.get(2))).isEqualTo(new BuildPlan.Image("nginx:1.25"));
    }

    @Test
    void targetByName() throws Exception {
        BuildPlan test = plan(MULTI, Optional.of("TEST"), Map.of("GO", "1.21"));
        assertThat(indexes(test)).containsExactly(0, 2);
        assertThat(test.target().base()).isEqualTo(new BuildPlan.StageOutput(0));
        assertThat(test.stages().getFirst().baseName()).isEqualTo("golang:1.21");
        assertThat(indexes(plan(MULTI, Optional.of("unused"), Map.of()))).containsExactly(1);
        assertThatThrownBy(() -> plan(MULTI, Optional.of("nope"), Map.of()))
                .hasMessage("Dockerfile: target stage \"nope\" could not be found");
    }

    @Test
    void fromAStageNamedByAnArg() throws Exception {
        String text = """
                ARG VARIANT=dev
                FROM alpine AS base-dev
                FROM alpine AS base-prod
                FROM base-${VARIANT}
                """;
        assertThat(indexes(plan(text, Optional.empty(), Map.of()))).containsExactly(0, 2);
        assertThat(indexes(plan(text, Optional.empty(), Map.of("VARIANT", "prod")))).containsExactly(1, 2);
    }

    @Test
    void unknownNamesAreImagesAndBadReferencesAreErrors() throws Exception {
        BuildPlan p = plan("FROM alpine\nCOPY --from=buidl /a /b\n", Optional.empty(), Map.of());
        Stage s = p.target().stage();
        assertThat(p.copyFrom(s, (Instruction.Copy) s.instructions().getFirst())).isEqualTo(new BuildPlan.Image("buidl"));
        assertThatThrownBy(() -> plan("FROM Alpine\n", Optional.empty(), Map.of()))
                .hasMessageStartingWith("Dockerfile:1: invalid reference \"Alpine\"");
        assertThatThrownBy(() -> plan("ARG X\nFROM ${X}\n", Optional.empty(), Map.of()))
                .hasMessage("Dockerfile:2: base name (${X}) should not be blank");
        assertThatThrownBy(() -> plan("FROM --platform=$NONE a\n", Optional.empty(), Map.of()))
                .hasMessage("Dockerfile:1: empty platform value from expression $NONE");
        assertThat(plan("FROM --platform=linux/arm64 a\n", Optional.empty(), Map.of()).target().platform())
                .contains("linux/arm64");
    }

    @Test
    void copyFromErrors() {
        assertThatThrownBy(() -> plan("FROM a\nCOPY --from=0 /x /y\n", Optional.empty(), Map.of()))
                .hasMessage("Dockerfile:2: invalid from flag value 0: refers to current build stage");
        assertThatThrownBy(() -> plan("FROM a\nCOPY --from=5 /x /y\n", Optional.empty(), Map.of()))
                .hasMessage("Dockerfile:2: invalid from flag value 5: index out of bounds");
        assertThatThrownBy(() -> plan("FROM a AS first\nCOPY --from=later /x /y\nFROM b AS later\n", Optional.of("first"), Map.of()))
                .hasMessage("Dockerfile:2: cannot copy from stage \"later\", it needs to be defined before current stage \"first\"");
        assertThatThrownBy(() -> plan("FROM a AS s\nFROM b\nARG S=s\nCOPY --from=$S /x /y\n", Optional.empty(), Map.of()))
                .hasMessage("Dockerfile:4: variable expansion is not supported for --from, define a new stage with FROM "
                        + "using ARG from global scope as a workaround");
    }
}
