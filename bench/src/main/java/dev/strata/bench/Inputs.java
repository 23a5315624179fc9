package dev.strata.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark inputs, built once into {@code bench/cache/} and reused; each is built under a temporary
 * name and renamed into place, so an interrupted build is redone next time instead of being used.
 *
 * @param debian  Debian bookworm minbase rootfs tarball from mmdebstrap (~170 MB)
 * @param busybox rootfs tarball with static busybox, its applet links and a minimal /etc
 * @param context a 50 MiB build context directory, deterministic from a seed (2 MiB for the smoke run)
 * @param smoke   the smoke run's inputs: no Debian tarball (no mmdebstrap, no network), busybox stands in for it
 */
record Inputs(Path debian, Path busybox, Path context, boolean smoke) {
    static final String SUITE = "bookworm";
    /** minbase lands at ~170 MB uncompressed (162.5 MiB on 2026-11-27); no extra packages needed. */
    static final String VARIANT = "minbase";
    /** Fixed timestamps make mmdebstrap's and our own tarballs reproducible for a given package set. */
    static final long SOURCE_DATE_EPOCH = 1_700_000_000L;

    static final long SMOKE_CONTEXT_SIZE = 2L * 1024 * 1024;

    static Inputs locate(Path cacheDir, boolean smoke) {
        return new Inputs(cacheDir.resolve("debian-" + SUITE + "-" + VARIANT + ".tar"),
                cacheDir.resolve("busybox-rootfs.tar"),
                cacheDir.resolve(smoke ? "context-2m" : "context-50m"), smoke);
    }

    /** The image most operations use: the Debian rootfs, or busybox in the smoke run. */
    Path image() {
        return smoke ? busybox : debian;
    }

    /** What {@link #image()} is, for descriptions. */
    String imageLabel() {
        return smoke ? "busybox rootfs (" + mb(busybox) + ")" : "Debian bookworm minbase rootfs (" + mb(debian) + ")";
    }

    String contextLabel() {
        long[] t = treeSize(context);
        return String.format("%.0f MB in %d files", t[1] / 1e6, t[0]);
    }

    static String mb(Path p) {
        long n = sizeOf(p);
        return n < 0 ? "size unknown" : String.format("%.0f MB", n / 1e6);
    }

    /** Builds whatever is missing and prints the sizes. The smoke run never builds the Debian tarball. */
    static Inputs ensure(Path cacheDir, boolean smoke, PrintStream log) throws BenchException {
        Inputs in = locate(cacheDir, smoke);
        try {
            Files.createDirectories(cacheDir);
            if (!smoke && !Files.exists(in.debian)) {
                Packages.ensure(Packages.INPUTS, log);
                buildDebian(in.debian, log);
            }
            if (!Files.exists(in.busybox)) {
                Packages.ensure(Packages.BUSYBOX_INPUTS, log);
                buildBusybox(in.busybox, log);
            }
            if (!Files.exists(in.context)) {
                buildContext(in.context, smoke ? SMOKE_CONTEXT_SIZE : ContextGenerator.DEFAULT_SIZE, log);
            }
        } catch (IOException e) {
            throw new BenchException("cannot build inputs in " + cacheDir + ": " + e.getMessage(), e);
        }
        for (String line : in.describe()) {
            log.println("input " + line);
        }
        return in;
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (!smoke) {
            lines.add("debian:  " + debian + "  " + size(sizeOf(debian)) + "  (mmdebstrap --variant=" + VARIANT + " "
                    + SUITE + ")");
        }
        lines.add("busybox: " + busybox + "  " + size(sizeOf(busybox)));
        long[] ctx = treeSize(context);
        lines.add("context: " + context + "  " + size(ctx[1]) + " in " + ctx[0] + " files");
        return lines;
    }

    private static void buildDebian(Path target, PrintStream log) throws BenchException, IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        log.println("building " + target.getFileName() + " with mmdebstrap (" + VARIANT + ", " + SUITE + ") ...");
        String mirror = AptSources.mirror(SUITE).orElseThrow(() -> new BenchException("no Debian " + SUITE + " source in "
                + AptSources.APT + "/sources.list or sources.list.d/: the Debian rootfs is built from the machine's own apt mirror"));
        Exec.run(List.of("mmdebstrap", "--variant=" + VARIANT, "--format=tar", SUITE, partial.toString(), mirror),
                Map.of("SOURCE_DATE_EPOCH", Long.toString(SOURCE_DATE_EPOCH)), Duration.ofMinutes(30)).check();
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Static busybox at /bin/busybox, one absolute symlink per applet, a minimal /etc, the usual empty dirs. */
    private static void buildBusybox(Path target, PrintStream log) throws BenchException, IOException {
        Path busybox = Path.of("/bin/busybox");
        if (!Packages.isStatic(busybox)) {
            throw new BenchException(busybox + " is dynamically linked: install busybox-static");
        }
        log.println("building " + target.getFileName() + " from " + busybox + " ...");
        Path staging = target.resolveSibling(target.getFileName() + ".staging");
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Mounts.deleteTree(staging);
        Files.deleteIfExists(partial);
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "dev", "proc", "sys", "tmp", "root",
                "var/tmp", "run", "home")) {
            Files.createDirectories(staging.resolve(d));
        }
        Files.copy(busybox, staging.resolve("bin/busybox"));
        Files.setPosixFilePermissions(staging.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String applets = Exec.run(List.of(busybox.toString(), "--list-full")).check().out();
        for (String applet : applets.lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            Path link = staging.resolve(applet).normalize();
            if (!link.startsWith(staging) || applet.equals("bin/busybox") || Files.exists(link)) {
                continue;
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("/bin/busybox"));
        }
        Files.writeString(staging.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(staging.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.writeString(staging.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
        Files.writeString(staging.resolve("etc/hostname"), "busybox\n");
        Files.writeString(staging.resolve("etc/resolv.conf"), "");
        Files.writeString(staging.resolve("etc/os-release"), "NAME=\"BusyBox\"\nID=busybox\n");
        Exec.run(List.of("chmod", "1777", staging.resolve("tmp").toString(), staging.resolve("var/tmp").toString()))
                .check();
        Exec.run(List.of("chmod", "0700", staging.resolve("root").toString())).check();
        Exec.run(List.of("tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
                "--mtime=@" + SOURCE_DATE_EPOCH, "-C", staging.toString(), "-cf", partial.toString(), ".")).check();
        Mounts.deleteTree(staging);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void buildContext(Path target, long bytes, PrintStream log) throws BenchException, IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Mounts.deleteTree(partial);
        log.println("generating " + target.getFileName() + " (seed " + ContextGenerator.DEFAULT_SEED + ") ...");
        ContextGenerator.generate(partial, ContextGenerator.DEFAULT_SEED, bytes);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** {files, bytes} of a directory tree. */
    static long[] treeSize(Path dir) {
        long[] r = new long[2];
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                r[0]++;
                r[1] += sizeOf(p);
            });
        } catch (IOException e) {
            r[1] = -1;
        }
        return r;
    }

    static String size(long bytes) {
        if (bytes < 0) {
            return "missing";
        }
        return String.format("%,d bytes (%.1f MiB, %.1f MB)", bytes, bytes / 1048576.0, bytes / 1e6);
    }
}
