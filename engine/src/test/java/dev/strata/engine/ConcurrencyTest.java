package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.container.Container;
import dev.strata.digest.Digest;
import dev.strata.engine.build.BuildContext;
import dev.strata.engine.build.BuildOptions;
import dev.strata.engine.container.AttachOutcome;
import dev.strata.engine.container.AttachStreams;
import dev.strata.engine.container.BusyboxStore;
import dev.strata.engine.container.CommitOptions;
import dev.strata.engine.container.CopyOptions;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.container.CreateOptions;
import dev.strata.engine.container.Containers;
import dev.strata.engine.image.ImageSummary;
import dev.strata.engine.registry.Progress;
import dev.strata.engine.registry.PullOptions;
import dev.strata.engine.registry.PushOptions;
import dev.strata.engine.registry.RegistryOptions;
import dev.strata.engine.registry.TestRegistry;
import dev.strata.image.Image;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerStore;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import dev.strata.store.SweepReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's public API from 32 threads of one JVM at once, on one store, with real containers (runc under
 * conmon), real pulls from a local docker-registry (two images sharing their base layer with the store's busybox and
 * with each other) and real builds; then the store must be consistent: every row reaches what it names, nothing on
 * disk is unreached, nothing is left mounted, and a sweep finds nothing to remove.
 */
class ConcurrencyTest {
    private static final int THREADS = 32;
    /** Generous: 32 threads of containers, pulls and builds on a shared 2-CPU machine. */
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    @TempDir
    Path work;

    private static RegistryOptions registry() {
        return RegistryOptions.defaults().withAuthFile(Path.of("/nonexistent/strata-test/config.json"));
    }

    @Test
    void thirtyTwoThreadsCreateStartRemovePullAndBuildAndLeaveAConsistentStore() throws Exception {
        try (TestRegistry registry = TestRegistry.open(work.resolve("registry"));
                BusyboxStore store = BusyboxStore.open(work.resolve("store"), "overlay2")) {
            Strata strata = store.strata;
            // Two images on busybox, in the registry and not in the store: pulling them shares busybox's layer.
            List<String> remote = new ArrayList<>();
            for (String name : List.of("one", "two")) {
                ContainerSummary c = strata.containers().create(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "true"));
                try (var in = Files.newInputStream(tarOf(name))) {
                    strata.containers().copy().extract(c.id(), "/", in, CopyOptions.defaults());
                }
                String ref = registry.ref("concurrency/" + name + ":1");
                strata.containers().commit(c.id(), CommitOptions.tagged(ref));
                strata.containers().remove(c.id());
                strata.registry().push(ref, PushOptions.of(registry()), Progress.Listener.NONE);
                strata.images().remove(ref, false, false);
                remote.add(ref);
            }
            // rmi leaves the removed layers' tar-split blobs until a sweep (a known leak, fixed separately): clear them,
            // so that what the check below finds is what the threads left.
            strata.store().sweep();
            Path context = Files.createDirectories(work.resolve("context"));
            Files.writeString(context.resolve("Dockerfile"), "FROM " + BusyboxStore.IMAGE + "\nARG N\nRUN echo $N > /n\nCOPY f /f\n");
            Files.writeString(context.resolve("f"), "copied\n");

            Set<String> pulled = ConcurrentHashMap.newKeySet();
            Set<Digest> built = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                for (int t = 0; t < THREADS; t++) {
                    int n = t;
                    Callable<Void> work = switch (n % 4) {
                        case 0, 1 -> () -> containers(strata.containers(), n);
                        case 2 -> () -> {
                            String ref = remote.get((n / 4) % remote.size());
                            strata.registry().pull(ref, PullOptions.of(registry()), Progress.Listener.NONE);
                            pulled.add(ref);
                            return null;
                        };
                        default -> () -> {
                            // Half the builds are the same build: the cache and the intermediate images are shared.
                            String arg = Integer.toString(n % 8 == 3 ? 0 : n);
                            try (BuildContext ctx = BuildContext.fromDirectory(context, Optional.empty())) {
                                BuildOptions options = BuildOptions.defaults().withTags("built:" + n).withBuildArgs(java.util.Map.of("N", arg));
                                built.add(strata.builder().build(ctx, options, new PrintStream(new ByteArrayOutputStream())).id());
                            }
                            return null;
                        };
                    };
                    running.add(pool.submit(() -> {
                        go.await();
                        return work.call();
                    }));
                }
                go.countDown();
                for (Future<?> f : running) {
                    f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS); // rethrows a thread's failure
                }
            }

            assertThat(pulled).containsExactlyInAnyOrderElementsOf(remote);
            assertThat(strata.containers().views().list(true, false)).as("every container was removed").isEmpty();
            List<ImageSummary> images = strata.images().list(false);
            assertThat(images).flatExtracting(ImageSummary::tags).extracting(Object::toString)
                    .contains("docker.io/library/busybox:latest");
            for (String ref : remote) {
                assertThat(strata.images().inspect(ref).id()).isNotEmpty();
            }
            assertThat(built).as("every build made its image").hasSize(THREADS / 4);
            // Equal builds that ran at once may each have run their steps (their images differ in creation time); the
            // cache keeps the entry recorded last for each step, and the next equal build takes steps from it.
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            try (BuildContext ctx = BuildContext.fromDirectory(context, Optional.empty())) {
                strata.builder().build(ctx, BuildOptions.defaults().withBuildArgs(java.util.Map.of("N", "0")), new PrintStream(again));
            }
            assertThat(again.toString(StandardCharsets.UTF_8)).contains(" ---> Using cache");
            assertConsistent(strata.store(), store.root);
        }
    }

    /** Create, start, wait for, and remove containers, and commit one: the {@code run --rm} path, twice. */
    private static Void containers(Containers containers, int n) throws Exception {
        for (int round = 0; round < 2; round++) {
            ContainerSummary c = containers.create(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "echo " + n + " > /out; cat /out"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AttachOutcome outcome = containers.io().startAttached(c.id(), AttachStreams.output(new PrintStream(out), new PrintStream(out)));
            assertThat(outcome).isEqualTo(new AttachOutcome.Exited(0));
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(n + "\n");
            assertThat(containers.diff(c.id())).isNotEmpty();
            containers.remove(c.id());
        }
        return null;
    }

    private Path tarOf(String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("files-" + name).resolve(name));
        Files.writeString(dir.resolve("hello"), "hello from " + name + "\n");
        Path tar = work.resolve(name + ".tar");
        Process p = new ProcessBuilder("tar", "-C", dir.getParent().toString(), "-cf", tar.toString(), name).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return tar;
    }

    /**
     * Every row reaches what it names (layer directories, container layers and bundles, blobs), nothing on disk is
     * unreached, nothing of the store is mounted, and a sweep finds nothing to remove.
     */
    static void assertConsistent(Store store, Path root) throws IOException {
        Set<String> reached = new HashSet<>();
        Set<String> containerIds = new HashSet<>();
        try (Tx tx = store.read()) {
            for (Layer l : store.layers().all(tx)) {
                reached.add(l.cacheId());
                assertThat(store.driver().exists(l.cacheId())).as("layer %s has its directory", l.chainId()).isTrue();
                l.parent().ifPresent(p -> {
                    try {
                        assertThat(store.layers().get(tx, p)).as("parent of %s", l.chainId()).isPresent();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                for (Digest blob : l.compressed().map(c -> List.of(c.digest())).orElse(List.of())) {
                    assertThat(store.content().exists(blob)).as("blob of %s", l.chainId()).isTrue();
                }
                l.tarSplit().ifPresent(ts -> assertThat(store.content().exists(ts)).as("tar-split of %s", l.chainId()).isTrue());
            }
            for (Image i : store.images().list(tx)) {
                assertThat(store.content().exists(i.id())).as("config of %s", i.id()).isTrue();
                if (i.topLayer().isPresent()) {
                    assertThat(store.layers().get(tx, i.topLayer().get())).as("top layer of %s", i.id()).isPresent();
                }
            }
            for (Container c : store.containers().list(tx)) {
                containerIds.add(c.id());
                reached.addAll(LayerStore.writableDirectories(c.id()));
            }
            tx.commit();
        }
        assertThat(store.driver().ids()).as("layer directories on disk are those rows reach").containsExactlyInAnyOrderElementsOf(reached);
        try (var bundles = Files.list(root.resolve("containers"))) {
            assertThat(bundles.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrderElementsOf(containerIds);
        }
        String prefix = root.toAbsolutePath().toString();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).as("nothing of the store is mounted")
                .noneMatch(line -> line.split(" ")[4].startsWith(prefix));
        SweepReport sweep = store.sweep();
        assertThat(sweep.blobs()).as("blobs a sweep would remove").isEmpty();
        assertThat(sweep.layerDirs()).as("directories a sweep would remove").isEmpty();
        assertThat(sweep.containerDirs()).as("bundles a sweep would remove").isEmpty();
    }
}
