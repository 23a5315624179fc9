package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.engine.image.BusyboxRootfs;
import dev.strata.image.ImageJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code -f/--format} on real commands over one store: inspect of a created container, an image and a volume, and
 * the list commands' templates, {@code table} templates and {@code json}.
 */
class FormatCommandsTest {
    @TempDir
    static Path work;

    private static Path root;
    private static String imageId;
    private static String containerId;

    private static InProcess strata(String... args) {
        return InProcess.at(root, args);
    }

    private static String ok(String... args) {
        InProcess r = strata(args);
        assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r.out();
    }

    @BeforeAll
    static void storeWithAContainer() throws Exception {
        root = work.resolve("root");
        Path tar = work.resolve("busybox.tar");
        BusyboxRootfs.write(BusyboxRootfs.findOrInstallBusybox(new PrintWriter(new StringWriter())), tar);
        ok("--storage-driver", "overlay2", "import", tar.toString(), "busybox");
        imageId = ok("images", "-q", "--no-trunc").strip();
        containerId = ok("create", "--name", "web", "-l", "com.example.role=front", "-e", "A=1", "-v", "data:/data",
                "busybox", "sleep", "30").strip();
    }

    @Test
    void inspectRunsTheTemplateForEachObject() {
        assertThat(ok("inspect", "-f", "{{.State.Status}}", "web")).isEqualTo("created\n");
        assertThat(ok("inspect", "--format", "{{.Name}} {{.Config.Cmd}} {{index .Config.Labels \"com.example.role\"}} {{json .Config.Env}}", "web"))
                .isEqualTo("/web [sleep 30] front [\"A=1\"]\n");
        assertThat(ok("inspect", "-f", "{{.State.Pid}} {{.State.Running}} {{.Config.Entrypoint}} {{.Config.Labels.nope}}", "web"))
                .isEqualTo("0 false [] <no value>\n");
        assertThat(ok("container", "inspect", "-f", "{{range .Mounts}}{{.Name}}:{{.Destination}} {{end}}", "web")).isEqualTo("data:/data \n");
        assertThat(ok("inspect", "-f", "{{.Id}}", "web", "busybox")).isEqualTo(containerId + "\n" + imageId + "\n");
        assertThat(ok("image", "inspect", "-f", "{{.Id}} {{.Os}} {{index .RepoTags 0}}", "busybox")).isEqualTo(imageId + " linux busybox:latest\n");
        assertThat(ok("volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Scope}}", "data")).isEqualTo("data local local\n");
        assertThat(ok("inspect", "-f", "{{.Name}}", "data")).as("volumes come after containers and images").isEqualTo("data\n");
        assertThat(ok("inspect", "--type", "volume", "-f", "{{.Mountpoint}}", "data")).isEqualTo(root.resolve("volumes/data/_data") + "\n");

        String json = ok("inspect", "--format", "json", "web");
        assertThat(json.lines().toList()).hasSize(1);
        assertThat(ImageJson.MAPPER.readTree(json).get(0).get("Id").stringValue()).isEqualTo(containerId);
        assertThat(ok("inspect", "web")).startsWith("[\n    {\n        \"Id\": \"" + containerId + "\"");
    }

    @Test
    void inspectTemplateErrorsFailWithGoMessages() {
        InProcess field = strata("inspect", "-f", "{{.Nope}}", "web");
        assertThat(field.status()).isEqualTo(1);
        assertThat(field.out()).isEmpty();
        assertThat(field.err()).isEqualTo("Error: template: inspect:1:2: executing \"inspect\" at <.Nope>: can't evaluate field Nope\n");

        InProcess parse = strata("image", "inspect", "-f", "{{.Id | nope}}", "busybox");
        assertThat(parse.status()).isEqualTo(1);
        assertThat(parse.err()).isEqualTo("Error: template: image inspect:1:8: function \"nope\" not defined\n");

        InProcess missing = strata("inspect", "-f", "{{.Id}}", "web", "gone");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.out()).isEqualTo(containerId + "\n");
        assertThat(missing.err()).contains("No such object: gone");
    }

    @Test
    void imagesTemplatesTablesAndJson() {
        String shortId = imageId.substring("sha256:".length(), "sha256:".length() + 12);
        assertThat(ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}")).isEqualTo("busybox:latest " + shortId + "\n");
        assertThat(ok("images", "--format", "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}"))
                .isEqualTo("REPOSITORY   TAG       IMAGE ID\nbusybox      latest    " + shortId + "\n");
        assertThat(ok("images")).startsWith("REPOSITORY   TAG       IMAGE ID       CREATED").contains("busybox      latest    " + shortId);
        assertThat(ok("images", "--format", "table")).isEqualTo(ok("images"));
        assertThat(ok("images", "--no-trunc", "--format", "{{.ID}}")).isEqualTo(imageId + "\n");

        JsonNode row = ImageJson.MAPPER.readTree(ok("images", "--format", "json"));
        assertThat(row.get("Repository").stringValue()).isEqualTo("busybox");
        assertThat(row.get("ID").stringValue()).isEqualTo(shortId);
        assertThat(row.get("CreatedAt").stringValue()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} .+");
        assertThat(row.propertyNames()).containsExactly("Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository",
                "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize");

        InProcess bad = strata("images", "--format", "{{.Repository");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("Error: template: images:1:0: unclosed action\n");
    }

    @Test
    void psTemplatesTablesAndJson() {
        String id = containerId.substring(0, 12);
        assertThat(ok("ps", "-a", "--format", "{{.Names}}|{{.State}}|{{.Status}}|{{.Command}}|{{.Labels}}|{{.Mounts}}|{{.Networks}}|{{.Image}}"))
                .isEqualTo("web|created|Created|\"sleep 30\"|com.example.role=front|data|host|busybox\n");
        assertThat(ok("ps", "--format", "{{.Names}}")).as("ps without -a lists running containers only").isEmpty();
        assertThat(ok("ps", "-a", "--format", "table {{.ID}}\\t{{.Names}}\\t{{.Names | upper}}"))
                .isEqualTo("CONTAINER ID   NAMES     NAMES\n" + id + "   web       WEB\n");
        assertThat(ok("ps", "-a", "--format", "{{.Size}}")).as("a template using .Size computes sizes").matches("\\S+B \\(virtual \\S+B\\)\n");
        assertThat(ok("ps", "-a")).startsWith("CONTAINER ID   IMAGE     COMMAND      CREATED").contains(id + "   busybox   \"sleep 30\"");

        JsonNode row = ImageJson.MAPPER.readTree(ok("ps", "-a", "--format", "json"));
        assertThat(row.get("ID").stringValue()).isEqualTo(id);
        assertThat(row.get("Names").stringValue()).isEqualTo("web");
        assertThat(row.get("LocalVolumes").stringValue()).isEqualTo("1");

        InProcess bad = strata("ps", "-a", "--format", "{{.Nope}}");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("Error: template: ps:1:2: executing \"ps\" at <.Nope>: can't evaluate field Nope\n");
    }

    @Test
    void volumeLsAndHistoryTemplates() {
        assertThat(ok("volume", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}} {{.Mountpoint}}"))
                .isEqualTo("data local local " + root.resolve("volumes/data/_data") + "\n");
        assertThat(ok("volume", "ls", "--format", "table {{.Name}}\\t{{.Driver}}")).isEqualTo("VOLUME NAME   DRIVER\ndata          local\n");
        assertThat(ok("volume", "ls")).isEqualTo("DRIVER    VOLUME NAME\nlocal     data\n");

        String shortId = imageId.substring("sha256:".length(), "sha256:".length() + 12);
        assertThat(ok("history", "--format", "{{.ID}}|{{.Comment}}|{{.CreatedAt}}", "busybox"))
                .matches(shortId + "\\|Imported from -\\|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\n");
        assertThat(ok("history", "--format", "table {{.ID}}\\t{{.Comment}}", "busybox"))
                .isEqualTo("IMAGE          COMMENT\n" + shortId + "   Imported from -\n");
        assertThat(ok("history", "busybox")).startsWith("IMAGE          CREATED").contains("\n" + shortId + "   ");
    }
}
