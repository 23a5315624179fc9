package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.LogOptions;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Fetch the logs of a container.")
public final class LogsCommand extends StoreCommand {
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");
    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+(?:\\.[0-9]*)?(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern UNIX = Pattern.compile("([0-9]+)(?:\\.([0-9]{1,9}))?");

    @Option(names = {"-f", "--follow"}, description = "Follow log output.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Number of lines to show from the end of the logs (default \"all\").")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps.")
    boolean timestamps;

    @Option(names = "--since", paramLabel = "TIME", description = "Show logs since a timestamp (2013-01-02T13:23:37Z) or relative (42m).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Show logs before a timestamp (2013-01-02T13:23:37Z) or relative (42m).")
    String until;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        Instant now = Instant.now();
        OptionalInt lines = OptionalInt.empty();
        if (!tail.equals("all")) {
            try {
                lines = OptionalInt.of(Integer.parseInt(tail));
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("invalid value for --tail: \"" + tail + "\" (a number or \"all\")");
            }
        }
        LogOptions options = new LogOptions(follow, lines, time("since", since, now), time("until", until, now), timestamps);
        out().flush();
        strata.containers().io().logs(name, options, new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
        return 0;
    }

    /** docker's forms: a Go duration before now ({@code 10m}, {@code 1h30m}), Unix seconds, or an RFC 3339 time or date. */
    static Optional<Instant> time(String what, String value, Instant now) throws InvalidArgumentException {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (DURATION.matcher(value).matches()) {
            Matcher m = DURATION_PART.matcher(value);
            BigDecimal nanos = BigDecimal.ZERO;
            while (m.find()) {
                long unit = switch (m.group(2)) {
                    case "ns" -> 1L;
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            }
            return Optional.of(now.minus(Duration.ofNanos(nanos.longValue())));
        }
        Matcher unix = UNIX.matcher(value);
        if (unix.matches()) {
            String fraction = unix.group(2) == null ? "0" : (unix.group(2) + "000000000").substring(0, 9);
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(unix.group(1)), Long.parseLong(fraction)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            // try the forms without an offset: local time
        }
        try {
            return Optional.of(LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            // a date alone?
        }
        try {
            return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException("invalid value for --" + what + ": \"" + value + "\" is neither a duration (10m), "
                    + "Unix seconds nor an RFC 3339 time (2006-01-02T15:04:05Z)");
        }
    }
}
