package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.AttachStreams;
import dev.strata.error.InvalidArgumentException;
import dev.strata.sys.LinuxException;
import dev.strata.sys.Terminal;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

/**
 * This terminal session attached to a container ({@code run}, {@code start -a}, {@code attach}): raw mode while a
 * container terminal is attached (restored on exit, also when the JVM is told to stop), the process's stdio as
 * the streams, the detach keys, and signals sent to this process passed on to the container, as docker's
 * {@code --sig-proxy} does.
 */
final class Attached implements AutoCloseable {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    /** What a signal proxy forwards; the others keep their usual meaning. */
    private static final List<String> PROXIED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2");

    private final byte[] savedTerminal;
    private final Thread restoreOnExit;
    private final boolean stdin;
    private final Optional<byte[]> detachKeys;

    private Attached(byte[] savedTerminal, boolean stdin, Optional<byte[]> detachKeys) {
        this.savedTerminal = savedTerminal;
        this.stdin = stdin;
        this.detachKeys = detachKeys;
        this.restoreOnExit = savedTerminal == null ? null : new Thread(this::restore);
        if (restoreOnExit != null) {
            Runtime.getRuntime().addShutdownHook(restoreOnExit);
        }
    }

    /**
     * @param tty the container has a terminal
     * @param stdin this session sends its stdin
     * @param detachKeys docker's notation ({@code ctrl-p,ctrl-q}); null for the default
     */
    static Attached open(boolean tty, boolean stdin, String detachKeys) throws InvalidArgumentException, LinuxException {
        Optional<byte[]> keys = Optional.of(detachKeys == null ? AttachStreams.DEFAULT_DETACH_KEYS : parseKeys(detachKeys));
        if (tty && stdin) {
            if (!Terminal.isTerminal(STDIN)) {
                throw new InvalidArgumentException("the input device is not a TTY");
            }
            return new Attached(Terminal.makeRaw(STDIN), true, keys);
        }
        return new Attached(null, stdin, keys);
    }

    AttachStreams streams() {
        return new AttachStreams(stdin ? Optional.of(new FileInputStream(FileDescriptor.in)) : Optional.empty(),
                new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err), detachKeys,
                () -> Terminal.size(STDOUT).or(() -> Terminal.size(STDIN)).map(s -> new AttachStreams.TerminalSize(s.rows(), s.columns())));
    }

    /** Passes INT, TERM, HUP, QUIT, USR1 and USR2 sent to this process on to the container. */
    static void proxySignals(Strata strata, String container) {
        for (String name : PROXIED) {
            onSignal(name, () -> {
                try {
                    strata.containers().processes().kill(container, name);
                } catch (Exception e) {
                    // it has stopped already
                }
            });
        }
    }

    /** sun.misc.Signal, reached reflectively: it is the JDK's only way to handle a signal, and it is not API. */
    private static void onSignal(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object sig = signal.getConstructor(String.class).newInstance(name);
            Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    Thread.ofVirtual().start(action);
                }
                return null;
            });
            signal.getMethod("handle", signal, handler).invoke(null, sig, h);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no proxying on this JVM: signals keep their default effect
        }
    }

    /** docker's detach-key notation: comma-separated single characters or {@code ctrl-<a-z@[\]^_>}. */
    static byte[] parseKeys(String spec) throws InvalidArgumentException {
        String[] parts = spec.split(",");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() == 1) {
                out[i] = (byte) p.charAt(0);
            } else if (p.length() == 6 && p.toLowerCase(java.util.Locale.ROOT).startsWith("ctrl-")) {
                char c = Character.toLowerCase(p.charAt(5));
                if (c >= 'a' && c <= 'z') {
                    out[i] = (byte) (c - 'a' + 1);
                } else {
                    int index = "@[\\]^_".indexOf(c);
                    if (index < 0) {
                        throw new InvalidArgumentException("Unknown character: '" + p + "' in --detach-keys " + spec);
                    }
                    out[i] = (byte) (index == 0 ? 0 : 26 + index);
                }
            } else {
                throw new InvalidArgumentException("Unknown character: '" + p + "' in --detach-keys " + spec);
            }
        }
        return out;
    }

    private synchronized void restore() {
        if (savedTerminal != null) {
            try {
                Terminal.restore(STDIN, savedTerminal);
            } catch (LinuxException e) {
                // the terminal is gone
            }
        }
    }

    @Override
    public void close() {
        restore();
        if (restoreOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }
}
