package dev.strata.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class MountSpecsTest {
    @Test
    void volumeFlagForms() throws Exception {
        assertThat(MountSpecs.volume("/host/dir:/ctr")).isEqualTo(new MountSpec(MountType.BIND, "/host/dir", "/ctr", false, null));
        assertThat(MountSpecs.volume("/host//dir/:/ctr:ro")).isEqualTo(new MountSpec(MountType.BIND, "/host/dir", "/ctr", true, null));
        assertThat(MountSpecs.volume("/h:/c:ro,rshared")).isEqualTo(new MountSpec(MountType.BIND, "/h", "/c", true, "rshared"));
        assertThat(MountSpecs.volume("data:/var/lib/db")).isEqualTo(new MountSpec(MountType.VOLUME, "data", "/var/lib/db", false, null));
        assertThat(MountSpecs.volume("/anonymous")).isEqualTo(new MountSpec(MountType.VOLUME, "", "/anonymous", false, null));
        assertThatThrownBy(() -> MountSpecs.volume("/a:b")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid volume specification: '/a:b': invalid mount config for type \"bind\": invalid mount path: 'b' mount "
                        + "path must be absolute");
        assertThatThrownBy(() -> MountSpecs.volume("/a:/b:rx")).hasMessageContaining("invalid mode: rx");
        assertThatThrownBy(() -> MountSpecs.volume("a:b:c:d")).hasMessage("invalid volume specification: 'a:b:c:d'");
        assertThatThrownBy(() -> MountSpecs.volume("bad name!:/x")).hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> MountSpecs.volume("/a:/")).hasMessageContaining("destination can't be '/'");
    }

    @Test
    void mountFlagForms() throws Exception {
        assertThat(MountSpecs.mount("type=bind,source=/tmp,target=/t,readonly")).isEqualTo(new MountSpec(MountType.BIND, "/tmp", "/t", true, null));
        assertThat(MountSpecs.mount("type=volume,src=v1,dst=/v")).isEqualTo(new MountSpec(MountType.VOLUME, "v1", "/v", false, null));
        assertThat(MountSpecs.mount("target=/anon")).isEqualTo(new MountSpec(MountType.VOLUME, "", "/anon", false, null));
        assertThat(MountSpecs.mount("type=tmpfs,target=/run,tmpfs-size=1m,tmpfs-mode=1770"))
                .isEqualTo(new MountSpec(MountType.TMPFS, "", "/run", false, "size=1m,mode=1770"));
        assertThatThrownBy(() -> MountSpecs.mount("type=bind,source=/tmp")).hasMessageContaining("target is required");
        assertThatThrownBy(() -> MountSpecs.mount("type=bind,source=/nope/nope,target=/x"))
                .hasMessageContaining("bind source path does not exist: /nope/nope");
        assertThatThrownBy(() -> MountSpecs.mount("type=tmpfs,source=x,target=/x")).hasMessageContaining("must not be specified");
        assertThatThrownBy(() -> MountSpecs.mount("type=nfs,target=/x")).hasMessageContaining("invalid mount type \"nfs\"");
        assertThatThrownBy(() -> MountSpecs.mount("target=/x,colour=red")).hasMessageContaining("unexpected key 'colour'");
        assertThat(MountSpecs.tmpfs("/scratch:size=64m")).isEqualTo(new MountSpec(MountType.TMPFS, "", "/scratch", false, "size=64m"));
    }

    @Test
    void signals() throws Exception {
        assertThat(Signals.parse("KILL")).isEqualTo(9);
        assertThat(Signals.parse("sigterm")).isEqualTo(15);
        assertThat(Signals.parse("SIGUSR1")).isEqualTo(10);
        assertThat(Signals.parse("RTMIN+3")).isEqualTo(37);
        assertThat(Signals.parse("64")).isEqualTo(64);
        assertThatThrownBy(() -> Signals.parse("0")).hasMessage("Invalid signal: 0");
        assertThatThrownBy(() -> Signals.parse("SIGFOO")).hasMessage("Invalid signal: SIGFOO");
        assertThatThrownBy(() -> Signals.parse("")).hasMessage("Invalid signal: ");
    }
}
