package dev.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static Sample s(double secs, int exit, Sample.Phase phase) {
        return new Sample("op", StorageKind.DISK, "docker", phase, 1, secs, 0.5, 2048, secs / 2, 0, exit, 1, -1);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(new double[] {1, 2, 9})).isEqualTo(2);
        assertThat(Stats.median(new double[] {1, 2, 3, 9})).isEqualTo(2.5);
    }

    @Test
    void onlySuccessfulMeasuredRunsCount() {
        Stats st = Stats.of(List.of(
                s(10, 0, Sample.Phase.WARMUP),
                s(3, 0, Sample.Phase.MEASURED),
                s(1, 0, Sample.Phase.MEASURED),
                s(99, 1, Sample.Phase.MEASURED),
                s(2, 0, Sample.Phase.MEASURED))).orElseThrow();
        assertThat(st.n()).isEqualTo(3);
        assertThat(st.median()).isEqualTo(2);
        assertThat(st.min()).isEqualTo(1);
        assertThat(st.max()).isEqualTo(3);
        assertThat(st.syncMedian()).isEqualTo(2.5);
        assertThat(st.dirtyMiBMedian()).isEqualTo(2.0);
        assertThat(st.cpuMedian()).isEqualTo(1.0);
    }

    @Test
    void perContainerFiguresDivideByTheUnitsOfEachRun() {
        Stats st = Stats.of(List.of(
                new Sample("create-100", StorageKind.DISK, "strata", Sample.Phase.MEASURED, 1, 10, 0, 0, 1, 0, 0, 100, 4000),
                new Sample("create-100", StorageKind.DISK, "strata", Sample.Phase.MEASURED, 2, 30, 0, 0, 1, 0, 0, 100, 6000),
                new Sample("create-100", StorageKind.DISK, "strata", Sample.Phase.STRACE, 1, 99, 0, 0, 1, 0, 0, 100, 9999)))
                .orElseThrow();
        assertThat(st.perUnitMedian()).isEqualTo(0.2);
        assertThat(st.diskKiBPerUnitMedian()).isEqualTo(50);
        assertThat(s(1, 0, Sample.Phase.MEASURED).diskKiB()).isEqualTo(-1);
        assertThat(Stats.of(List.of(s(1, 0, Sample.Phase.MEASURED))).orElseThrow().diskKiBPerUnitMedian()).isEqualTo(-1);
    }

    @Test
    void noSuccessfulRunsGiveNoStats() {
        assertThat(Stats.of(List.of(s(1, 2, Sample.Phase.MEASURED)))).isEmpty();
    }
}
