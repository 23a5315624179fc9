package dev.strata.engine.container;

import dev.strata.container.Container;
import dev.strata.container.ContainersTable;
import dev.strata.container.RunState;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.engine.runtime.OciSpec;
import dev.strata.engine.runtime.Users;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.StrataException;
import dev.strata.layer.WritableLayer;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every container service shares: the container's row and definition, its bundle directory
 * ({@code <root>/containers/<id>/}), its stored run state, its writable layer, the "cleaner" marker that tells conmon's
 * exit command that a Strata process will clean up itself, and the deletion of a container that nothing runs any more.
 * It calls no service.
 */
final class ContainerRecords {
    /** Present in the bundle while a start is under way: from before the mount until the outcome is recorded. */
    static final String STARTING = "starting";

    private final Store store;
    private final ContainersTable rows;
    private final Volumes volumes;
    private final OciRuntime runtime;

    ContainerRecords(Store store, Volumes volumes, OciRuntime runtime) {
        this.store = store;
        this.rows = store.containers();
        this.volumes = volumes;
        this.runtime = runtime;
    }

    Store store() {
        return store;
    }

    OciRuntime runtime() {
        return runtime;
    }

    Volumes volumes() {
        return volumes;
    }

    Path bundle(String id) {
        return store.containersDir().resolve(id);
    }

    Container find(String nameOrId) throws IOException, StrataException {
        try (Tx tx = store.read()) {
            Container c = rows.resolve(tx, nameOrId);
            tx.commit();
            return c;
        }
    }

    /** The container's row by ID, empty when it is gone (removed while a caller waited for its lock). */
    Optional<Container> get(String id) throws IOException {
        try (Tx tx = store.read()) {
            Optional<Container> c = rows.get(tx, id);
            tx.commit();
            return c;
        }
    }

    ContainerDefinition definition(Container c) {
        return ContainerDefinition.fromJson(c.config());
    }

    ContainerSpec spec(Container c) {
        return definition(c).config();
    }

    /** The container's writable layer. */
    WritableLayer layer(Container c) {
        return store.layers().writable(c.id());
    }

    RunState storedState(String id) throws IOException {
        try (Tx tx = store.read()) {
            RunState s = rows.runState(tx, id);
            tx.commit();
            return s;
        }
    }

    void putState(String id, RunState s) throws IOException {
        try (Tx tx = store.write()) {
            rows.putRunState(tx, id, s);
            tx.commit();
        }
    }

    /**
     * A file in the bundle naming a Strata process that will clean up after the container's exit itself (an
     * attached {@code run}, a {@code stop}, ...): while that process lives, conmon's exit command does nothing,
     * so that no second JVM starts just to find the work done.
     */
    private static final String CLEANER = "cleaner";
    private static final String SKIP_IF_CLEANER = "p=$(cat \"$1\" 2>/dev/null) && [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null && exit 0; "
            + "shift; exec \"$@\"";

    /** Conmon's exit command for this container, or none: {@code strata container cleanup} unless a cleaner is there. */
    List<String> cleanupCommand(String id) {
        List<String> prefix = runtime.options().exitCommand();
        if (prefix.isEmpty()) {
            return List.of();
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", SKIP_IF_CLEANER, "strata-exit", bundle(id).resolve(CLEANER).toString()));
        cmd.addAll(prefix);
        cmd.addAll(List.of("--root", store.root().toAbsolutePath().toString(), "container", "cleanup", id));
        return cmd;
    }

    void markCleaner(String id) throws IOException {
        Files.writeString(bundle(id).resolve(CLEANER), Long.toString(ProcessHandle.current().pid()));
    }

    void unmarkCleaner(String id) {
        try {
            Path f = bundle(id).resolve(CLEANER);
            if (Files.exists(f) && Files.readString(f).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(f);
            }
        } catch (IOException e) {
            // a stale marker names a dead process: the exit command ignores it
        }
    }

    /**
     * The process environment, as Docker builds it: a default PATH, HOSTNAME, TERM for a terminal, then the
     * container's variables and {@code extra} (each replacing one of the same name in place), and HOME from the
     * user's passwd entry unless set.
     */
    static List<String> environment(ContainerSpec spec, Users.ExecUser user, boolean tty, List<String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "PATH=" + OciSpec.DEFAULT_PATH);
        env.put("HOSTNAME", "HOSTNAME=" + spec.hostname());
        if (tty) {
            env.put("TERM", "TERM=xterm");
        }
        List<String> all = new ArrayList<>(spec.env() == null ? List.of() : spec.env());
        all.addAll(extra);
        for (String e : all) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e);
            }
        }
        env.putIfAbsent("HOME", "HOME=" + user.home());
        return List.copyOf(env.values());
    }

    /**
     * Deletes a container nothing runs any more (its lock held): its runtime state, then its rows, then its writable
     * layer and bundle; with {@code removeVolumes} ({@code rm -v}, {@code --rm}) its anonymous volumes too.
     */
    void delete(Container c, boolean removeVolumes) throws IOException, StrataException {
        Path b = bundle(c.id());
        runtime.tearDown(c.id(), b);
        try (Tx tx = store.write()) {
            volumes.detach(tx, c.id(), removeVolumes);
            rows.delete(tx, c.id());
            if (c.parentLayer().isPresent()) {
                store.layers().removeUnused(tx, c.parentLayer().get()); // the image may be gone already (rmi -f)
            }
            tx.afterCommit(() -> {
                layer(c).remove();
                runtime.deleteBundle(b);
            });
            tx.commit();
        }
    }
}
