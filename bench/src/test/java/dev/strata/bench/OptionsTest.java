package dev.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void defaults() throws Exception {
        Options o = Options.parse(new String[] {"--repo", "/r"});
        assertThat(o.runs()).isEqualTo(5);
        assertThat(o.warmup()).isEqualTo(1);
        assertThat(o.storages()).containsExactly(StorageKind.DISK, StorageKind.TMPFS);
        assertThat(o.tools()).containsExactly("strata", "docker", "podman", "strata-vfs");
        assertThat(o.strata()).isIn(Path.of("/r/strata"), Path.of(System.getenv().getOrDefault("STRATA", "/r/strata")).toAbsolutePath());
        assertThat(o.workDir()).isEqualTo(Path.of("/r/bench/work"));
        assertThat(o.cacheDir()).isEqualTo(Path.of("/r/bench/cache"));
        assertThat(o.resultsDir()).isEqualTo(Path.of("/r/bench/results"));
        assertThat(o.mode()).isEqualTo(Options.Mode.BENCH);
    }

    @Test
    void smokeIsOneStrataRunOnDisk() throws Exception {
        Options o = Options.parse(new String[] {"--repo", "/r", "--smoke"});
        assertThat(o.tools()).containsExactly("strata", "strata-vfs");
        assertThat(o.resultsDir()).isEqualTo(Path.of("/r/bench/work/results"));
        assertThat(o.runs()).isEqualTo(1);
        assertThat(o.warmup()).isZero();
        assertThat(o.storages()).containsExactly(StorageKind.DISK);
        assertThat(o.wantsPeers()).isFalse();
    }

    @Test
    void valuesWithEqualsOrSeparate() throws Exception {
        Options o = Options.parse(new String[] {"--runs=3", "--storage", "tmpfs", "--tools=docker,podman",
            "--ops", "import*"});
        assertThat(o.runs()).isEqualTo(3);
        assertThat(o.storages()).containsExactly(StorageKind.TMPFS);
        assertThat(o.tools()).containsExactly("docker", "podman");
        assertThat(o.opsFilter()).containsExactly("import*");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--runs", "0"})).isInstanceOf(BenchException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"--storage", "nfs"})).isInstanceOf(BenchException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"--tools", "lxc"})).isInstanceOf(BenchException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"--frobnicate"})).isInstanceOf(BenchException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"--runs"})).isInstanceOf(BenchException.class);
    }

    @Test
    void selectsOperationsByNameOrGlobInSuiteOrder() throws Exception {
        List<Operation> all = List.of(op("images-empty"), op("import-debian"), op("import-busybox"));
        assertThat(Options.parse(new String[] {"--ops", "import*"}).select(all)).extracting(Operation::name)
                .containsExactly("import-debian", "import-busybox");
        assertThat(Options.parse(new String[] {"--ops", "import-busybox,images-empty"}).select(all))
                .extracting(Operation::name).containsExactly("images-empty", "import-busybox");
        assertThat(Options.parse(new String[] {}).select(all)).hasSize(3);
        assertThatThrownBy(() -> Options.parse(new String[] {"--ops", "pull"}).select(all))
                .isInstanceOf(BenchException.class).hasMessageContaining("images-empty");
    }

    private static Operation op(String name) {
        return Operation.named(name).description(name).command((t, c, v) -> Operation.Cmd.of(List.of("true")))
                .timeout(Duration.ofSeconds(1)).build();
    }
}
