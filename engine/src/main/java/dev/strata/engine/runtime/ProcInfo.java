package dev.strata.engine.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What {@code /proc} says about a process, read as files (no native calls): its start time, which together with
 * the PID and the boot ID names one process for good, and the boot ID itself.
 */
public final class ProcInfo {
    private ProcInfo() {
    }

    /** Start time of {@code pid} in clock ticks since boot (field 22 of its stat file), if it exists. */
    public static OptionalLong startTime(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            // The command name in parentheses may hold spaces and parentheses: count fields after the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (rest[0].equals("Z") || rest[0].equals("X")) {
                return OptionalLong.empty(); // a zombie has exited already
            }
            return OptionalLong.of(Long.parseLong(rest[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** True when the process {@code pid} that started at {@code startTime} is still there. */
    public static boolean alive(long pid, long startTime) {
        OptionalLong now = startTime(pid);
        return now.isPresent() && now.getAsLong() == startTime;
    }

    /** This boot's ID: a process recorded under another boot ID is gone. */
    public static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The hard limit on open files of this process (what a container may be given without CAP_SYS_RESOURCE). */
    public static OptionalLong openFilesHardLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).strip().split("\\s+");
                    return f[1].equals("unlimited") ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(Long.parseLong(f[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return OptionalLong.empty();
    }
}
