package dev.strata.engine.runtime;

import dev.strata.sys.LinuxException;
import dev.strata.sys.SeqPacketSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection to conmon's attach socket: output arrives as messages whose first byte names the stream
 * (2 stdout, 3 stderr; a terminal's output is all stdout), and input goes back as plain bytes. The socket only
 * carries what is written after connecting, so {@code run} connects before {@code runc start}.
 */
public final class AttachSession implements AutoCloseable {
    private static final int STDOUT = 2;
    private static final int STDERR = 3;
    /** conmon sends at most its stdio buffer (8192 bytes) plus the stream byte per message. */
    private static final int MESSAGE = 32768;

    private final SeqPacketSocket socket;

    private AttachSession(SeqPacketSocket socket) {
        this.socket = socket;
    }

    public static AttachSession connect(Path bundle) throws LinuxException {
        return new AttachSession(SeqPacketSocket.connect(bundle.resolve(Conmon.ATTACH), MESSAGE));
    }

    /**
     * Copies the container's output to {@code out} and {@code err} and, when given, {@code stdin} to the container,
     * until the container's output ends (it exited) or the user typed {@code detachKeys}. End of {@code stdin}
     * is passed on (the container's stdin closes unless it is meant to stay open). Returns true when detached.
     */
    public boolean pump(Optional<InputStream> stdin, OutputStream out, OutputStream err, Optional<byte[]> detachKeys) throws IOException {
        AtomicBoolean detached = new AtomicBoolean();
        if (stdin.isPresent()) {
            // A platform thread: it may sit in a blocking read of the terminal until the process exits.
            Thread pump = new Thread(() -> copyInput(stdin.get(), detachKeys, detached), "strata-attach-stdin");
            pump.setDaemon(true);
            pump.start();
        }
        byte[] buf = new byte[MESSAGE];
        while (true) {
            int n;
            try {
                n = socket.receive(buf);
            } catch (LinuxException e) {
                if (detached.get()) {
                    break;
                }
                throw e;
            }
            if (n <= 0) {
                break;
            }
            OutputStream target = buf[0] == STDERR ? err : out;
            if (buf[0] == STDOUT || buf[0] == STDERR) {
                target.write(buf, 1, n - 1);
                target.flush();
            }
        }
        return detached.get();
    }

    private void copyInput(InputStream in, Optional<byte[]> keys, AtomicBoolean detached) {
        byte[] buf = new byte[8192];
        DetachMatcher matcher = keys.map(DetachMatcher::new).orElse(null);
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    socket.shutdownOutput();
                    return;
                }
                if (matcher == null) {
                    socket.send(buf, 0, n);
                    continue;
                }
                DetachMatcher.Result r = matcher.feed(buf, n);
                if (r.passThrough().length > 0) {
                    socket.send(r.passThrough(), 0, r.passThrough().length);
                }
                if (r.detach()) {
                    detached.set(true);
                    socket.shutdown();
                    return;
                }
            }
        } catch (IOException e) {
            // the container went away, or the socket was shut: nothing more to send
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    /**
     * Finds the detach sequence in the input, holding back bytes that might be its start: they are sent on only
     * once it is clear they are not (docker's term.EscapeProxy does the same).
     */
    static final class DetachMatcher {
        private final byte[] keys;
        private int matched;

        record Result(byte[] passThrough, boolean detach) {
        }

        DetachMatcher(byte[] keys) {
            this.keys = keys;
        }

        Result feed(byte[] buf, int n) {
            java.io.ByteArrayOutputStream pass = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == keys[matched]) {
                    matched++;
                    if (matched == keys.length) {
                        return new Result(pass.toByteArray(), true);
                    }
                    continue;
                }
                pass.write(keys, 0, matched);
                matched = 0;
                if (b == keys[0]) {
                    matched = 1;
                    if (keys.length == 1) {
                        return new Result(pass.toByteArray(), true);
                    }
                } else {
                    pass.write(b);
                }
            }
            return new Result(pass.toByteArray(), false);
        }
    }
}
