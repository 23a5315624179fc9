package dev.strata.cli.command;

import dev.strata.driver.Trees;
import dev.strata.engine.image.BusyboxRootfs;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.engine.runtime.OciRuntimeException;
import dev.strata.engine.runtime.RuntimeOptions;
import dev.strata.error.StrataException;
import dev.strata.sys.Linux;
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
 * commands on it, printing each command line and its output; where containers can run (root, runc, conmon) it
 * also runs five shells on that one image, each with its own writable layer. Uses a throw-away store unless
 * --root is given.
 */
@Command(name = "demo", description = "Walk through import, images, history, running containers, save/load and rmi on a busybox image "
        + "built from this host.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the demo store and files afterwards (printed at the end).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GlobalOptions main = (GlobalOptions) spec.root().userObject();
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
            List<String[]> steps = new ArrayList<>(List.<String[]>of(
                new String[] {"import", "--change", "CMD [\"sh\"]", "-m", "busybox from the host", tarball.toString(), "demo/busybox:1.0"},
                new String[] {"images"},
                new String[] {"history", "demo/busybox:1.0"}));
            boolean containers = canRunContainers(out);
            if (containers) {
                for (int i = 1; i <= 5; i++) {
                    steps.add(new String[] {"run", "-dit", "--name", "demo-shell-" + i, "demo/busybox:1.0", "sh"});
                }
                steps.add(new String[] {"ps"});
                steps.add(null); // ls <root>/containers
                steps.add(new String[] {"exec", "demo-shell-1", "sh", "-c", "echo hello from $(hostname) > /hello; cat /hello"});
                steps.add(new String[] {"diff", "demo-shell-1"});
                steps.add(new String[] {"diff", "demo-shell-2"});
                steps.add(new String[] {"rm", "-f", "demo-shell-1", "demo-shell-2", "demo-shell-3", "demo-shell-4", "demo-shell-5"});
            }
            steps.addAll(List.<String[]>of(
                new String[] {"tag", "demo/busybox:1.0", "demo/busybox:latest"},
                new String[] {"images"},
                new String[] {"save", "-o", saved.toString(), "demo/busybox:1.0", "demo/busybox:latest"},
                new String[] {"rmi", "demo/busybox:1.0", "demo/busybox:latest"},
                new String[] {"images"},
                new String[] {"load", "-i", saved.toString()},
                new String[] {"images", "--no-trunc"},
                new String[] {"rmi", "demo/busybox:1.0", "demo/busybox:latest"},
                new String[] {"info"}));
            for (String[] step : steps) {
                if (step == null) {
                    Path dir = root.resolve("containers");
                    out.println("$ ls " + dir + "    # one directory per container: bundle, log, exit status");
                    try (var ls = Files.list(dir)) {
                        ls.map(p -> p.getFileName().toString()).sorted().forEach(out::println);
                    }
                    out.println();
                    continue;
                }
                out.println("$ strata " + String.join(" ", quote(step)));
                out.flush();
                List<String> args = new ArrayList<>(global);
                args.addAll(List.of(step));
                int status = main.execute(args.toArray(String[]::new), out, err);
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

    /** Containers run as root with runc and conmon installed; otherwise the demo says why it skips them. */
    private static boolean canRunContainers(PrintWriter out) {
        String why = null;
        if (!Linux.isRoot()) {
            why = "running containers needs root";
        } else {
            try {
                OciRuntime runtime = new OciRuntime(RuntimeOptions.defaults());
                runtime.checkRuntime();
                runtime.conmon();
            } catch (OciRuntimeException e) {
                why = e.getMessage();
            }
        }
        if (why != null) {
            out.println("# Skipping the containers part: " + why);
            out.println();
        }
        return why == null;
    }

    private static List<String> quote(String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.matches("[A-Za-z0-9_./:=@+-]+") ? a : "'" + a + "'");
        }
        return out;
    }
}
