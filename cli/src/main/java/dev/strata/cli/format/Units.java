package dev.strata.cli.format;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sizes, durations and times printed and parsed exactly as the {@code docker} CLI does (docker/go-units v0.5.0, as
 * vendored by docker/cli), so that columns such as {@code SIZE} and {@code CREATED} match byte for byte.
 */
public final class Units {
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z", Locale.ROOT);

    private static final String[] DECIMAL_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern HEX_FLOAT = Pattern.compile(
            "[+-]?0[xX](?:[0-9a-fA-F]+(?:\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+");

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

    private Units() {
    }

    /**
     * A size as docker prints it in {@code images}, {@code ps -s}, {@code history} and {@code system df}:
     * decimal units, three significant digits ({@code HumanSizeWithPrecision(size, 3)}): 12 is {@code 12B},
     * 1880 is {@code 1.88kB}, 131000000 is {@code 131MB}.
     */
    public static String humanSize(long bytes) {
        return humanSizeWithPrecision(bytes, 3);
    }

    /** go-units {@code HumanSizeWithPrecision}: decimal units (kB, MB, ...) and {@code precision} significant digits. */
    public static String humanSizeWithPrecision(double size, int precision) {
        return scaled(size, 1000.0, DECIMAL_UNITS, precision);
    }

    /** go-units {@code BytesSize}: binary units (KiB, MiB, ...), four significant digits, e.g. {@code 3.42GiB}. */
    public static String bytesSize(double size) {
        return scaled(size, 1024.0, BINARY_UNITS, 4);
    }

    private static String scaled(double size, double base, String[] units, int precision) {
        int i = 0;
        while (size >= base && i < units.length - 1) {
            size = size / base;
            i++;
        }
        return GoFloat.formatG(size, precision) + units[i];
    }

    /**
     * Parses an amount of memory in binary units as docker's {@code --memory} and {@code --shm-size} do
     * (go-units {@code RAMInBytes}): {@code 10m} is 10 MiB, {@code 1g} is 1 GiB, {@code 512} is bytes. Units
     * are case-insensitive and may end in {@code b} or {@code ib}; one space may separate number and unit.
     *
     * @throws NumberFormatException naming the input, for anything else (including negative sizes)
     */
    public static long ramInBytes(String size) {
        return parseSize(size, 1024L);
    }

    /** Like {@link #ramInBytes} but in decimal units (go-units {@code FromHumanSize}): {@code 32k} is 32000. */
    public static long fromHumanSize(String size) {
        return parseSize(size, 1000L);
    }

    private static long parseSize(String text, long base) {
        int sep = -1;
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || c == '.' || c == ' ') {
                sep = i;
                break;
            }
        }
        if (sep < 0) {
            throw invalidSize(text);
        }
        String number = text.charAt(sep) == ' ' ? text.substring(0, sep) : text.substring(0, sep + 1);
        String suffix = text.substring(sep + 1);
        if (!DECIMAL_FLOAT.matcher(number).matches() && !HEX_FLOAT.matcher(number).matches()) {
            throw invalidSize(text);
        }
        double size = Double.parseDouble(number);
        if (size < 0 || Double.isInfinite(size)) {
            throw invalidSize(text);
        }
        if (!suffix.isEmpty()) {
            if (suffix.length() > 3) {
                throw new NumberFormatException("invalid suffix: '" + suffix + "'");
            }
            String unit = suffix.toLowerCase(Locale.ROOT);
            if (unit.charAt(0) == 'b') {
                if (unit.length() > 1) {
                    throw invalidSuffix(suffix);
                }
            } else {
                int power = "kmgtp".indexOf(unit.charAt(0));
                if (power < 0 || (unit.length() == 2 && unit.charAt(1) != 'b')
                        || (unit.length() == 3 && !unit.substring(1).equals("ib"))) {
                    throw invalidSuffix(suffix);
                }
                long multiplier = 1;
                for (int i = 0; i <= power; i++) {
                    multiplier *= base;
                }
                size *= multiplier;
            }
        }
        if (size >= 0x1p63) {
            throw new NumberFormatException("invalid size: '" + text + "': too large");
        }
        return (long) size;
    }

    private static NumberFormatException invalidSize(String text) {
        return new NumberFormatException("invalid size: '" + text + "'");
    }

    private static NumberFormatException invalidSuffix(String suffix) {
        return new NumberFormatException("invalid suffix: '" + suffix.toLowerCase(Locale.ROOT) + "'");
    }

    /**
     * An approximate duration as docker prints it (go-units {@code HumanDuration}): "Less than a second",
     * "1 second", "About a minute", "2 minutes", "About an hour", "2 hours", "2 days", "2 weeks",
     * "2 months", "2 years". Durations beyond Go's range (about 292 years) are clamped to it, as Go does.
     */
    public static String humanDuration(Duration duration) {
        long ns = saturatedNanos(duration);
        long seconds = (long) goUnits(ns, NANOS_PER_SECOND);
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = (long) goUnits(ns, NANOS_PER_MINUTE);
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = (long) (goUnits(ns, NANOS_PER_HOUR) + 0.5);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return (long) goUnits(ns, NANOS_PER_HOUR) / 24 / 365 + " years";
    }

    /** docker's {@code CREATED} column: {@code humanDuration(duration) + " ago"}, e.g. {@code 2 weeks ago}. */
    public static String ago(Duration duration) {
        return humanDuration(duration) + " ago";
    }

    /** {@link #ago} for something created at {@code created}, seen at {@code now}. */
    public static String createdSince(Instant created, Instant now) {
        return ago(Duration.between(created, now));
    }

    /**
     * Go's {@code time.Unix(sec, 0).String()} in the local time zone, docker's {@code CreatedAt} of {@code images} and
     * {@code ps}: {@code 2026-11-28 02:02:28 +0000 UTC}.
     */
    public static String goTime(Instant t) {
        return GO_TIME.format(t.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.systemDefault()));
    }

    /** Go's {@code time.RFC3339} of a whole-second time in the local zone, docker's {@code history} {@code CreatedAt}. */
    public static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.systemDefault()));
    }

    /** Go's {@code Duration.Seconds()/Minutes()/Hours()}: whole units plus the fraction, in float64. */
    private static double goUnits(long ns, long unit) {
        return (double) (ns / unit) + (double) (ns % unit) / unit;
    }

    private static long saturatedNanos(Duration d) {
        if (d.getSeconds() >= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        if (d.getSeconds() <= Long.MIN_VALUE / NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        return d.toNanos();
    }
}
