package dev.strata.cli.command;

import dev.strata.cli.format.Table;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.image.ImageSummary;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.reference.Reference;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "images", description = "List images.")
public class ImagesCommand extends StoreCommand {
    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only images with this repository (and tag).")
    String repository;

    @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = "--digests", description = "Show digests.")
    boolean digests;

    @Option(names = {"-f", "--filter"}, paramLabel = "FILTER", description = "Filter output: dangling=true|false, reference=PATTERN.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: table (default) or json.")
    String format = "table";

    @Override
    int run(Strata strata) throws IOException, StrataException {
        Boolean dangling = null;
        List<String> referencePatterns = new ArrayList<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            String key = eq < 0 ? f : f.substring(0, eq);
            String value = eq < 0 ? "" : f.substring(eq + 1);
            switch (key) {
                case "dangling" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new InvalidArgumentException("invalid filter \"" + f + "\": dangling takes true or false");
                    }
                    dangling = Boolean.parseBoolean(value);
                }
                case "reference" -> referencePatterns.add(value);
                default -> throw new InvalidArgumentException("invalid filter \"" + f + "\": supported filters are dangling and reference");
            }
        }
        if (repository != null) {
            referencePatterns.add(repository);
        }
        List<Row> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (ImageSummary image : strata.images().list(all)) {
            if (dangling != null && dangling != image.dangling()) {
                continue;
            }
            rows.addAll(rowsOf(image, referencePatterns));
        }
        if (format.equals("json")) {
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Containers", "N/A");
                m.put("CreatedAt", r.image.created().toString());
                m.put("CreatedSince", Units.humanDuration(Duration.between(r.image.created(), now)) + " ago");
                m.put("Digest", r.digest);
                m.put("ID", r.image.id().shortHex());
                m.put("Repository", r.repository);
                m.put("SharedSize", "N/A");
                m.put("Size", Units.humanSize(r.image.size()));
                m.put("Tag", r.tag);
                m.put("UniqueSize", "N/A");
                m.put("VirtualSize", Units.humanSize(r.image.size()));
                out().println(Json.compact(m));
            }
            return 0;
        }
        if (!format.equals("table")) {
            throw new InvalidArgumentException("unsupported --format \"" + format + "\": use table or json");
        }
        if (quiet) {
            Set<String> seen = new LinkedHashSet<>();
            for (Row r : rows) {
                seen.add(noTrunc ? r.image.id().toString() : r.image.id().shortHex());
            }
            seen.forEach(out()::println);
            return 0;
        }
        List<String> header = new ArrayList<>(List.of("REPOSITORY", "TAG"));
        if (digests) {
            header.add("DIGEST");
        }
        header.addAll(List.of("IMAGE ID", "CREATED", "SIZE"));
        Table table = Table.docker();
        table.row(header);
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.repository, r.tag));
            if (digests) {
                cells.add(r.digest);
            }
            cells.add(noTrunc ? r.image.id().toString() : r.image.id().shortHex());
            cells.add(Units.humanDuration(Duration.between(r.image.created(), now)) + " ago");
            cells.add(Units.humanSize(r.image.size()));
            table.row(cells);
        }
        out().print(table.render());
        return 0;
    }

    private record Row(ImageSummary image, String repository, String tag, String digest) {
    }

    /** One row per tag, as docker prints; an image with digests but no tag shows its repository and {@code <none>}. */
    private static List<Row> rowsOf(ImageSummary image, List<String> patterns) {
        List<Row> rows = new ArrayList<>();
        Map<String, String> digestByRepo = new LinkedHashMap<>();
        for (Reference d : image.repoDigests()) {
            digestByRepo.putIfAbsent(d.familiarName(), d.digest().map(Object::toString).orElse("<none>"));
        }
        for (Reference t : image.tags()) {
            if (matches(t, patterns)) {
                rows.add(new Row(image, t.familiarName(), t.tag().orElse("<none>"), digestByRepo.getOrDefault(t.familiarName(), "<none>")));
            }
        }
        Set<String> taggedRepos = new LinkedHashSet<>();
        image.tags().forEach(t -> taggedRepos.add(t.familiarName()));
        for (Reference d : image.repoDigests()) {
            if (!taggedRepos.contains(d.familiarName()) && matches(d, patterns)) {
                rows.add(new Row(image, d.familiarName(), "<none>", d.digest().map(Object::toString).orElse("<none>")));
                taggedRepos.add(d.familiarName());
            }
        }
        if (image.tags().isEmpty() && image.repoDigests().isEmpty() && patterns.isEmpty()) {
            rows.add(new Row(image, "<none>", "<none>", "<none>"));
        }
        return rows;
    }

    /** docker's reference filter: a glob over the familiar name, with or without a tag. */
    private static boolean matches(Reference ref, List<String> patterns) {
        for (String p : patterns) {
            String withTag = ref.familiarString();
            String name = ref.familiarName();
            if (!(glob(p, withTag) || glob(p, name))) {
                return false;
            }
        }
        return true;
    }

    private static boolean glob(String pattern, String text) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches(re.toString());
    }
}
