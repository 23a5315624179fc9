package dev.strata.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.image.ImageJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OciSpecTest {
    private static JsonNode config(boolean hostNetwork, boolean readOnly, List<RuntimeMount> mounts, Optional<Path> init) {
        Users.ExecUser root = new Users.ExecUser(0, 0, List.of(0), "/root");
        OciSpec.ProcessSpec p = new OciSpec.ProcessSpec(List.of("sh", "-c", "echo \"quoted\"\n"), List.of("PATH=/bin"), "/", root, true);
        String json = OciSpec.config(new OciSpec.Bundle("abc", "host1", p, Path.of("/r/merged"), readOnly, hostNetwork, mounts, init,
                Path.of("/b/hosts"), Path.of("/b/hostname"), Path.of("/b/resolv.conf")));
        return ImageJson.MAPPER.readTree(json);
    }

    private static List<String> destinations(JsonNode spec) {
        List<String> out = new ArrayList<>();
        spec.get("mounts").forEach(m -> out.add(m.get("destination").asString()));
        return out;
    }

    @Test
    void hasDockersDefaults() {
        JsonNode spec = config(false, false, List.of(), Optional.empty());
        assertThat(spec.get("ociVersion").asString()).isEqualTo("1.0.2");
        assertThat(spec.at("/process/args/2").asString()).isEqualTo("echo \"quoted\"\n");
        assertThat(spec.at("/process/terminal").asBoolean()).isTrue();
        assertThat(spec.at("/process/noNewPrivileges").asBoolean()).isFalse();
        assertThat(spec.at("/process/capabilities/bounding")).hasSize(14);
        assertThat(spec.at("/root/path").asString()).isEqualTo("/r/merged");
        assertThat(spec.get("hostname").asString()).isEqualTo("host1");
        assertThat(destinations(spec)).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
                "/etc/resolv.conf", "/etc/hostname", "/etc/hosts");
        List<String> namespaces = new ArrayList<>();
        spec.at("/linux/namespaces").forEach(n -> namespaces.add(n.get("type").asString()));
        assertThat(namespaces).containsExactly("pid", "ipc", "uts", "mount", "network");
        assertThat(spec.at("/linux/cgroupsPath").asString()).isEqualTo("/strata/abc");
        assertThat(spec.at("/linux/maskedPaths").toString()).contains("/proc/kcore", "/sys/firmware");
        assertThat(spec.at("/linux/sysctl/net.ipv4.ip_unprivileged_port_start").asString()).isEqualTo("0");
        assertThat(spec.at("/linux/seccomp/defaultAction").asString()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(spec.at("/linux/seccomp/syscalls/0/names").toString()).contains("\"mount\"", "\"unshare\"", "\"keyctl\"", "\"bpf\"");
        assertThat(spec.at("/linux/resources/devices/0").toString()).isEqualTo("{\"allow\":false,\"access\":\"rwm\"}");
    }

    @Test
    void hostNetworkReadOnlyInitAndUserMounts() {
        List<RuntimeMount> mounts = List.of(new RuntimeMount("bind", Path.of("/srv/a"), "/data/sub", List.of("rbind", "ro")),
                new RuntimeMount("bind", Path.of("/srv/b"), "/data", List.of("rbind")),
                new RuntimeMount("tmpfs", null, "/dev/shm", List.of("nosuid", "size=1m")));
        JsonNode spec = config(true, true, mounts, Optional.of(Path.of("/usr/bin/tini-static")));
        List<String> namespaces = new ArrayList<>();
        spec.at("/linux/namespaces").forEach(n -> namespaces.add(n.get("type").asString()));
        assertThat(namespaces).doesNotContain("network");
        assertThat(spec.at("/linux/sysctl").isMissingNode()).isTrue();
        assertThat(spec.at("/root/readonly").asBoolean()).isTrue();
        List<String> dest = destinations(spec);
        assertThat(dest).containsSubsequence("/sbin/docker-init", "/data", "/data/sub").doesNotHaveDuplicates();
        assertThat(dest.stream().filter(d -> d.equals("/dev/shm")).count()).as("the user's /dev/shm replaces the default").isEqualTo(1);
        spec.get("mounts").forEach(m -> {
            if (m.get("destination").asString().equals("/etc/hosts")) {
                assertThat(m.get("options").toString()).contains("\"ro\"");
            }
            if (m.get("destination").asString().equals("/data")) {
                assertThat(m.get("options").toString()).isEqualTo("[\"rbind\",\"rprivate\"]");
            }
        });
    }
}
