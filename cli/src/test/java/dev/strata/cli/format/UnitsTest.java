package dev.strata.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected strings were printed by Go 1.19's fmt and go-units' formulas, or come from go-units' own tests. */
class UnitsTest {
    static final long KB = 1000;
    static final long MB = 1000 * KB;
    static final long GB = 1000 * MB;
    static final long TB = 1000 * GB;
    static final long PB = 1000 * TB;
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;
    static final long TIB = 1024 * GIB;
    static final long PIB = 1024 * TIB;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0|0B", "1|1B", "12|12B", "999|999B", "1000|1kB", "1024|1.02kB", "1124|1.12kB",
        // exactly 1.125: Go rounds the binary value half to even
        "1125|1.12kB", "1126|1.13kB", "1880|1.88kB", "9999|10kB", "99949|99.9kB", "99950|100kB",
        "999499|999kB",
        // rounds up to 1000 of the unit, which %g prints in exponent form
        "999500|1e+03kB", "999999|1e+03kB", "1000000|1MB", "1048576|1.05MB", "131000000|131MB",
        "9223372036854775807|9.22EB", "-1500|-1.5e+03B"})
    void humanSizeIsDockersSizeColumn(long bytes, String expected) {
        assertThat(Units.humanSize(bytes)).isEqualTo(expected);
    }

    @Test
    void humanSizeWithOtherPrecisions() {
        // go-units TestHumanSize (precision 4)
        assertThat(Units.humanSizeWithPrecision(1000, 4)).isEqualTo("1kB");
        assertThat(Units.humanSizeWithPrecision(1024, 4)).isEqualTo("1.024kB");
        assertThat(Units.humanSizeWithPrecision(1000000, 4)).isEqualTo("1MB");
        assertThat(Units.humanSizeWithPrecision(1048576, 4)).isEqualTo("1.049MB");
        assertThat(Units.humanSizeWithPrecision(2 * MB, 4)).isEqualTo("2MB");
        assertThat(Units.humanSizeWithPrecision(3.42 * GB, 4)).isEqualTo("3.42GB");
        assertThat(Units.humanSizeWithPrecision(5.372 * TB, 4)).isEqualTo("5.372TB");
        assertThat(Units.humanSizeWithPrecision(2.22 * PB, 4)).isEqualTo("2.22PB");
        assertThat(Units.humanSizeWithPrecision(10000000000000.0 * PB, 4)).isEqualTo("1e+04YB");
        assertThat(Units.humanSizeWithPrecision(999.5, 4)).isEqualTo("999.5B");
        assertThat(Units.humanSizeWithPrecision(999.5, 3)).isEqualTo("1e+03B");
        assertThat(Units.humanSizeWithPrecision(0.0001, 3)).isEqualTo("0.0001B");
        assertThat(Units.humanSizeWithPrecision(0.00001, 3)).isEqualTo("1e-05B");
        assertThat(Units.humanSizeWithPrecision(1e30, 3)).isEqualTo("1e+06YB");
    }

    @Test
    void bytesSizeUsesBinaryUnits() {
        // go-units TestBytesSize
        assertThat(Units.bytesSize(1024)).isEqualTo("1KiB");
        assertThat(Units.bytesSize(1024 * 1024)).isEqualTo("1MiB");
        assertThat(Units.bytesSize(2 * MIB)).isEqualTo("2MiB");
        assertThat(Units.bytesSize(3.42 * GIB)).isEqualTo("3.42GiB");
        assertThat(Units.bytesSize(5.372 * TIB)).isEqualTo("5.372TiB");
        assertThat(Units.bytesSize(2.22 * PIB)).isEqualTo("2.22PiB");
        assertThat(Units.bytesSize((double) KIB * KIB * KIB * KIB * KIB * PIB)).isEqualTo("1.049e+06YiB");
        assertThat(Units.bytesSize(1000)).isEqualTo("1000B");
        assertThat(Units.bytesSize(131000000)).isEqualTo("124.9MiB");
        assertThat(Units.bytesSize(1e30)).isEqualTo("8.272e+05YiB");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "32|32", "32b|32", "32B|32", "32k|32768", "32K|32768", "32kb|32768", "32Kb|32768", "32Kib|32768",
        "32KIB|32768", "32Mb|33554432", "32Gb|34359738368", "32Tb|35184372088832", "32Pb|36028797018963968",
        "32PB|36028797018963968", "32P|36028797018963968", "32.3|32", "32.3 mb|33869004", "0.3MB|314572",
        "10m|10485760", "1g|1073741824", "512|512", "1.5g|1610612736", "0|0", "-0|0", "0 |0", "32.|32",
        "'32. b'|32", ".5k|512", "1e3|1000", "0x1p4k|16384"})
    void ramInBytesParsesBinarySizes(String text, long expected) {
        assertThat(Units.ramInBytes(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "hello", "-32", " 32 ", "32m b", "32bm", " 0", "0b ", ".", " ", "-32 b", "32b.",
        "32 bb", "32  b", "32kibb", "32x", "Infinity", "NaN", "1e400", "1_000", "16E"})
    void ramInBytesRejectsTheRest(String text) {
        assertThatThrownBy(() -> Units.ramInBytes(text))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageMatching("invalid (size|suffix): '.*'.*");
    }

    @Test
    void fromHumanSizeParsesDecimalSizes() {
        // go-units TestFromHumanSize
        assertThat(Units.fromHumanSize("32k")).isEqualTo(32 * KB);
        assertThat(Units.fromHumanSize("32Gb")).isEqualTo(32 * GB);
        assertThat(Units.fromHumanSize("32Pb")).isEqualTo(32 * PB);
        assertThat(Units.fromHumanSize("32.5kB")).isEqualTo(32500);
        assertThat(Units.fromHumanSize("32.5 kB")).isEqualTo(32500);
        assertThat(Units.fromHumanSize("32.5 B")).isEqualTo(32);
        assertThat(Units.fromHumanSize("0.3 K")).isEqualTo(300);
        assertThat(Units.fromHumanSize(".3kB")).isEqualTo(300);
        assertThat(Units.fromHumanSize("0.")).isZero();
        assertThat(Units.fromHumanSize("-0 B")).isZero();
        assertThat(Units.fromHumanSize("32KiB")).isEqualTo(32 * KB); // as in go-units: only the letter counts
        assertThatThrownBy(() -> Units.fromHumanSize("32KiBB")).hasMessage("invalid suffix: 'KiBB'");
        assertThatThrownBy(() -> Units.fromHumanSize("32Kx")).hasMessage("invalid suffix: 'kx'");
        assertThatThrownBy(() -> Units.fromHumanSize("10000000P")).hasMessageContaining("too large");
    }

    @Test
    void humanDurationMatchesGoUnits() {
        Duration day = Duration.ofDays(1);
        Duration week = day.multipliedBy(7);
        Duration month = day.multipliedBy(30);
        Duration year = day.multipliedBy(365);
        assertDuration(Duration.ofMillis(450), "Less than a second");
        assertDuration(Duration.ofSeconds(-5), "Less than a second");
        assertDuration(Duration.ofSeconds(1), "1 second");
        assertDuration(Duration.ofMillis(1999), "1 second");
        assertDuration(Duration.ofSeconds(45), "45 seconds");
        assertDuration(Duration.ofSeconds(59), "59 seconds");
        assertDuration(Duration.ofSeconds(60), "About a minute");
        assertDuration(Duration.ofSeconds(119), "About a minute");
        assertDuration(Duration.ofMinutes(2), "2 minutes");
        assertDuration(Duration.ofMinutes(35).plusSeconds(40), "35 minutes");
        assertDuration(Duration.ofMinutes(59), "59 minutes");
        assertDuration(Duration.ofHours(1), "About an hour");
        assertDuration(Duration.ofHours(1).plusMinutes(29), "About an hour");
        assertDuration(Duration.ofHours(1).plusMinutes(31), "2 hours");
        assertDuration(Duration.ofHours(3).plusMinutes(29), "3 hours");
        assertDuration(Duration.ofHours(3).plusMinutes(31), "4 hours");
        assertDuration(Duration.ofHours(24), "24 hours");
        assertDuration(day.plusHours(12), "36 hours");
        assertDuration(day.multipliedBy(2), "2 days");
        assertDuration(day.multipliedBy(13).plusHours(5), "13 days");
        assertDuration(week.multipliedBy(2), "2 weeks");
        assertDuration(week.multipliedBy(4).plus(day.multipliedBy(3)), "4 weeks");
        assertDuration(month, "4 weeks");
        assertDuration(month.plus(week.multipliedBy(2)), "6 weeks");
        assertDuration(month.multipliedBy(2), "2 months");
        assertDuration(month.multipliedBy(13), "13 months");
        assertDuration(month.multipliedBy(24), "24 months");
        assertDuration(month.multipliedBy(24).plus(week.multipliedBy(2)), "2 years");
        assertDuration(year.multipliedBy(3).plus(month.multipliedBy(2)), "3 years");
        // Go's Duration ends after about 292 years; longer ones print as that
        assertDuration(year.multipliedBy(1000), "292 years");
    }

    private static void assertDuration(Duration d, String expected) {
        assertThat(Units.humanDuration(d)).as(d.toString()).isEqualTo(expected);
    }

    @Test
    void createdColumn() {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        assertThat(Units.createdSince(now.minus(Duration.ofDays(15)), now)).isEqualTo("2 weeks ago");
        assertThat(Units.createdSince(now, now)).isEqualTo("Less than a second ago");
        assertThat(Units.ago(Duration.ofMinutes(90))).isEqualTo("2 hours ago");
    }
}
