package dev.strata.sys;

import java.io.IOException;

/** A failed Linux system call: which call, on what, and the errno it returned. */
public final class LinuxException extends IOException {
    private final String call;
    private final int errno;

    public LinuxException(String call, String subject, int errno) {
        super(call + "(" + subject + "): " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
