package dev.strata.engine.container;

import dev.strata.container.Container;
import dev.strata.container.RunState;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.image.Image;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a container looks like: {@code ps} ({@link #list}), {@code inspect}, its reconciled state, and the processes
 * in it ({@code top}).
 *
 * <p>Safe to call from many threads at once: views read a snapshot of the rows and never wait for a container another
 * command holds (they report what its processes show instead).
 */
public final class ContainerViews {
    private final ContainerRecords records;
    private final ContainerRecovery recovery;
    private final OciRuntime runtime;

    ContainerViews(ContainerRecords records, ContainerRecovery recovery) {
        this.records = records;
        this.recovery = recovery;
        this.runtime = records.runtime();
    }

    /**
     * {@code ps}: running and paused containers, or all of them. A container whose state is stale (it exited, or a
     * start was interrupted) is reconciled first, so an exited {@code --rm} container is not listed but removed.
     */
    public List<ContainerSummary> list(boolean all, boolean sizes) throws IOException, StrataException {
        List<Container> rows;
        Map<String, RunState> states;
        try (Tx tx = records.store().read()) {
            rows = records.store().containers().list(tx);
            states = records.store().containers().runStates(tx);
            tx.commit();
        }
        List<ContainerSummary> out = new ArrayList<>();
        for (Container c : rows) {
            ContainerDefinition def = records.definition(c);
            Optional<RunState> state = recovery.current(c, states.getOrDefault(c.id(), RunState.CREATED), def.host().autoRemove());
            if (state.isEmpty() || (!all && !state.get().alive())) {
                continue;
            }
            try (Tx tx = records.store().read()) {
                out.add(summary(tx, c, def, state.get(), sizes));
                tx.commit();
            }
        }
        return out;
    }

    public ContainerDetails inspect(String nameOrId) throws IOException, StrataException {
        Container c = records.find(nameOrId);
        ContainerDefinition def = records.definition(c);
        RunState s = recovery.current(c, records.storedState(c.id()), def.host().autoRemove())
                .orElseThrow(() -> new NotFoundException("No such container: " + nameOrId));
        ContainerSpec spec = def.config();
        List<String> command = spec.commandLine();
        Path b = records.bundle(c.id());
        Map<String, String> graph = records.layer(c).metadata();
        List<ContainerDetails.MountPoint> mounts = new ArrayList<>();
        for (MountSpec m : def.host().mounts()) {
            String propagation = m.type().equals(MountSpec.BIND) ? (m.options() == null ? "rprivate" : m.options()) : "";
            switch (m.type()) {
                case BIND -> mounts.add(new ContainerDetails.MountPoint("bind", null, m.source(), m.target(), null,
                        m.readOnly() ? "ro" : "", !m.readOnly(), propagation));
                case VOLUME -> mounts.add(new ContainerDetails.MountPoint("volume", m.source(),
                        m.source().isEmpty() ? "" : records.store().root().resolve("volumes").resolve(m.source()).resolve("_data").toString(),
                        m.target(), "local", m.readOnly() ? "ro" : "z", !m.readOnly(), ""));
                default -> mounts.add(new ContainerDetails.MountPoint("tmpfs", null, "", m.target(), null, "", !m.readOnly(), ""));
            }
        }
        String driver = records.store().layers().driverStatus().name();
        String network = def.host().networkMode() == null ? HostSpec.NETWORK_HOST : def.host().networkMode();
        return new ContainerDetails(c.id(), GoTime.format(c.created()), command.isEmpty() ? "" : command.getFirst(),
                command.size() > 1 ? command.subList(1, command.size()) : List.of(), ContainerDetails.State.of(ContainerState.of(s)),
                c.imageId().toString(), b.resolve(OciRuntime.RESOLV_CONF).toString(), b.resolve(OciRuntime.HOSTNAME).toString(),
                b.resolve(OciRuntime.HOSTS).toString(), b.resolve(OciRuntime.LOG).toString(), "/" + c.name(), 0, driver, "linux", "", "",
                "", null, def.host(), new ContainerDetails.GraphDriver(graph.isEmpty() ? null : graph, driver), mounts, spec,
                new ContainerDetails.NetworkSettings("", "", "", Map.of(), Map.of(network, Map.of())));
    }

    /** The container's state, reconciled with its processes. */
    public ContainerState state(String nameOrId) throws IOException, StrataException {
        Container c = records.find(nameOrId);
        RunState s = recovery.current(c, records.storedState(c.id()), records.definition(c).host().autoRemove())
                .orElseThrow(() -> new NotFoundException("No such container: " + nameOrId));
        return ContainerState.of(s);
    }

    public TopResult top(String nameOrId, List<String> psArgs) throws IOException, StrataException {
        Container c = records.find(nameOrId);
        RunState s = recovery.observe(c.id(), records.storedState(c.id()));
        if (!s.alive()) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        Set<Long> pids = new HashSet<>(runtime.pids(c.id()));
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new InvalidArgumentException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running ps");
        }
        List<String> lines = output.lines().toList();
        if (lines.isEmpty()) {
            return new TopResult(List.of(), List.of());
        }
        List<String> titles = List.of(lines.getFirst().strip().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) {
            throw new InvalidArgumentException("Couldn't find PID field in ps output");
        }
        List<List<String>> processes = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            // The last column (the command) may contain spaces: split into as many fields as there are titles.
            List<String> fields = List.of(line.strip().split("\\s+", titles.size()));
            if (fields.size() > pidColumn && pids.contains(Long.parseLong(fields.get(pidColumn)))) {
                processes.add(fields);
            }
        }
        return new TopResult(titles, processes);
    }

    private ContainerSummary summary(Tx tx, Container c, ContainerDefinition def, RunState state, boolean sizes) throws IOException {
        OptionalLong size = OptionalLong.empty();
        OptionalLong virtual = OptionalLong.empty();
        if (sizes) {
            long rw = records.layer(c).diffSize();
            long imageSize = records.store().images().get(tx, c.imageId()).map(Image::size).orElse(0L);
            size = OptionalLong.of(rw);
            virtual = OptionalLong.of(rw + imageSize);
        }
        return summary(c, def.config(), def.host(), state, size, virtual);
    }

    static ContainerSummary summary(Container c, ContainerSpec spec, HostSpec host, RunState state, OptionalLong size,
            OptionalLong virtual) {
        return new ContainerSummary(c.id(), c.name(), c.imageName(), c.imageId(), spec.commandLine(), c.created(),
                ContainerState.of(state), size, virtual, spec.labels() == null ? Map.of() : spec.labels(), host.mounts(),
                host.networkMode());
    }
}
