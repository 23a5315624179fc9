package dev.strata.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdsTest {
    @TempDir
    Path dir;

    @Test
    void writesToAFifoOnlyWhenSomebodyReadsIt() throws Exception {
        Path fifo = dir.resolve("ctl");
        assertThat(Fds.writeFifo(fifo, "x".getBytes())).as("no FIFO at all").isFalse();
        Linux.mkfifo(fifo, 0600);
        assertThat(Fds.writeFifo(fifo, "x".getBytes())).as("no reader: no wait, no write").isFalse();
        try (RandomAccessFile reader = new RandomAccessFile(fifo.toFile(), "rw")) { // O_RDWR: a reader that does not block
            assertThat(Fds.writeFifo(fifo, "1 24 80\n".getBytes())).isTrue();
            byte[] got = new byte[8];
            reader.readFully(got);
            assertThat(new String(got)).isEqualTo("1 24 80\n");
        }
    }

    @Test
    void terminalQueriesAnswerForNonTerminals() {
        assertThat(Terminal.isTerminal(-1)).isFalse();
        assertThat(Terminal.size(-1)).isEmpty();
    }
}
