package dev.strata.sys;

import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * A native function handle made on first use. Linking a downcall generates code, so making all of them when
 * {@link Linux} loads would cost every short command (like {@code strata images}) a few hundred milliseconds.
 */
final class Downcall {
    private final Supplier<MethodHandle> link;
    private volatile MethodHandle handle;

    Downcall(Supplier<MethodHandle> link) {
        this.link = link;
    }

    MethodHandle get() {
        MethodHandle h = handle;
        if (h == null) {
            synchronized (this) {
                h = handle;
                if (h == null) {
                    h = link.get();
                    handle = h;
                }
            }
        }
        return h;
    }
}
