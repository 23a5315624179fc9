package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.engine.registry.TestRegistry;
import dev.strata.testing.TarFixtures;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata login}, {@code push}, {@code pull} and {@code logout} as separate processes against docker-registry
 * behind Basic auth: credentials in {@code $DOCKER_CONFIG/config.json}, then in a credential helper
 * ({@code docker-credential-*} on the PATH); Docker's progress lines when the output is not a terminal.
 */
class RegistryCliTest {
    @TempDir
    Path work;

    private StrataProcess.Result strata(Path dockerConfig, String stdin, String... args) throws Exception {
        ProcessBuilder pb = StrataProcess.builder(work.resolve("root"), args).redirectErrorStream(true);
        pb.environment().put("DOCKER_CONFIG", dockerConfig.toString());
        pb.environment().put("PATH", work.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new StrataProcess.Result(p.waitFor(), out);
    }

    @Test
    void loginPushPullLogoutWithAConfigFileAndWithACredentialHelper() throws Exception {
        try (TestRegistry registry = TestRegistry.basic(work.resolve("registry"))) {
            Path config = work.resolve("docker");
            String name = registry.ref("cli/img:1");
            Path rootfs = TarFixtures.rootfs(work, "cli");
            assertThat(strata(config, "", "import", rootfs.toString(), name).status()).isZero();

            StrataProcess.Result denied = strata(config, "", "push", name);
            assertThat(denied.status()).isEqualTo(1);
            assertThat(denied.output()).startsWith("The push refers to repository").contains("Error: ").contains("unauthorized");

            StrataProcess.Result wrong = strata(config, "nope\n", "login", "-u", TestRegistry.USER, "--password-stdin", registry.host());
            assertThat(wrong.status()).isEqualTo(1);
            StrataProcess.Result login = strata(config, TestRegistry.PASSWORD + "\n", "login", "-u", TestRegistry.USER, "--password-stdin",
                    registry.host());
            assertThat(login.output()).contains("Login Succeeded");
            assertThat(Files.getPosixFilePermissions(config.resolve("config.json"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            StrataProcess.Result push = strata(config, "", "push", name);
            assertThat(push.status()).as(push.output()).isZero();
            assertThat(push.output()).containsPattern("(?m)^[0-9a-f]{12}: Preparing$").containsPattern("(?m)^[0-9a-f]{12}: Pushed$")
                    .containsPattern("(?m)^1: digest: sha256:[0-9a-f]{64} size: [0-9]+$");
            assertThat(strata(config, "", "rmi", name).status()).isZero();
            StrataProcess.Result pull = strata(config, "", "image", "pull", name);
            assertThat(pull.status()).as(pull.output()).isZero();
            assertThat(pull.output()).startsWith("1: Pulling from cli/img\n").containsPattern("(?m)^[0-9a-f]{12}: Pulling fs layer$")
                    .containsPattern("(?m)^[0-9a-f]{12}: Pull complete$").contains("Status: Downloaded newer image for " + name)
                    .endsWith(name + "\n").doesNotContain("Downloading [");
            assertThat(strata(config, "", "logout", registry.host()).output()).contains("Removing login credentials for " + registry.host());

            // a credential helper named by credsStore keeps them instead
            Path bin = Files.createDirectories(work.resolve("bin"));
            Path helper = bin.resolve("docker-credential-strata-test");
            Files.writeString(helper, """
                    #!/bin/sh
                    store="$(dirname "$0")/helper-store.json"
                    case "$1" in
                      store) cat > "$store" ;;
                      get) read server; if [ -f "$store" ]; then cat "$store"; else echo "credentials not found in native keychain"; exit 1; fi ;;
                      erase) read server; rm -f "$store" ;;
                    esac
                    """);
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(config.resolve("config.json"), "{\"credsStore\": \"strata-test\"}");
            assertThat(strata(config, TestRegistry.PASSWORD + "\n", "login", "-u", TestRegistry.USER, "--password-stdin", registry.host())
                    .output()).contains("Login Succeeded");
            assertThat(Files.readString(bin.resolve("helper-store.json"))).contains(TestRegistry.PASSWORD);
            assertThat(Files.readString(config.resolve("config.json"))).doesNotContain(TestRegistry.PASSWORD);
            StrataProcess.Result helped = strata(config, "", "pull", "-q", name);
            assertThat(helped.status()).as(helped.output()).isZero();
            assertThat(helped.output()).isEqualTo(name + "\n");
            assertThat(strata(config, "", "logout", registry.host()).status()).isZero();
            assertThat(bin.resolve("helper-store.json")).doesNotExist();
        }
    }
}
