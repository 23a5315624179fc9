package dev.strata.engine.container;

import dev.strata.error.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as {@code kill -s} and {@code STOPSIGNAL} take them (Linux numbering, as Docker's). */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> NAMES = new LinkedHashMap<>();

    static {
        String[] names = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
            "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
            "PWR", "SYS"};
        for (int i = 0; i < names.length; i++) {
            NAMES.put(names[i], i + 1);
        }
        NAMES.put("IOT", 6);
        NAMES.put("CLD", 17);
        NAMES.put("POLL", 29);
        NAMES.put("RTMIN", 34);
        for (int i = 1; i <= 15; i++) {
            NAMES.put("RTMIN+" + i, 34 + i);
            NAMES.put("RTMAX-" + i, 64 - i);
        }
        NAMES.put("RTMAX", 64);
    }

    private Signals() {
    }

    /** {@code KILL}, {@code SIGKILL}, {@code sigkill} or {@code 9}. */
    public static int parse(String text) throws InvalidArgumentException {
        String t = text == null ? "" : text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                int n = Integer.parseInt(t);
                if (n >= 1 && n <= 64) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // too large: invalid below
            }
            throw new InvalidArgumentException("Invalid signal: " + text);
        }
        String name = t.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer n = NAMES.get(name);
        if (n == null) {
            throw new InvalidArgumentException("Invalid signal: " + text);
        }
        return n;
    }
}
