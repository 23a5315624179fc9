package dev.strata.bench;

/**
 * One timed run of one operation by one tool.
 *
 * @param seconds     wall time of the command, process start to exit
 * @param syncSeconds wall time of the sync(1) run right after it: what it costs to make the run's writes durable
 * @param dirtyKiB    Dirty + Writeback from /proc/meminfo right after exit (the page cache was clean at start):
 *                    how much the tool left for the kernel to write back; 0 on tmpfs, whose pages are not counted
 */
record Sample(String op, StorageKind storage, String tool, Phase phase, int index, double seconds, double syncSeconds,
              long dirtyKiB, int exit) {
    enum Phase { WARMUP, MEASURED }

    boolean ok() {
        return exit == 0;
    }
}
