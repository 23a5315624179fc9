package dev.strata.cli.command;

import dev.strata.cli.Main;
import dev.strata.driver.Trees;
import dev.strata.engine.image.BusyboxRootfs;
import dev.strata.error.StrataException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Quick start walkthrough: builds a small base image from the host's static busybox and runs the image
 * commands on it, printing each command line and its output. Uses a throw-away store unless --root is given.
 */
@Command(name = "demo", description = "Walk through import, images, history, save/load and rmi on a busybox image built from this host.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the demo store and files afterwards (printed at the end).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Main main = (Main) spec.root().userObject();
        Path work = Files.createTempDirectory("strata-demo-");
        Path root = main.root() != null ? main.root() : work.resolve("root");
        try {
            Path busybox = BusyboxRootfs.findOrInstallBusybox(out);
            Path tarball = work.resolve("busybox-rootfs.tar");
            BusyboxRootfs.write(busybox, tarball);
            out.println("# A root file system made from " + busybox + " (" + Files.size(tarball) / 1024 + " KiB): " + tarball);
            out.println("# Store: " + root + (main.root() == null ? " (temporary)" : ""));
            out.println();
            List<String> global = new ArrayList<>(List.of("--root", root.toString()));
            if (main.storageDriver() != null) {
                global.addAll(List.of("--storage-driver", main.storageDriver()));
            }
            Path saved = work.resolve("demo-busybox.tar");
            String[][] steps = {
                {"import", "--change", "CMD [\"sh\"]", "-m", "busybox from the host", tarball.toString(), "demo/busybox:1.0"},
                {"images"},
                {"history", "demo/busybox:1.0"},
                {"tag", "demo/busybox:1.0", "demo/busybox:latest"},
                {"images"},
                {"save", "-o", saved.toString(), "demo/busybox:1.0", "demo/busybox:latest"},
                {"rmi", "demo/busybox:1.0", "demo/busybox:latest"},
                {"images"},
                {"load", "-i", saved.toString()},
                {"images", "--no-trunc"},
                {"rmi", "demo/busybox:1.0", "demo/busybox:latest"},
                {"info"},
            };
            for (String[] step : steps) {
                out.println("$ strata " + String.join(" ", quote(step)));
                out.flush();
                List<String> args = new ArrayList<>(global);
                args.addAll(List.of(step));
                int status = Main.run(args.toArray(String[]::new), out, err);
                out.println();
                if (status != 0) {
                    throw new StrataException("demo step failed with exit status " + status + ": strata " + String.join(" ", step));
                }
            }
            out.println("# Done. The same commands work on any store: ./strata --help");
            return 0;
        } finally {
            if (keep) {
                out.println("# Kept " + work);
            } else {
                Trees.deleteRecursively(work);
            }
            out.flush();
        }
    }

    private static List<String> quote(String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.matches("[A-Za-z0-9_./:=@+-]+") ? a : "'" + a + "'");
        }
        return out;
    }
}
