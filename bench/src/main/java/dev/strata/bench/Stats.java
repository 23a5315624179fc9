package dev.strata.bench;

import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** Summary of the successful measured runs of one row for one operation and storage kind. */
record Stats(int n, double median, double min, double max, double syncMedian, double dirtyMiBMedian,
             double cpuMedian, double otherCpuMedian, double perUnitMedian, double diskKiBPerUnitMedian) {

    static Optional<Stats> of(List<Sample> samples) {
        List<Sample> ok = samples.stream().filter(s -> s.phase() == Sample.Phase.MEASURED && s.ok()).toList();
        if (ok.isEmpty()) {
            return Optional.empty();
        }
        double[] secs = sorted(ok, Sample::seconds);
        List<Sample> withDisk = ok.stream().filter(s -> s.diskKiB() >= 0).toList();
        return Optional.of(new Stats(ok.size(), median(secs), secs[0], secs[secs.length - 1],
                median(sorted(ok, s -> s.seconds() + s.syncSeconds())),
                median(sorted(ok, s -> s.dirtyKiB() / 1024.0)),
                median(sorted(ok, Sample::cpuSeconds)),
                median(sorted(ok, Sample::otherCpuSeconds)),
                median(sorted(ok, s -> s.seconds() / Math.max(1, s.units()))),
                withDisk.isEmpty() ? -1 : median(sorted(withDisk, s -> (double) s.diskKiB() / Math.max(1, s.units())))));
    }

    /** Median of sorted values; the mean of the middle two for an even count. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] sorted(List<Sample> s, ToDoubleFunction<Sample> f) {
        return s.stream().mapToDouble(f).sorted().toArray();
    }
}
