package dev.strata.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by the measured commands, which a busy machine distorts far less than wall time: the
 * harness's reaped children (getrusage RUSAGE_CHILDREN, which includes their own reaped children) plus, for
 * docker, what dockerd spent meanwhile (/proc/PID/stat, its reaped children included).
 */
final class Cpu {
    private static final int RUSAGE_CHILDREN = -1;
    private static final long TICKS_PER_SECOND = 100; // USER_HZ, fixed at 100 in the Linux ABI for /proc
    private static final MethodHandle GETRUSAGE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getrusage").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private Cpu() {
    }

    /** User + system CPU of all reaped children of this JVM so far, in microseconds; -1 if unknown. */
    static long childrenMicros() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ru = arena.allocate(144); // struct rusage on x86_64 and aarch64
            int rc = (int) GETRUSAGE.invokeExact(RUSAGE_CHILDREN, ru);
            if (rc != 0) {
                return -1;
            }
            // ru_utime and ru_stime: struct timeval {long tv_sec; long tv_usec;}
            return ru.get(JAVA_LONG, 0) * 1_000_000 + ru.get(JAVA_LONG, 8)
                    + ru.get(JAVA_LONG, 16) * 1_000_000 + ru.get(JAVA_LONG, 24);
        } catch (Throwable t) {
            return -1;
        }
    }

    /** utime + stime + cutime + cstime of a live process, in microseconds; -1 if unknown. */
    static long processMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the parenthesised command name; utime is field 14 overall, i.e. index 11 here
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * 1_000_000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
