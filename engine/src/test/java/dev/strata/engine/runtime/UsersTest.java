package dev.strata.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                # a comment
                app:x:1000:1000:App:/home/app:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                wheel:x:10:root,app
                audio:x:29:app
                app:x:1000:
                nogroup:x:65534:
                """);
    }

    @Test
    void aNameGivesItsIdsHomeAndTheGroupsThatListIt() throws Exception {
        assertThat(Users.resolve(rootfs, "app")).isEqualTo(new Users.ExecUser(1000, 1000, List.of(1000, 10, 29), "/home/app"));
        assertThat(Users.resolve(rootfs, "")).as("no user: root").isEqualTo(new Users.ExecUser(0, 0, List.of(0, 10), "/root"));
        assertThat(Users.resolve(rootfs, "1000")).as("a known UID is that user").isEqualTo(Users.resolve(rootfs, "app"));
    }

    @Test
    void anExplicitGroupReplacesThePrimaryAndTheSupplementaryGroups() throws Exception {
        assertThat(Users.resolve(rootfs, "app:audio")).isEqualTo(new Users.ExecUser(1000, 29, List.of(29), "/home/app"));
        assertThat(Users.resolve(rootfs, "app:4242")).isEqualTo(new Users.ExecUser(1000, 4242, List.of(4242), "/home/app"));
    }

    @Test
    void numericIdsNeedNoEntryNamesDo() throws Exception {
        assertThat(Users.resolve(rootfs, "4321")).isEqualTo(new Users.ExecUser(4321, 0, List.of(0), "/"));
        assertThat(Users.resolve(rootfs, "4321:77")).isEqualTo(new Users.ExecUser(4321, 77, List.of(77), "/"));
        assertThatThrownBy(() -> Users.resolve(rootfs, "ghost")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unable to find user ghost: no matching entries in passwd file");
        assertThatThrownBy(() -> Users.resolve(rootfs, "app:ghosts")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unable to find group ghosts: no matching entries in group file");
    }

    @Test
    void aPasswdLinkCannotReachOutsideTheRoot(@TempDir Path outside) throws Exception {
        Files.writeString(outside.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../../.." + outside.resolve("passwd")));
        assertThatThrownBy(() -> Users.resolve(rootfs, "evil")).isInstanceOf(InvalidArgumentException.class);
        assertThat(InRoot.resolve(rootfs, "/etc/passwd")).isEqualTo(rootfs.resolve(outside.toString().substring(1)).resolve("passwd"));
        Files.createSymbolicLink(rootfs.resolve("abs"), Path.of("/etc"));
        assertThat(InRoot.resolve(rootfs, "/abs/group")).isEqualTo(rootfs.resolve("etc/group"));
    }
}
