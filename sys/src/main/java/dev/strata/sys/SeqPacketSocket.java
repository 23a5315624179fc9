package dev.strata.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A connected {@code AF_UNIX SOCK_SEQPACKET} socket, the kind conmon's attach socket is (the JDK's unix-domain
 * channels are stream sockets only). Each receive returns one whole message. One thread may receive while
 * another sends; {@link #shutdown} wakes a blocked receiver, and {@link #close} must come after it returned.
 */
public final class SeqPacketSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;
    private static final int SUN_PATH = 108;

    private static final Downcall SOCKET = Native.call("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall CONNECT = Native.call("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall RECV = Native.call("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall SEND = Native.call("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall SHUTDOWN = Native.call("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall OPEN = Native.variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;
    private volatile boolean closed;

    private SeqPacketSocket(int fd, int bufferSize) {
        this.fd = fd;
        this.receiveBuffer = arena.allocate(bufferSize);
    }

    /**
     * Connects to the socket at {@code path}, whatever its length: through {@code /proc/self/fd/N/name} of its
     * directory, as conmon binds it (a {@code sockaddr_un} path holds only 107 bytes). Messages longer than
     * {@code bufferSize} are cut.
     */
    public static SeqPacketSocket connect(Path path, int bufferSize) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(Native.CAPTURE);
            Path dir = path.toAbsolutePath().getParent();
            int dirFd = (int) OPEN.get().invokeExact(err, a.allocateFrom(dir.toString()), O_PATH | O_CLOEXEC, 0);
            if (dirFd < 0) {
                throw new LinuxException("open", dir.toString(), Native.errno(err));
            }
            try {
                int fd = (int) SOCKET.get().invokeExact(err, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
                if (fd < 0) {
                    throw new LinuxException("socket", "AF_UNIX SOCK_SEQPACKET", Native.errno(err));
                }
                byte[] name = ("/proc/self/fd/" + dirFd + "/" + path.getFileName()).getBytes(StandardCharsets.UTF_8);
                if (name.length >= SUN_PATH) {
                    Fds.close(fd);
                    throw new LinuxException("connect", path.toString(), Errno.EINVAL);
                }
                MemorySegment addr = a.allocate(2 + SUN_PATH, 2);
                addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(name, 0, addr, JAVA_BYTE, 2, name.length);
                int rc = (int) CONNECT.get().invokeExact(err, fd, addr, 2 + SUN_PATH);
                if (rc < 0) {
                    int errno = Native.errno(err);
                    Fds.close(fd);
                    throw new LinuxException("connect", path.toString(), errno);
                }
                return new SeqPacketSocket(fd, bufferSize);
            } finally {
                Fds.close(dirFd);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Receives one message into {@code into} (at least the buffer size long); returns its length, 0 at the end. */
    public int receive(byte[] into) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(Native.CAPTURE);
            while (true) {
                long n = (long) RECV.get().invokeExact(err, fd, receiveBuffer, Math.min(receiveBuffer.byteSize(), into.length), 0);
                if (n >= 0) {
                    MemorySegment.copy(receiveBuffer, JAVA_BYTE, 0, into, 0, (int) n);
                    return (int) n;
                }
                int errno = Native.errno(err);
                if (errno != Errno.EINTR) {
                    throw new LinuxException("recv", "attach socket", errno);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sends {@code length} bytes as one message. */
    public void send(byte[] data, int offset, int length) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(Native.CAPTURE);
            MemorySegment buf = a.allocate(Math.max(1, length));
            MemorySegment.copy(data, offset, buf, JAVA_BYTE, 0, length);
            while (true) {
                long n = (long) SEND.get().invokeExact(err, fd, buf, (long) length, MSG_NOSIGNAL);
                if (n >= 0) {
                    return;
                }
                int errno = Native.errno(err);
                if (errno != Errno.EINTR) {
                    throw new LinuxException("send", "attach socket", errno);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** No more sending: the peer reads end of file (conmon then closes the container's stdin). */
    public void shutdownOutput() throws LinuxException {
        shutdown(SHUT_WR);
    }

    /** Both directions: a blocked {@link #receive} returns 0. */
    public void shutdown() throws LinuxException {
        shutdown(SHUT_RDWR);
    }

    private void shutdown(int how) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(Native.CAPTURE);
            int rc = (int) SHUTDOWN.get().invokeExact(err, fd, how);
            if (rc < 0 && Native.errno(err) != 107) { // ENOTCONN: the peer is gone already
                throw new LinuxException("shutdown", "attach socket", Native.errno(err));
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Fds.close(fd);
            arena.close();
        }
    }
}
