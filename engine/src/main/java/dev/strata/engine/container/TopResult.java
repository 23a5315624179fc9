package dev.strata.engine.container;

import java.util.List;

/** {@code top}: the host's {@code ps} output, header and rows, for the container's processes only. */
public record TopResult(List<String> titles, List<List<String>> processes) {
}
