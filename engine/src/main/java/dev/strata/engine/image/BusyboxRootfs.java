package dev.strata.engine.image;

import dev.strata.archive.LayerWriter;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.driver.Trees;
import dev.strata.error.NotFoundException;
import dev.strata.sys.Linux;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A minimal root file system around the host's static busybox: the demo's base image, and the image the
 * runtime tests run (busybox-static has every applet a test needs: sh, sleep, id, ps, ip, ...).
 */
public final class BusyboxRootfs {
    private static final List<Path> CANDIDATES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

    private BusyboxRootfs() {
    }

    /** The host's busybox; as root on Debian, installs busybox-static when it is missing. */
    public static Path findOrInstallBusybox(PrintWriter out) throws IOException, NotFoundException, InterruptedException {
        for (Path p : CANDIDATES) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (Linux.isRoot() && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            out.println("# busybox is missing; installing Debian's busybox-static");
            out.println("$ apt-get install -y busybox-static");
            out.flush();
            Process p = new ProcessBuilder("apt-get", "install", "-y", "--no-install-recommends", "busybox-static")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() == 0) {
                for (Path c : CANDIDATES) {
                    if (Files.isExecutable(c)) {
                        return c;
                    }
                }
            }
        }
        throw new NotFoundException("the demo needs a static busybox (looked for " + CANDIDATES
                + "); install it with: sudo apt-get install busybox-static");
    }

    /** Writes the root file system as a tarball. */
    public static void write(Path busybox, Path tarball) throws IOException, InterruptedException {
        Path stage = Files.createTempDirectory(tarball.getParent(), "rootfs-");
        try {
            for (String dir : List.of("bin", "etc", "root", "tmp", "dev", "proc", "sys", "var", "home")) {
                Files.createDirectories(stage.resolve(dir));
            }
            Linux.chmod(stage.resolve("tmp"), 01777);
            Linux.chmod(stage.resolve("root"), 0700);
            Files.copy(busybox, stage.resolve("bin/busybox"));
            Linux.chmod(stage.resolve("bin/busybox"), 0755);
            for (String applet : applets(busybox)) {
                Path link = stage.resolve("bin").resolve(applet);
                if (!applet.equals("busybox") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of("busybox"));
                }
            }
            Files.writeString(stage.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
            Files.writeString(stage.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            try (OutputStream out = Files.newOutputStream(tarball)) {
                LayerWriter.write(stage, WhiteoutFormat.deleting(), out);
            }
        } finally {
            Trees.deleteRecursively(stage);
        }
    }

    private static List<String> applets(Path busybox) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return List.of("sh");
        }
        return text.lines().filter(l -> l.matches("[a-z0-9_.\\[-]+")).toList();
    }
}
