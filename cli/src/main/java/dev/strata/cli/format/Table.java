package dev.strata.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table laid out like the {@code docker} CLI's table output, which goes through Go's
 * {@code text/tabwriter} with {@code NewWriter(out, 10, 1, 3, ' ', 0)}: every cell but the last one in a line
 * is padded with spaces to its column's width, which is the widest cell in the column plus 3, and at least
 * 10; the last cell of a line is written as it is. Widths count code points, as tabwriter counts runes.
 *
 * <p>The layout follows tabwriter's rules exactly, including its column blocks: a column spans the
 * consecutive lines that have a cell in it, and a line with no tab ends the table above it. Cell text
 * holding a tab or newline therefore splits cells as it would in docker.
 *
 * <pre>{@code
 * Table t = Table.docker();
 * t.row("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
 * t.row("hello-world", "latest", "feb5d9fea6a5", "2 years ago", "13.3kB");
 * out.print(t.render());
 * }</pre>
 */
public final class Table {
    /** docker/cli formatter settings: minimum cell width 10, padding 3. */
    public static final int DOCKER_MIN_WIDTH = 10;
    public static final int DOCKER_PADDING = 3;

    private final int minWidth;
    private final int padding;
    private final StringBuilder text = new StringBuilder();

    public Table(int minWidth, int padding) {
        if (minWidth < 0 || padding < 0) {
            throw new IllegalArgumentException("minWidth and padding must not be negative");
        }
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** A table with docker's settings. */
    public static Table docker() {
        return new Table(DOCKER_MIN_WIDTH, DOCKER_PADDING);
    }

    /** Adds a line: the cells joined by tabs and ended by a newline, as docker's table templates produce. */
    public Table row(String... cells) {
        return row(List.of(cells));
    }

    /** Adds a line: the cells joined by tabs and ended by a newline. */
    public Table row(List<String> cells) {
        text.append(String.join("\t", cells)).append('\n');
        return this;
    }

    /** The aligned text of every row added so far. */
    public String render() {
        return align(text, minWidth, padding);
    }

    @Override
    public String toString() {
        return render();
    }

    /** Aligns tab-separated text with docker's settings. */
    public static String align(CharSequence text) {
        return align(text, DOCKER_MIN_WIDTH, DOCKER_PADDING);
    }

    /**
     * Aligns tab-separated text as Go's {@code tabwriter.NewWriter(out, minWidth, 1, padding, ' ', 0)} would,
     * written and then flushed.
     */
    public static String align(CharSequence text, int minWidth, int padding) {
        return new Layout(text, minWidth, padding).run();
    }

    /** One tabwriter pass over some text; cells refer to ranges of that text. */
    private static final class Layout {
        private record Cell(int start, int end, int width) {
        }

        private final CharSequence text;
        private final int minWidth;
        private final int padding;
        private final StringBuilder out = new StringBuilder();
        private final List<Integer> widths = new ArrayList<>();
        private List<List<Cell>> lines = new ArrayList<>();
        private int cellStart;

        Layout(CharSequence text, int minWidth, int padding) {
            this.text = text;
            this.minWidth = minWidth;
            this.padding = padding;
        }

        String run() {
            lines.add(new ArrayList<>());
            cellStart = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\t' || c == '\u000b' || c == '\n' || c == '\f') {
                    List<Cell> line = lines.getLast();
                    line.add(cell(cellStart, i));
                    cellStart = i + 1;
                    if (c == '\n' || c == '\f') {
                        lines.add(new ArrayList<>());
                        // A line of one cell does not take part in any column: what came before is final.
                        if (c == '\f' || line.size() == 1) {
                            flush(i + 1);
                        }
                    }
                }
            }
            flush(text.length());
            return out.toString();
        }

        private Cell cell(int start, int end) {
            return new Cell(start, end, Character.codePointCount(text, start, end));
        }

        /** Lays out the buffered lines; {@code end} is where the unterminated last cell ends. */
        private void flush(int end) {
            if (end > cellStart) {
                lines.getLast().add(cell(cellStart, end));
                cellStart = end;
            }
            format(0, lines.size());
            lines = new ArrayList<>();
            lines.add(new ArrayList<>());
            widths.clear();
        }

        /** Fixes the width of column {@code widths.size()} block by block, recursing into the columns right of it. */
        private void format(int line0, int line1) {
            int column = widths.size();
            for (int i = line0; i < line1; i++) {
                if (column >= lines.get(i).size() - 1) {
                    continue;
                }
                // lines line0..i-1 have no cell in this column: print them
                writeLines(line0, i);
                line0 = i;
                int width = minWidth;
                for (; i < line1; i++) {
                    List<Cell> line = lines.get(i);
                    if (column >= line.size() - 1) {
                        break;
                    }
                    width = Math.max(width, line.get(column).width() + padding);
                }
                widths.add(width);
                format(line0, i);
                widths.removeLast();
                line0 = i;
            }
            writeLines(line0, line1);
        }

        private void writeLines(int line0, int line1) {
            for (int i = line0; i < line1; i++) {
                List<Cell> line = lines.get(i);
                for (int j = 0; j < line.size(); j++) {
                    Cell c = line.get(j);
                    out.append(text, c.start(), c.end());
                    if (j < widths.size()) {
                        out.repeat(' ', widths.get(j) - c.width());
                    }
                }
                if (i + 1 < lines.size()) {
                    out.append('\n');
                }
            }
        }
    }
}
