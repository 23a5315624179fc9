package dev.strata.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OCI runtime configuration ({@code config.json}, runtime-spec 1.0.2) of a container, with Docker's defaults:
 * its capabilities, mounts, masked and read-only paths, device rules and sysctls (moby's {@code oci/defaults.go}
 * and {@code daemon/oci_linux.go} describe them), and the seccomp profile of {@link Seccomp}.
 */
public final class OciSpec {
    /** Docker's default capabilities (moby {@code oci/caps/defaults.go}). */
    static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
            "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
            "CAP_KILL", "CAP_AUDIT_WRITE");
    /** PATH when the image sets none. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Where {@code --init} puts the init binary, as Docker does. */
    public static final String INIT_PATH = "/sbin/docker-init";
    /** Docker's default {@code --shm-size}. */
    private static final long SHM_SIZE = 64L << 20;
    /**
     * Open files: what a Docker container gets from a default dockerd/containerd (1048576), but never more than this
     * process may hand out (raising a hard limit needs CAP_SYS_RESOURCE, which a sandbox may withhold).
     */
    private static final long NOFILE = 1L << 20;

    /** What the container's process is. */
    public record ProcessSpec(List<String> args, List<String> env, String cwd, Users.ExecUser user, boolean terminal) {
    }

    /**
     * Everything {@code config.json} is made from.
     *
     * @param hostNetwork share the host's network namespace ({@code --network host}); otherwise a new one with only
     *     a loopback interface ({@code --network none})
     * @param init the host's init binary, bind-mounted at {@link #INIT_PATH} for {@code --init}
     * @param hosts the generated {@code /etc/hosts} (also {@code hostnameFile}, {@code resolvConf}), bind-mounted
     */
    public record Bundle(String id, String hostname, ProcessSpec process, Path rootfs, boolean readonlyRootfs, boolean hostNetwork,
            List<RuntimeMount> mounts, Optional<Path> init, Path hosts, Path hostnameFile, Path resolvConf) {
    }

    private OciSpec() {
    }

    /** {@code config.json} for a container. */
    public static String config(Bundle b) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", "1.0.2");
        spec.put("process", process(b.process()));
        spec.put("root", map("path", b.rootfs().toString(), "readonly", b.readonlyRootfs()));
        spec.put("hostname", b.hostname());
        spec.put("mounts", mounts(b));
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("cgroupsPath", "/strata/" + b.id());
        linux.put("resources", map("devices", deviceRules()));
        List<Object> namespaces = new ArrayList<>();
        for (String ns : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.add(map("type", ns));
        }
        Map<String, Object> sysctl = new LinkedHashMap<>();
        if (!b.hostNetwork()) {
            namespaces.add(map("type", "network"));
            // Docker's defaults for a private network namespace: ping without CAP_NET_RAW, any port without privilege.
            sysctl.put("net.ipv4.ping_group_range", "0 2147483647");
            sysctl.put("net.ipv4.ip_unprivileged_port_start", "0");
        }
        linux.put("namespaces", namespaces);
        if (!sysctl.isEmpty()) {
            linux.put("sysctl", sysctl);
        }
        linux.put("maskedPaths", maskedPaths());
        linux.put("readonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        linux.put("seccomp", Seccomp.profile());
        spec.put("linux", linux);
        return JsonText.write(spec);
    }

    /** {@code process.json} for {@code runc exec}: the same shape as {@code config.json}'s {@code process}. */
    public static String processJson(ProcessSpec p) {
        return JsonText.write(process(p));
    }

    private static Map<String, Object> process(ProcessSpec p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("terminal", p.terminal());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("uid", p.user().uid());
        user.put("gid", p.user().gid());
        user.put("additionalGids", p.user().groups());
        m.put("user", user);
        m.put("args", p.args());
        m.put("env", p.env());
        m.put("cwd", p.cwd());
        // A non-root user keeps the bounding set but holds no capabilities, as after a setuid() from root.
        List<String> held = p.user().uid() == 0 ? CAPABILITIES : List.of();
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("bounding", CAPABILITIES);
        caps.put("effective", held);
        caps.put("permitted", held);
        m.put("capabilities", caps);
        long nofile = Math.min(NOFILE, ProcInfo.openFilesHardLimit().orElse(NOFILE));
        m.put("rlimits", List.of(map("type", "RLIMIT_NOFILE", "hard", nofile, "soft", nofile)));
        m.put("noNewPrivileges", false);
        return m;
    }

    private static List<Object> mounts(Bundle b) {
        Set<String> userTargets = new HashSet<>();
        for (RuntimeMount m : b.mounts()) {
            userTargets.add(normalize(m.destination()));
        }
        boolean userDev = userTargets.contains("/dev");
        String ro = b.readonlyRootfs() ? "ro" : null;
        List<Object> out = new ArrayList<>();
        addDefault(out, userTargets, userDev, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        addDefault(out, userTargets, userDev, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        addDefault(out, userTargets, userDev, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620", "gid=5");
        addDefault(out, userTargets, userDev, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        addDefault(out, userTargets, userDev, "/sys/fs/cgroup", "cgroup", "cgroup", "ro", "nosuid", "noexec", "nodev");
        addDefault(out, userTargets, userDev, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        addDefault(out, userTargets, userDev, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=" + SHM_SIZE);
        // The generated files; with --read-only they are read-only too, as Docker makes them.
        addDefault(out, userTargets, userDev, "/etc/resolv.conf", "bind", b.resolvConf().toString(), "rbind", "rprivate", ro);
        addDefault(out, userTargets, userDev, "/etc/hostname", "bind", b.hostnameFile().toString(), "rbind", "rprivate", ro);
        addDefault(out, userTargets, userDev, "/etc/hosts", "bind", b.hosts().toString(), "rbind", "rprivate", ro);
        if (b.init().isPresent()) {
            addDefault(out, userTargets, userDev, INIT_PATH, "bind", b.init().get().toString(), "bind", "ro");
        }
        // User mounts last, parents before children (Docker sorts them by depth).
        List<RuntimeMount> user = new ArrayList<>(b.mounts());
        user.sort(Comparator.comparingInt(m -> Path.of(normalize(m.destination())).getNameCount()));
        for (RuntimeMount m : user) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("destination", normalize(m.destination()));
            spec.put("type", m.type());
            spec.put("source", m.source() == null ? m.type() : m.source().toString());
            List<String> options = new ArrayList<>(m.options());
            if (m.type().equals("bind") && options.stream().noneMatch(o -> o.endsWith("private") || o.endsWith("shared")
                    || o.endsWith("slave"))) {
                options.add("rprivate");
            }
            spec.put("options", options);
            out.add(spec);
        }
        return out;
    }

    private static void addDefault(List<Object> out, Set<String> userTargets, boolean userDev, String destination, String type,
            String source, String... options) {
        if (userTargets.contains(destination) || (userDev && destination.startsWith("/dev/"))) {
            return; // a user mount replaces it
        }
        List<String> opts = new ArrayList<>();
        for (String o : options) {
            if (o != null) {
                opts.add(o);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.put("options", opts);
        out.add(m);
    }

    /** Docker's default masked paths, with the per-CPU thermal throttling files this host has. */
    private static List<String> maskedPaths() {
        List<String> out = new ArrayList<>(List.of("/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
                "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
                "/sys/devices/virtual/powercap", "/sys/firmware"));
        for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
            String p = "/sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle";
            if (Files.exists(Path.of(p))) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The device cgroup: nothing but the usual character devices (null, zero, full, random, urandom, tty, console,
     * ptmx and the pseudo-terminals), and mknod of any device node (using one still needs a rule).
     */
    private static List<Object> deviceRules() {
        List<Object> out = new ArrayList<>();
        out.add(map("allow", false, "access", "rwm"));
        out.add(map("allow", true, "type", "c", "access", "m"));
        out.add(map("allow", true, "type", "b", "access", "m"));
        int[][] allowed = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {136, -1}};
        for (int[] d : allowed) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("allow", true);
            rule.put("type", "c");
            rule.put("major", d[0]);
            if (d[1] >= 0) {
                rule.put("minor", d[1]);
            }
            rule.put("access", "rwm");
            out.add(rule);
        }
        return out;
    }

    static String normalize(String path) {
        String p = Path.of("/").resolve(path).normalize().toString();
        return p.isEmpty() ? "/" : p;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
