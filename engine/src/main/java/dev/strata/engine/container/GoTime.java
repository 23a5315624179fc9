package dev.strata.engine.container;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** Times as Docker's JSON writes them: Go's RFC 3339 with nanoseconds, trailing zeros trimmed, in UTC. */
final class GoTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    static final String ZERO = "0001-01-01T00:00:00Z";

    private GoTime() {
    }

    static String format(Instant t) {
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        if (t.getNano() != 0) {
            String nanos = String.format("%09d", t.getNano());
            int end = nanos.length();
            while (nanos.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(nanos, 0, end);
        }
        return b.append('Z').toString();
    }

    static String format(Optional<Instant> t) {
        return t.map(GoTime::format).orElse(ZERO);
    }
}
