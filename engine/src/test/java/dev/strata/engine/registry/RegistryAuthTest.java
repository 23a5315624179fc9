package dev.strata.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.digest.Digest;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.image.ImportOptions;
import dev.strata.image.ImageJson;
import dev.strata.testing.TarFixtures;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login, push and pull against docker-registry behind htpasswd Basic auth, and behind the Bearer token flow with a
 * token server the test provides; credentials kept in a docker CLI config.json.
 */
class RegistryAuthTest {
    @TempDir
    Path work;
    Strata strata;
    Path authFile;

    @BeforeEach
    void open() throws Exception {
        strata = Strata.open(StrataOptions.at(work.resolve("root")));
        authFile = work.resolve("docker/config.json");
    }

    @AfterEach
    void close() throws Exception {
        strata.close();
    }

    private RegistryOptions options() {
        return RegistryOptions.defaults().withAuthFile(authFile).withRetry(RegistryTest.FAST_RETRY);
    }

    private Digest importFixture(String name) throws Exception {
        try (InputStream in = Files.newInputStream(TarFixtures.rootfs(work, "auth"))) {
            return strata.images().importImage(in, ImportOptions.tagged(name)).id();
        }
    }

    /** Anonymous access is refused; wrong credentials are refused and not stored; right ones are, and work; logout. */
    private void loginPushPullLogout(TestRegistry registry, String wrongPasswordMessage) throws Exception {
        String name = registry.ref("private/img:1");
        Digest id = importFixture(name);
        assertThatThrownBy(() -> strata.registry().push(name, PushOptions.of(options()), Progress.Listener.NONE))
                .isInstanceOf(RegistryException.class).hasMessageContaining("unauthorized");
        assertThatThrownBy(() -> strata.registry().pull(name, PullOptions.of(options()), Progress.Listener.NONE))
                .isInstanceOf(RegistryException.class).hasMessageContaining("unauthorized");

        Optional<String> server = Optional.of(registry.host());
        assertThatThrownBy(() -> RegistryService.login(server, new Credentials(TestRegistry.USER, "wrong"), options()))
                .isInstanceOf(RegistryException.class).hasMessageContaining(wrongPasswordMessage);
        assertThat(authFile).doesNotExist();

        String key = RegistryService.login(server, new Credentials(TestRegistry.USER, TestRegistry.PASSWORD), options());
        assertThat(key).isEqualTo(registry.host());
        assertThat(Files.getPosixFilePermissions(authFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<?, ?> json = ImageJson.MAPPER.readValue(Files.readAllBytes(authFile), Map.class);
        String auth = (String) ((Map<?, ?>) ((Map<?, ?>) json.get("auths")).get(registry.host())).get("auth");
        assertThat(new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8))
                .isEqualTo(TestRegistry.USER + ":" + TestRegistry.PASSWORD);

        PushResult pushed = strata.registry().push(name, PushOptions.of(options()), Progress.Listener.NONE);
        try (Strata other = Strata.open(StrataOptions.at(work.resolve("other")))) {
            PullResult pulled = other.registry().pull(name, PullOptions.of(options()), Progress.Listener.NONE);
            assertThat(pulled.id()).isEqualTo(id);
            assertThat(pulled.digest()).isEqualTo(pushed.digest());
        }
        assertThat(RegistryService.logout(server, options())).isTrue();
        assertThat(RegistryService.logout(server, options())).isFalse();
        assertThat(Files.readString(authFile)).doesNotContain(registry.host());
        assertThatThrownBy(() -> strata.registry().pull(name, PullOptions.of(options()), Progress.Listener.NONE))
                .isInstanceOf(RegistryException.class).hasMessageContaining("unauthorized");
    }

    @Test
    void basicAuth() throws Exception {
        try (TestRegistry registry = TestRegistry.basic(work.resolve("basic"))) {
            loginPushPullLogout(registry, "HTTP 401");
        }
    }

    @Test
    void bearerTokens() throws Exception {
        try (TokenServer tokens = TokenServer.start(work.resolve("tokens"));
                TestRegistry registry = TestRegistry.token(work.resolve("token-registry"), tokens)) {
            loginPushPullLogout(registry, "incorrect username or password");
            assertThat(tokens.issued.get()).isPositive();
        }
    }

    @Test
    void configFilesKeepWhatTheyHadAndFindCredentialsAsTheDockerCliWrites() throws Exception {
        Files.createDirectories(authFile.getParent());
        Files.writeString(authFile, """
                {"auths": {"https://registry.example:5000/v1/": {"auth": "%s"}}, "HttpHeaders": {"X-Meta": "kept"}}
                """.formatted(Base64.getEncoder().encodeToString("u:p".getBytes())));
        DockerConfigFile file = new DockerConfigFile(authFile);
        assertThat(file.get("registry.example:5000")).contains(new Credentials("u", "p"));
        assertThat(file.get("other.example")).isEmpty();
        file.store(RegistryHost.DOCKER_HUB_AUTH_KEY, new Credentials("hub", "pw"));
        assertThat(Files.readString(authFile)).contains("X-Meta").contains(RegistryHost.DOCKER_HUB_AUTH_KEY);
        assertThat(RegistryService.authKey(Optional.empty())).isEqualTo(RegistryHost.DOCKER_HUB_AUTH_KEY);
        assertThat(RegistryService.authKey(Optional.of("docker.io"))).isEqualTo(RegistryHost.DOCKER_HUB_AUTH_KEY);
        assertThat(RegistryHost.of("docker.io", RegistryOptions.defaults()).apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(RegistryHost.of("docker.io", RegistryOptions.defaults()).insecure()).isFalse();
        assertThat(RegistryHost.of("localhost:5000", RegistryOptions.defaults()).insecure()).isTrue();
        assertThat(RegistryHost.of("registry.example:5000", RegistryOptions.defaults()).insecure()).isFalse();
        assertThat(RegistryHost.of("registry.example:5000", RegistryOptions.defaults().withInsecureRegistries(
                java.util.Set.of("registry.example:5000"))).insecure()).isTrue();
        assertThat(file.erase("registry.example:5000")).isTrue();
        assertThat(file.get("registry.example:5000")).isEmpty();
    }

    @Test
    void challengesParseAsDockerHubSendsThem() {
        var c = Challenge.parse(java.util.List.of(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\""));
        assertThat(c).hasSize(1);
        assertThat(c.getFirst().scheme()).isEqualTo("bearer");
        assertThat(c.getFirst().params()).containsEntry("realm", "https://auth.docker.io/token")
                .containsEntry("service", "registry.docker.io").containsEntry("scope", "repository:library/ubuntu:pull");
        var two = Challenge.parse(java.util.List.of("Basic realm=\"x\", Bearer realm=\"y\",service=z"));
        assertThat(two).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(Challenge.preferred(two).orElseThrow().scheme()).isEqualTo("bearer");
    }
}
