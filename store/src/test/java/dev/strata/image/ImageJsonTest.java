package dev.strata.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.error.BadContentException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree reader of image configs gives exactly what Jackson's bean mapping gives, or leaves the config to it. */
class ImageJsonTest {
    private static final String DOCKER = """
            {"architecture":"amd64","os":"linux","variant":"v8","created":"2024-05-13T21:37:14.123456789Z",
             "author":"Someone <a@b.c>","comment":"buildkit","docker_version":"20.10.24","id":"ignored","parent":"ignored",
             "container":"0123","container_config":{"Cmd":["/bin/sh","-c","#(nop) CMD [\\"bash\\"]"]},
             "config":{"Hostname":"","User":"app:app","ExposedPorts":{"80/tcp":{},"53/udp":{}},
               "Env":["PATH=/usr/local/sbin:/usr/bin","LANG=C.UTF-8"],"Entrypoint":null,"Cmd":["bash"],
               "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,"Retries":3},"ArgsEscaped":true,
               "Volumes":{"/data":{}},"WorkingDir":"/srv","Labels":{"org.opencontainers.image.version":"1.2","empty":""},
               "StopSignal":"SIGQUIT","OnBuild":["RUN echo hi"],"Shell":["/bin/bash","-c"],"Image":"sha256:abc"},
             "rootfs":{"type":"layers","diff_ids":["sha256:1111111111111111111111111111111111111111111111111111111111111111",
               "sha256:2222222222222222222222222222222222222222222222222222222222222222"]},
             "history":[{"created":"2024-05-13T21:37:13Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / "},
               {"created":"2024-05-13T21:37:14Z","created_by":"/bin/sh -c #(nop)  CMD [\\"bash\\"]","empty_layer":true,
                "author":"x","comment":"y"},
               {"created_by":"RUN x","empty_layer":false}]}
            """;

    /** Inputs the tree reader takes: the result must equal the bean mapping's. */
    private static final List<String> TAKEN = List.of(
            DOCKER,
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
            "{}",
            "{\"config\":null,\"rootfs\":null,\"history\":null,\"architecture\":null}",
            "{\"config\":{\"Labels\":{\"a\":null},\"Env\":[null,\"A=1\"],\"Cmd\":[],\"ExposedPorts\":{},\"ArgsEscaped\":false}}",
            "{\"history\":[]}",
            "{\"os\":\"linux\",\"os\":\"windows\"}");

    /** Inputs left to the bean mapping: types the records do not declare, or nulls Jackson treats its own way. */
    private static final List<String> LEFT = List.of(
            "{\"architecture\":5}",
            "{\"config\":{\"Cmd\":\"sh\"}}",
            "{\"config\":{\"Healthcheck\":null}}",
            "{\"config\":{\"ExposedPorts\":{\"80/tcp\":null}}}",
            "{\"config\":{\"Labels\":{\"n\":1}}}",
            "{\"config\":{\"ArgsEscaped\":\"true\"}}",
            "{\"history\":[{\"empty_layer\":\"true\"}]}",
            "{\"history\":[{\"empty_layer\":null}]}",
            "{\"rootfs\":\"layers\"}",
            "[]",
            "null",
            "{\"architecture\":",
            "not json");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theTreeReaderGivesWhatTheBeanMappingGives() {
        for (String json : TAKEN) {
            ImageConfig expected = ImageJson.MAPPER.readValue(bytes(json), ImageConfig.class);
            assertThat(ImageJson.readImageConfig(bytes(json))).as(json).contains(expected);
        }
        ImageConfig docker = ImageJson.readImageConfig(bytes(DOCKER)).orElseThrow();
        assertThat(docker.configOrEmpty().cmd()).containsExactly("bash");
        assertThat(docker.historyOrEmpty()).extracting(ImageConfig.History::emptyLayer).containsExactly(false, true, false);
        assertThat(docker.diffIds()).hasSize(2);
        // what Strata writes reads back the same way
        byte[] written = ImageJson.write(docker);
        assertThat(ImageJson.readImageConfig(written)).contains(ImageJson.MAPPER.readValue(written, ImageConfig.class));
    }

    @Test
    void anythingElseIsLeftToTheBeanMappingWithItsResultOrError() {
        for (String json : LEFT) {
            assertThat(ImageJson.readImageConfig(bytes(json))).as(json).isEmpty();
            Object expected;
            try {
                expected = ImageJson.MAPPER.readValue(bytes(json), ImageConfig.class);
            } catch (RuntimeException e) {
                assertThatThrownBy(() -> ImageJson.read(bytes(json), ImageConfig.class, "config x")).as(json)
                        .isInstanceOf(BadContentException.class).hasMessageStartingWith("config x is not valid JSON for ImageConfig: ");
                continue;
            }
            try {
                assertThat(ImageJson.read(bytes(json), ImageConfig.class, "config x")).as(json).isEqualTo(expected);
            } catch (BadContentException e) {
                throw new AssertionError(json + ": " + e.getMessage(), e);
            }
        }
    }
}
