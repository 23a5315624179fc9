package dev.strata.bench;

/**
 * One timed run of one operation by one row (a tool, or a tool's variant such as "docker (buildkit)").
 *
 * @param tool        the row's name
 * @param seconds     wall time of the command, process start to exit
 * @param syncSeconds wall time of the sync(1) run right after it: what it costs to make the run's writes durable
 * @param dirtyKiB    Dirty + Writeback from /proc/meminfo right after exit (the page cache was clean at start):
 *                    how much the tool left for the kernel to write back; 0 on tmpfs, whose pages are not counted
 * @param cpuSeconds  user + system CPU of the command's processes (and of dockerd meanwhile); -1 if unknown
 * @param otherCpuSeconds CPU the rest of the machine used meanwhile (all CPUs' busy time minus cpuSeconds):
 *                    other people's work, but also kernel threads doing the command's write-back
 * @param units       items the run made (containers for create-N), for per-item figures; 1 otherwise
 * @param diskKiB     growth of the tool's store directory over the run ({@code du -skx} before and after, after a
 *                    sync, untimed); -1 when not measured
 */
record Sample(String op, StorageKind storage, String tool, Phase phase, int index, double seconds, double syncSeconds,
              long dirtyKiB, double cpuSeconds, double otherCpuSeconds, int exit, int units, long diskKiB) {
    /** Warm-up and measured runs, and the one extra run under strace ({@code --strace}), never in the statistics. */
    enum Phase { WARMUP, MEASURED, STRACE }

    boolean ok() {
        return exit == 0;
    }
}
