package dev.strata.cli.command;

import dev.strata.cli.format.ListFormat;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.image.ImageSummary;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.reference.Reference;
import java.io.IOException;
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
import tools.jackson.databind.node.ObjectNode;

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

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default), json, table TEMPLATE or TEMPLATE: a Go template over ID, Repository, Tag, Digest, "
                    + "CreatedSince, CreatedAt, Size, VirtualSize, SharedSize, UniqueSize, Containers.")
    String format;

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
        // parsed before any work, so that a bad template fails at once
        ListFormat listFormat = quiet ? null : ListFormat.parse("images", format, digests ? DIGESTS_TABLE : TABLE);
        List<Row> rows = new ArrayList<>();
        for (ImageSummary image : strata.images().list(all)) {
            if (dangling != null && dangling != image.dangling()) {
                continue;
            }
            rows.addAll(rowsOf(image, referencePatterns));
        }
        if (quiet) {
            Set<String> seen = new LinkedHashSet<>();
            for (Row r : rows) {
                seen.add(noTrunc ? r.image.id().toString() : r.image.id().shortHex());
            }
            seen.forEach(out()::println);
            return 0;
        }
        Instant now = Instant.now();
        List<ObjectNode> objects = new ArrayList<>();
        for (Row r : rows) {
            objects.add(r.fields(noTrunc, now));
        }
        out().print(listFormat.render(objects, TITLES));
        return 0;
    }

    /** docker's default tables, with and without {@code --digests}. */
    private static final String TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    private static final String DIGESTS_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    /** docker's column titles of the fields. */
    private static final ObjectNode TITLES = ListFormat.object()
            .put("Containers", "CONTAINERS")
            .put("CreatedAt", "CREATED AT")
            .put("CreatedSince", "CREATED")
            .put("Digest", "DIGEST")
            .put("ID", "IMAGE ID")
            .put("Repository", "REPOSITORY")
            .put("SharedSize", "SHARED SIZE")
            .put("Size", "SIZE")
            .put("Tag", "TAG")
            .put("UniqueSize", "UNIQUE SIZE")
            .put("VirtualSize", "SIZE");

    private record Row(ImageSummary image, String repository, String tag, String digest) {
        /** The row as docker's {@code images --format} sees it, fields in its JSON's (sorted) order. */
        ObjectNode fields(boolean noTrunc, Instant now) {
            return ListFormat.object()
                    .put("Containers", "N/A")
                    .put("CreatedAt", Units.goTime(image.created()))
                    .put("CreatedSince", Units.createdSince(image.created(), now))
                    .put("Digest", digest)
                    .put("ID", noTrunc ? image.id().toString() : image.id().shortHex())
                    .put("Repository", repository)
                    .put("SharedSize", "N/A")
                    .put("Size", Units.humanSize(image.size()))
                    .put("Tag", tag)
                    .put("UniqueSize", "N/A")
                    .put("VirtualSize", Units.humanSize(image.size()));
        }
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
