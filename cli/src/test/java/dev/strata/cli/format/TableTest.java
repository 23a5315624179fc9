package dev.strata.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected strings were produced by Go's text/tabwriter with docker/cli's settings (10, 1, 3, ' ', 0). */
class TableTest {
    @Test
    void imagesListingLinesUpLikeDocker() {
        Table t = Table.docker()
                .row("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE")
                .row("hello-world", "latest", "feb5d9fea6a5", "2 years ago", "13.3kB")
                .row("ubuntu", "22.04", "3b418d7b466a", "3 weeks ago", "77.8MB")
                .row("<none>", "<none>", "0123456789ab", "About an hour ago", "1e+03kB");
        assertThat(t.render()).isEqualTo(""
                + "REPOSITORY    TAG       IMAGE ID       CREATED             SIZE\n"
                + "hello-world   latest    feb5d9fea6a5   2 years ago         13.3kB\n"
                + "ubuntu        22.04     3b418d7b466a   3 weeks ago         77.8MB\n"
                + "<none>        <none>    0123456789ab   About an hour ago   1e+03kB\n");
    }

    @Test
    void headerAloneKeepsMinimumWidths() {
        assertThat(Table.docker().row("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE").render())
                .isEqualTo("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
        assertThat(Table.docker().render()).isEmpty();
    }

    @Test
    void widthsCountCodePointsAndEmptyCellsArePadded() {
        assertThat(Table.docker().row("日本語", "", "x").row("a", "bb", "y").render())
                .isEqualTo("日本語" + " ".repeat(7) + " ".repeat(10) + "x\n"
                        + "a         bb        y\n");
        assertThat(Table.docker().row("😀", "z").render()).isEqualTo("😀         z\n");
    }

    @Test
    void aLineWithoutTabsEndsTheColumnsAboveIt() {
        // tabwriter flushes after a single-cell line, so the two blocks are sized on their own
        String text = "a-much-longer-cell\tb\nseparator\nc\td\n";
        assertThat(Table.align(text)).isEqualTo(""
                + "a-much-longer-cell   b\n"
                + "separator\n"
                + "c         d\n");
    }

    @Test
    void columnBlocksFollowTabwriter() {
        // column 1 exists only in the first two lines, so the third line breaks its block
        String text = "aaaaaaaaaaaa\tb\tc\nd\teeeeeeeeeeeee\tf\ng\th\ni\tj\tk\n";
        assertThat(Table.align(text)).isEqualTo(""
                + "aaaaaaaaaaaa   b               c\n"
                + "d              eeeeeeeeeeeee   f\n"
                + "g              h\n"
                + "i              j         k\n");
    }

    @Test
    void otherSettingsAndUnterminatedText() {
        assertThat(Table.align("a\tbb\tc\nddd\te", 0, 1)).isEqualTo("a   bb c\nddd e");
        assertThat(new Table(20, 1).row("NAME", "VALUE").row("x", "y").render())
                .isEqualTo("NAME                VALUE\nx                   y\n");
    }
}
