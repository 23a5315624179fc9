package dev.strata.engine.build;

import dev.strata.error.InvalidArgumentException;
import java.util.Optional;

/**
 * A Dockerfile that cannot be built as written: a syntax error, an unknown instruction or flag, a missing
 * argument, a bad substitution, a COPY source that is not in the context. The message starts with the file and
 * line, as Docker's do: {@code Dockerfile:7: unknown instruction: FORM}.
 */
public class DockerfileException extends InvalidArgumentException {
    private final String file;
    private final int line;
    private final String instruction;
    private final String detail;

    /**
     * @param file        the Dockerfile's name
     * @param line        the 1-based line of the instruction, 0 when the error concerns the whole file
     * @param instruction the instruction's keyword in upper case ({@code COPY}), "" when there is none
     * @param detail      what is wrong, without the location
     */
    public DockerfileException(String file, int line, String instruction, String detail) {
        super(line > 0 ? file + ":" + line + ": " + detail : file + ": " + detail);
        this.file = file;
        this.line = line;
        this.instruction = instruction;
        this.detail = detail;
    }

    static DockerfileException at(SourceLocation where, String instruction, String detail) {
        return new DockerfileException(where.file(), where.startLine(), instruction, detail);
    }

    public String file() {
        return file;
    }

    /** The 1-based line, 0 for errors about the whole file. */
    public int line() {
        return line;
    }

    /** The keyword of the failing instruction, when there is one. */
    public Optional<String> instruction() {
        return instruction.isEmpty() ? Optional.empty() : Optional.of(instruction);
    }

    /** The message without {@code file:line: }. */
    public String detail() {
        return detail;
    }
}
