package dev.strata.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Installs what the benchmarks need from Debian (apt-get) when it is missing. */
final class Packages {
    /** A file that must exist and the Debian package that ships it. */
    record Need(Path file, String pkg) {
    }

    static final List<Need> INPUTS = List.of(
            new Need(Path.of("/usr/bin/mmdebstrap"), "mmdebstrap"),
            new Need(Path.of("/bin/busybox"), "busybox-static"),
            new Need(Path.of("/bin/tar"), "tar"));

    /** What the smoke run's inputs need: no mmdebstrap. */
    static final List<Need> BUSYBOX_INPUTS = List.of(
            new Need(Path.of("/bin/busybox"), "busybox-static"),
            new Need(Path.of("/bin/tar"), "tar"));

    /** What the registry operations need besides the peers: the registry and skopeo (which seeds it). */
    static final List<Need> REGISTRY = List.of(
            new Need(Path.of("/usr/bin/docker-registry"), "docker-registry"),
            new Need(Path.of("/usr/bin/skopeo"), "skopeo"));

    static final List<Need> PEERS = List.of(
            new Need(DockerTool.DOCKERD, "docker.io"),
            new Need(DockerTool.DOCKER, "docker.io"),
            new Need(PodmanTool.PODMAN, "podman"),
            new Need(Path.of("/usr/sbin/runc"), "runc"),
            new Need(Path.of("/usr/bin/conmon"), "conmon"),
            new Need(Registry.BINARY, "docker-registry"),
            new Need(Path.of("/usr/bin/skopeo"), "skopeo"),
            new Need(Path.of("/usr/bin/strace"), "strace"));

    private Packages() {
    }

    static void ensure(List<Need> needs, PrintStream log) throws BenchException {
        Set<String> missing = new LinkedHashSet<>();
        for (Need n : needs) {
            if (!Files.isExecutable(n.file())) {
                missing.add(n.pkg());
            } else if (n.pkg().equals("busybox-static") && !isStatic(n.file())) {
                missing.add(n.pkg()); // the dynamic busybox package is no use inside a bare rootfs
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        log.println("installing from Debian: " + String.join(" ", missing));
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        Exec.run(List.of("apt-get", "update"), env, Duration.ofMinutes(10)).check();
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        cmd.addAll(missing);
        Exec.run(cmd, env, Duration.ofMinutes(20)).check();
        for (Need n : needs) {
            if (!Files.isExecutable(n.file())) {
                throw new BenchException("package " + n.pkg() + " is installed but " + n.file() + " is missing");
            }
        }
    }

    /** True when the ELF file has no PT_INTERP program header, i.e. needs no dynamic loader. */
    static boolean isStatic(Path elf) throws BenchException {
        try (RandomAccessFile f = new RandomAccessFile(elf.toFile(), "r")) {
            byte[] head = new byte[64];
            f.readFully(head);
            if (head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F' || head[4] != 2) {
                throw new BenchException(elf + " is not a 64-bit ELF file");
            }
            ByteBuffer h = ByteBuffer.wrap(head).order(head[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            long phoff = h.getLong(0x20);
            int phentsize = Short.toUnsignedInt(h.getShort(0x36));
            int phnum = Short.toUnsignedInt(h.getShort(0x38));
            byte[] ph = new byte[4];
            for (int i = 0; i < phnum; i++) {
                f.seek(phoff + (long) i * phentsize);
                f.readFully(ph);
                if (ByteBuffer.wrap(ph).order(h.order()).getInt(0) == 3) { // PT_INTERP
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new BenchException("cannot read " + elf + ": " + e.getMessage(), e);
        }
    }
}
