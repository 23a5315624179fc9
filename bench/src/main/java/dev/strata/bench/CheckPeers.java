package dev.strata.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench/run --check-peers}: proves the peer side works end to end on this machine before anything is
 * measured: dockerd starts isolated, an image goes docker -> local registry -> podman, and both run a
 * container with runc (no network).
 */
final class CheckPeers {
    private CheckPeers() {
    }

    static int run(Options o, Inputs in, Cleanup cleanup, PrintStream out) throws BenchException {
        StorageKind kind = o.storages().getFirst();
        Path raw = o.workDir().resolve("check-logs");
        StorageArea area = StorageArea.open(kind, o.workDir(), o.tmpfsSize(), false);
        Cleanup.Registration areaReg = cleanup.push("release " + area.base(), area::close);
        DockerTool docker = new DockerTool();
        PodmanTool podman = new PodmanTool();
        Registry registry = null;
        try {
            out.println("data roots: " + area.base() + " on " + area.describe());
            docker.start(area, raw, cleanup);
            out.println("ok   dockerd up: " + docker.version());
            podman.start(area, raw, cleanup);
            out.println("ok   podman: " + podman.version());
            registry = Registry.start(area, area.dirFor("registry"), raw, cleanup);
            out.println("ok   registry on " + registry.address() + ": " + Registry.version());
            String ref = registry.address() + "/bench/busybox:check";
            step(out, "docker import busybox", docker.cli("import", in.busybox().toString(), ref), docker);
            step(out, "docker push to the local registry", docker.cli("push", ref), docker);
            step(out, "docker run (runc, no network)",
                    docker.cli("run", "--rm", "--network", "none", ref, "/bin/sh", "-c", "echo hello from docker"), docker);
            step(out, "podman pull from the local registry", podman.cli("pull", "--tls-verify=false", ref), podman);
            List<String> run = new ArrayList<>(List.of("--rm", "--network", "none", ref, "/bin/sh", "-c",
                    "echo hello from podman; ulimit -n; ulimit -u"));
            Exec.Result r = step(out, "podman run (runc, ulimits)", podman.runCli(run.toArray(String[]::new)), podman);
            out.println("     " + r.out().strip().replace("\n", " | "));
            step(out, "podman rmi", podman.cli("rmi", ref), podman);
            step(out, "docker rmi", docker.cli("rmi", ref), docker);
            out.println("peers OK");
            return 0;
        } finally {
            if (registry != null) {
                registry.close();
            }
            docker.stop();
            podman.stop();
            areaReg.close();
        }
    }

    private static Exec.Result step(PrintStream out, String what, List<String> cmd, Tool t) throws BenchException {
        Exec.Result r = Exec.run(cmd, t.env(), Exec.DEFAULT_TIMEOUT);
        if (!r.ok()) {
            out.println("FAIL " + what + ": " + String.join(" ", cmd) + "\n" + r.tail(10));
            r.check();
        }
        out.println("ok   " + what);
        return r;
    }
}
