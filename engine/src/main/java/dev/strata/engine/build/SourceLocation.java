package dev.strata.engine.build;

/**
 * Where an instruction comes from.
 *
 * @param file      the Dockerfile's name as the user gave it ({@code Dockerfile}, {@code build/app.Dockerfile})
 * @param startLine the first line (1-based) of the instruction
 * @param endLine   its last line: continuation lines and heredoc bodies included
 * @param original  the instruction as written, continuation lines joined and trimmed, heredoc bodies left out:
 *                  the text for history's {@code created_by} and for error messages
 */
public record SourceLocation(String file, int startLine, int endLine, String original) {
    /** {@code file:line}, as errors and warnings start. */
    @Override
    public String toString() {
        return file + ":" + startLine;
    }
}
