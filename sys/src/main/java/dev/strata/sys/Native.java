package dev.strata.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.VarHandle;

/** The linker plumbing every native call of this module goes through: handles linked on first use ({@link Downcall}). */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));

    private Native() {
    }

    static int errno(MemorySegment captured) {
        return (int) ERRNO.get(captured, 0L);
    }

    /** A call that sets errno. */
    static Downcall call(String name, MemoryLayout ret, MemoryLayout... args) {
        return new Downcall(() -> LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args),
                Linker.Option.captureCallState("errno")));
    }

    /** A call whose errno is of no interest (it cannot fail, or its result says all). */
    static Downcall noErrno(String name, MemoryLayout ret, MemoryLayout... args) {
        return new Downcall(() -> LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args)));
    }

    /** A call that returns nothing. */
    static Downcall procedure(String name, MemoryLayout... args) {
        return new Downcall(() -> LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args)));
    }

    static Downcall variadic(String name, int firstVariadic, MemoryLayout ret, MemoryLayout... args) {
        return new Downcall(() -> LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic)));
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }
}
