package dev.strata.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.image.ImageJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree reader of container definitions gives what Jackson's bean mapping gives, or leaves the JSON to it. */
class ContainerDefinitionTest {
    private static final String FULL = """
            {"Config":{"Hostname":"0123456789ab","Domainname":"","User":"1000:1000","AttachStdin":true,"AttachStdout":true,
              "AttachStderr":false,"ExposedPorts":{"80/tcp":{}},"Tty":true,"OpenStdin":true,"StdinOnce":true,
              "Env":["PATH=/usr/bin:/bin","A=1"],"Cmd":["sh","-c","echo hi"],"Image":"busybox","Volumes":{"/data":{}},
              "WorkingDir":"/srv","Entrypoint":null,"OnBuild":null,"Labels":{"tier":"front"},"StopSignal":"SIGINT",
              "Unknown":42},
             "HostConfig":{"Mounts":[{"Type":"bind","Source":"/host","Target":"/ctr","ReadOnly":true},
               {"Type":"volume","Source":"vol","Target":"/data","ReadOnly":false},
               {"Type":"tmpfs","Target":"/t","Options":"size=64m"}],
              "NetworkMode":"none","ReadonlyRootfs":true,"Init":true,"AutoRemove":true,"Binds":null}}
            """;

    @Test
    void theTreeReaderGivesWhatTheBeanMappingGives() {
        List<String> inputs = List.of(FULL,
                "{\"Config\":{\"Cmd\":[\"true\"]},\"HostConfig\":{\"NetworkMode\":\"host\"}}",
                "{\"Config\":{},\"HostConfig\":{\"Binds\":null,\"NetworkMode\":\"default\",\"Privileged\":false}}", // Docker 1.9's
                "{}",
                "{\"Config\":null,\"HostConfig\":null}",
                // left to the bean mapping: a string for a boolean, a null for a primitive, a number for a string
                "{\"Config\":{\"Tty\":\"true\"}}",
                "{\"Config\":{\"Tty\":null}}",
                "{\"Config\":{\"User\":0}}",
                "{\"HostConfig\":{\"Mounts\":{}}}");
        for (String json : inputs) {
            ContainerDefinition expected;
            try {
                expected = ImageJson.MAPPER.readValue(json, ContainerDefinition.class);
            } catch (RuntimeException e) {
                String message = e.getMessage();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerDefinition.fromJson(json)).as(json)
                        .isInstanceOf(e.getClass()).hasMessage(message);
                continue;
            }
            assertThat(ContainerDefinition.fromJson(json)).as(json).isEqualTo(expected);
        }
        ContainerDefinition full = ContainerDefinition.fromJson(FULL);
        assertThat(full.host().mounts()).extracting(MountSpec::type).containsExactly(MountType.BIND, MountType.VOLUME, MountType.TMPFS);
        assertThat(full.config().commandLine()).containsExactly("sh", "-c", "echo hi");
        assertThat(ContainerDefinition.fromJson(full.toJson())).isEqualTo(full);
    }
}
