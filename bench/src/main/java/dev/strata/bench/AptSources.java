package dev.strata.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Debian mirror this machine's apt uses, read from its sources ({@code /etc/apt/sources.list} one-line entries and
 * {@code /etc/apt/sources.list.d/*.sources} deb822 stanzas), so the benchmark's Debian rootfs comes from where the
 * machine's packages come from and the repository names no mirror.
 */
final class AptSources {
    static final Path APT = Path.of("/etc/apt");

    private AptSources() {
    }

    /** The URI of the first {@code deb} source that serves {@code suite}, in the machine's apt sources. */
    static Optional<String> mirror(String suite) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(APT.resolve("sources.list"))) {
            files.add(APT.resolve("sources.list"));
        }
        Path dir = APT.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{list,sources}")) {
                List<Path> sorted = new ArrayList<>();
                ds.forEach(sorted::add);
                sorted.sort(null);
                files.addAll(sorted);
            }
        }
        return mirror(files, suite);
    }

    static Optional<String> mirror(List<Path> files, String suite) throws IOException {
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            Optional<String> found = f.toString().endsWith(".sources") ? fromStanzas(lines, suite) : fromLines(lines, suite);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** {@code deb [options] URI suite component...} */
    private static Optional<String> fromLines(List<String> lines, String suite) {
        for (String line : lines) {
            String l = line.replaceAll("\\[[^]]*]", " ").strip();
            String[] f = l.split("\\s+");
            if (f.length >= 3 && f[0].equals("deb") && f[2].equals(suite)) {
                return Optional.of(f[1]);
            }
        }
        return Optional.empty();
    }

    /** Stanzas of {@code Field: value} lines separated by blank lines; {@code #} starts a comment. */
    private static Optional<String> fromStanzas(List<String> lines, String suite) {
        List<String> types = List.of();
        List<String> uris = List.of();
        List<String> suites = List.of();
        List<String> all = new ArrayList<>(lines);
        all.add("");
        for (String line : all) {
            if (line.isBlank()) {
                if (types.contains("deb") && suites.contains(suite) && !uris.isEmpty()) {
                    return Optional.of(uris.getFirst());
                }
                types = List.of();
                uris = List.of();
                suites = List.of();
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            List<String> values = List.of(line.substring(colon + 1).strip().split("\\s+"));
            switch (line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT)) {
                case "types" -> types = values;
                case "uris" -> uris = values;
                case "suites" -> suites = values;
                default -> {
                }
            }
        }
        return Optional.empty();
    }
}
