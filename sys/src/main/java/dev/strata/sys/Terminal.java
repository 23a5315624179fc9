package dev.strata.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/** The controlling terminal of an interactive {@code run -it}: is it one, its size, raw mode and back. */
public final class Terminal {
    private static final long TIOCGWINSZ = 0x5413;
    private static final int TCSANOW = 0;
    /** sizeof(struct termios) is 60 on glibc; kept opaque with room to spare. */
    private static final int TERMIOS = 128;

    private static final Downcall ISATTY = Native.call("isatty", JAVA_INT, JAVA_INT);
    private static final Downcall IOCTL = Native.variadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final Downcall TCGETATTR = Native.call("tcgetattr", JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall TCSETATTR = Native.call("tcsetattr", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall CFMAKERAW = Native.procedure("cfmakeraw", ADDRESS);

    /** Rows and columns. */
    public record Size(int rows, int columns) {
    }

    private Terminal() {
    }

    public static boolean isTerminal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) ISATTY.get().invokeExact(arena.allocate(Native.CAPTURE), fd) == 1;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The window size of the terminal on {@code fd}, if it is one. */
    public static Optional<Size> size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8, 2);
            int rc = (int) IOCTL.get().invokeExact(arena.allocate(Native.CAPTURE), fd, TIOCGWINSZ, ws);
            if (rc < 0) {
                return Optional.empty();
            }
            return Optional.of(new Size(Short.toUnsignedInt(ws.get(JAVA_SHORT, 0)), Short.toUnsignedInt(ws.get(JAVA_SHORT, 2))));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Puts the terminal on {@code fd} into raw mode (cfmakeraw, as docker's CLI does); returns what to restore. */
    public static byte[] makeRaw(int fd) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment t = arena.allocate(TERMIOS, 8);
            if ((int) TCGETATTR.get().invokeExact(err, fd, t) < 0) {
                throw new LinuxException("tcgetattr", "fd " + fd, Native.errno(err));
            }
            byte[] saved = t.toArray(JAVA_BYTE);
            CFMAKERAW.get().invokeExact(t);
            if ((int) TCSETATTR.get().invokeExact(err, fd, TCSANOW, t) < 0) {
                throw new LinuxException("tcsetattr", "fd " + fd, Native.errno(err));
            }
            return saved;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void restore(int fd, byte[] saved) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment t = arena.allocate(TERMIOS, 8);
            MemorySegment.copy(saved, 0, t, JAVA_BYTE, 0, saved.length);
            if ((int) TCSETATTR.get().invokeExact(err, fd, TCSANOW, t) < 0) {
                throw new LinuxException("tcsetattr", "fd " + fd, Native.errno(err));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
