package dev.strata.archive;

/**
 * One change of a layer against its parent, as {@code docker diff} prints it.
 *
 * @param path absolute path inside the container, "/" separated (e.g. {@code /etc/passwd})
 */
public record Change(String path, Kind kind) {
    /** Added, changed or deleted. */
    public enum Kind {
        ADD("A"), MODIFY("C"), DELETE("D");

        private final String letter;

        Kind(String letter) {
            this.letter = letter;
        }

        /** The letter Docker prints: A, C or D. */
        public String letter() {
            return letter;
        }
    }

    @Override
    public String toString() {
        return kind.letter + " " + path;
    }
}
