package dev.strata.driver;

import dev.strata.archive.Change;
import dev.strata.archive.Changes;
import dev.strata.archive.LayerWriter;
import dev.strata.archive.WhiteoutFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The driver that works anywhere, without root: every layer directory is a full copy of its parent plus its own
 * diff. Costs disk and time in proportion to the image, which is why overlay2 is preferred where it works.
 */
public final class VfsDriver implements StorageDriver, CopiesParent {
    public static final String NAME = "vfs";

    private final Path home;

    public VfsDriver(Path storeRoot) throws IOException {
        this.home = storeRoot.resolve(NAME);
        Files.createDirectories(home);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public void create(String id, Optional<String> parent) throws IOException {
        Path dir = home.resolve(id);
        Files.createDirectory(dir);
        if (parent.isPresent()) {
            TreeCopy.copy(home.resolve(parent.get()), dir);
        }
    }

    @Override
    public Path diffDir(String id) {
        return home.resolve(id);
    }

    @Override
    public WhiteoutFormat whiteoutFormat() {
        return WhiteoutFormat.deleting();
    }

    @Override
    public Path mount(String id) {
        return home.resolve(id);
    }

    @Override
    public void unmount(String id) {
        // nothing is mounted: the directory is the whole view
    }

    @Override
    public boolean isMounted(String id) {
        return false;
    }

    @Override
    public boolean exists(String id) {
        return Files.isDirectory(home.resolve(id));
    }

    @Override
    public void remove(String id) throws IOException {
        Trees.deleteRecursively(home.resolve(id));
    }

    @Override
    public Set<String> ids() throws IOException {
        Set<String> ids = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".")) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    @Override
    public List<String[]> status() {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"Copies", "reflink where the file system supports it, else full copies"});
        return out;
    }
}
