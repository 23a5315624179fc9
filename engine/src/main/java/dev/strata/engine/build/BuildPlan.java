package dev.strata.engine.build;

import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which stages a build runs, and in what order: the target (the last stage, or {@code --target NAME}) and the
 * stages it depends on through {@code FROM <stage>} and {@code COPY --from=<stage name|index>}, in Dockerfile
 * order; every other stage is skipped (as BuildKit does; the classic builder ran them all).
 *
 * <p>References are resolved as Docker does: FROM lines are substituted with the meta ARGs; a FROM or
 * {@code --from} name that is not an earlier stage's name is an image reference (so {@code COPY --from=nginx}
 * copies from the nginx image, and a mistyped stage name shows up as an image that cannot be found); a
 * {@code --from} number is a stage index and must be an earlier stage; {@code --from} is never substituted.
 *
 * @param target the stage whose image is the build's result
 * @param stages the stages to build, the target last
 */
public record BuildPlan(Dockerfile dockerfile, PlannedStage target, List<PlannedStage> stages) {
    private static final Pattern GO_INT = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern IMAGE_ID = Pattern.compile("(sha256:)?[a-f0-9]{64}");

    public BuildPlan {
        stages = List.copyOf(stages);
    }

    /** What a stage starts from, or a {@code COPY --from} copies from. */
    public sealed interface Source {
    }

    /** {@code FROM scratch}: an empty file system. */
    public record Scratch() implements Source {
    }

    /** The result of an earlier stage. */
    public record StageOutput(int index) implements Source {
    }

    /**
     * An image: a reference to look up locally or pull, or an image ID.
     *
     * @param name as written (after substitution), e.g. {@code ubuntu:24.04}
     */
    public record Image(String name) implements Source {
    }

    /**
     * A stage of the plan.
     *
     * @param base     what it starts from
     * @param baseName its FROM image after substitution
     * @param platform its {@code --platform} after substitution
     */
    public record PlannedStage(Stage stage, String baseName, Source base, Optional<String> platform) {
    }

    /**
     * Plans a build of {@code dockerfile}.
     *
     * @param target the {@code --target} stage name (case-insensitive); empty for the last stage
     * @param args   the build's ARGs with the meta ARGs evaluated ({@link BuildArgs#withMetaArgs})
     */
    public static BuildPlan of(Dockerfile dockerfile, Optional<String> target, BuildArgs args) throws DockerfileException {
        List<Stage> all = dockerfile.stages();
        List<PlannedStage> planned = new ArrayList<>();
        for (Stage stage : all) {
            planned.add(plan(stage, planned, args));
        }
        int targetIndex = all.size() - 1;
        if (target.isPresent()) {
            targetIndex = dockerfile.stage(target.get()).map(Stage::index).orElseThrow(() -> new DockerfileException(
                    dockerfile.file(), 0, "", "target stage \"" + target.get() + "\" could not be found"));
        }
        BitSet needed = new BitSet();
        need(targetIndex, planned, needed, dockerfile);
        List<PlannedStage> order = new ArrayList<>();
        for (int i = needed.nextSetBit(0); i >= 0; i = needed.nextSetBit(i + 1)) {
            order.add(planned.get(i));
        }
        return new BuildPlan(dockerfile, planned.get(targetIndex), order);
    }

    private static PlannedStage plan(Stage stage, List<PlannedStage> earlier, BuildArgs args) throws DockerfileException {
        String base = args.expandFromLine(stage.baseName(), stage.location());
        if (base.isEmpty()) {
            throw DockerfileException.at(stage.location(), "FROM", "base name (" + stage.baseName() + ") should not be blank");
        }
        Optional<String> platform = Optional.empty();
        if (stage.platform().isPresent()) {
            String p = args.expandFromLine(stage.platform().get(), stage.location());
            if (p.isEmpty()) {
                throw DockerfileException.at(stage.location(), "FROM",
                        "empty platform value from expression " + stage.platform().get());
            }
            platform = Optional.of(p);
        }
        Source source;
        Optional<PlannedStage> named = earlier.stream()
                .filter(s -> s.stage().name().isPresent() && s.stage().name().get().equalsIgnoreCase(base)).findFirst();
        if (named.isPresent()) {
            source = new StageOutput(named.get().stage().index());
        } else if (base.equals("scratch")) {
            source = new Scratch();
        } else {
            source = image(base, stage.location(), "FROM");
        }
        return new PlannedStage(stage, base, source, platform);
    }

    private static Image image(String name, SourceLocation where, String keyword) throws DockerfileException {
        if (!IMAGE_ID.matcher(name).matches()) {
            try {
                Reference.parse(name);
            } catch (InvalidReferenceException e) {
                throw DockerfileException.at(where, keyword, e.getMessage());
            }
        }
        return new Image(name);
    }

    private static void need(int index, List<PlannedStage> planned, BitSet needed, Dockerfile dockerfile)
            throws DockerfileException {
        if (needed.get(index)) {
            return;
        }
        needed.set(index);
        PlannedStage p = planned.get(index);
        if (p.base() instanceof StageOutput(int base)) {
            need(base, planned, needed, dockerfile);
        }
        for (Instruction i : p.stage().instructions()) {
            if (i instanceof Instruction.Copy copy && copy.from().isPresent()) {
                if (copyFrom(dockerfile, p.stage(), copy) instanceof StageOutput(int from)) {
                    need(from, planned, needed, dockerfile);
                }
            }
        }
    }

    /** Where a {@code COPY --from} in {@code stage} of this plan copies from. */
    public Source copyFrom(Stage stage, Instruction.Copy copy) throws DockerfileException {
        return copyFrom(dockerfile, stage, copy);
    }

    static Source copyFrom(Dockerfile dockerfile, Stage stage, Instruction.Copy copy) throws DockerfileException {
        String from = copy.from().orElseThrow(() -> new IllegalArgumentException("COPY has no --from"));
        try {
            if (!dockerfile.lexer().expand(from, name -> null).equals(from)) {
                throw DockerfileException.at(copy.location(), "COPY", "variable expansion is not supported for --from, "
                        + "define a new stage with FROM using ARG from global scope as a workaround");
            }
        } catch (ShellLex.SyntaxException e) {
            throw DockerfileException.at(copy.location(), "COPY", e.getMessage());
        }
        if (GO_INT.matcher(from).matches()) {
            long index;
            try {
                index = Long.parseLong(from);
            } catch (NumberFormatException e) {
                index = Long.MAX_VALUE;
            }
            if (index == stage.index()) {
                throw DockerfileException.at(copy.location(), "COPY",
                        "invalid from flag value " + from + ": refers to current build stage");
            }
            if (index < 0 || index > stage.index()) {
                throw DockerfileException.at(copy.location(), "COPY", "invalid from flag value " + from + ": index out of bounds");
            }
            return new StageOutput((int) index);
        }
        Optional<Stage> named = dockerfile.stage(from);
        if (named.isPresent()) {
            if (named.get().index() >= stage.index()) {
                throw DockerfileException.at(copy.location(), "COPY", "cannot copy from stage \"" + from
                        + "\", it needs to be defined before current stage \"" + stage.displayName() + "\"");
            }
            return new StageOutput(named.get().index());
        }
        return image(from, copy.location(), "COPY");
    }
}
