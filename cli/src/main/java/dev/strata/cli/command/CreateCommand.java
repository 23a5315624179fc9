package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.container.CreateOptions;
import dev.strata.engine.container.HostSpec;
import dev.strata.engine.container.MountSpec;
import dev.strata.engine.container.MountSpecs;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a new container.")
public class CreateCommand extends StoreCommand {
    @Option(names = "--name", description = "Assign a name to the container.")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]", description = "Set environment variables (KEY alone: its value here).")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read in a file of environment variables.")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>]).")
    String user;

    @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image.")
    String entrypoint;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set metadata on a container.")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-h", "--hostname"}, description = "Container host name.")
    String hostname;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
    boolean tty;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached.")
    boolean interactive;

    @Option(names = {"-v", "--volume"}, paramLabel = "[SRC:]DST[:OPTS]", description = "Bind mount a host path (/host:/ctr[:ro]), "
            + "mount a named volume (name:/ctr) or an anonymous one (/ctr).")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "type=...,source=...,target=...", description = "Attach a file system mount: "
            + "type=bind|volume|tmpfs, source, target, readonly.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTS]", description = "Mount a tmpfs directory (options like size=64m,mode=1777).")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = {"--network", "--net"}, paramLabel = "MODE", description = "host (the default: the host's network) or none "
            + "(only a loopback interface).")
    String network = HostSpec.NETWORK_HOST;

    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only.")
    boolean readOnly;

    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes.")
    boolean init;

    @Option(names = "--rm", description = "Automatically remove the container when it exits.")
    boolean autoRemove;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments.")
    List<String> command = new ArrayList<>();

    CreateOptions options() throws InvalidArgumentException {
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            labelMap.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        List<String> environment = new ArrayList<>();
        for (Path f : envFiles) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidArgumentException("cannot read the env file " + f + ": " + e.getMessage());
            }
            for (String line : lines) {
                String l = line.stripLeading();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    variable(l).ifPresent(environment::add);
                }
            }
        }
        for (String e : env) {
            variable(e).ifPresent(environment::add);
        }
        if (!network.equals(HostSpec.NETWORK_HOST) && !network.equals(HostSpec.NETWORK_NONE)) {
            throw new InvalidArgumentException("unsupported network mode \"" + network + "\": Strata has no bridge network; use "
                    + "--network host (the host's network) or --network none (loopback only)");
        }
        List<MountSpec> all = new ArrayList<>();
        for (String v : volumes) {
            all.add(MountSpecs.volume(v));
        }
        for (String m : mounts) {
            all.add(MountSpecs.mount(m));
        }
        for (String t : tmpfs) {
            all.add(MountSpecs.tmpfs(t));
        }
        return new CreateOptions(image, Optional.ofNullable(name), command,
                Optional.ofNullable(entrypoint).map(e -> e.isEmpty() ? List.<String>of() : List.of(e)), environment,
                Optional.ofNullable(workdir), Optional.ofNullable(user), labelMap, Optional.ofNullable(hostname), tty, interactive,
                new HostSpec(List.copyOf(all), network, readOnly, init, autoRemove));
    }

    /** {@code KEY=value} as given; {@code KEY} alone takes this process's value, or is left out when unset (as docker does). */
    static Optional<String> variable(String e) throws InvalidArgumentException {
        if (e.isEmpty() || e.startsWith("=")) {
            throw new InvalidArgumentException("invalid environment variable: \"" + e + "\"");
        }
        if (e.contains("=")) {
            return Optional.of(e);
        }
        return Optional.ofNullable(System.getenv(e)).map(v -> e + "=" + v);
    }

    @Override
    int run(Strata strata) throws IOException, StrataException {
        ContainerSummary c = strata.containers().create(options());
        out().println(c.id());
        return 0;
    }
}
