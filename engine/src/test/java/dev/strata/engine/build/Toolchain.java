package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A C toolchain image's root file system made from the host's own Debian packages (gcc-12 with cpp, binutils,
 * libc6-dev, libgcc-12-dev, linux-libc-dev, the libraries they load, and busybox-static for {@code /bin/sh}),
 * so that tests compile a real program without downloading anything. The tar is cached under {@code target/}.
 */
final class Toolchain {
    static final String PACKAGES = "gcc gcc-12 cpp-12 binutils binutils-x86-64-linux-gnu libbinutils libctf0 libctf-nobfd0 "
            + "libgprofng0 libjansson4 libc6 libc6-dev libc-dev-bin libgcc-12-dev libgcc-s1 linux-libc-dev libcrypt-dev libcrypt1 "
            + "libgmp10 libmpfr6 libmpc3 libisl23 libzstd1 zlib1g libstdc++6 libcc1-0 busybox-static";

    /** Files of the packages (docs, locales and the sanitizer and LTO pieces left out), staged and tarred. */
    private static final String SCRIPT = """
            set -euo pipefail
            stage=$1; out=$2
            rm -rf "$stage"; mkdir -p "$stage"
            { dpkg -L $PACKAGES; ldd /usr/bin/x86_64-linux-gnu-gcc-12 /usr/lib/gcc/x86_64-linux-gnu/12/cc1 \\
                /usr/bin/x86_64-linux-gnu-as /usr/bin/x86_64-linux-gnu-ld.bfd | awk '/=>/ {print $3} /^\\t\\// {print $1}'; } \\
              | grep -v -e '^/usr/share/' -e 'san\\.' -e 'san_' -e '/lto1$' -e 'lto-dump' -e '^/\\.$' | sort -u \\
              | while read -r f; do
                  [ -e "$f" ] || [ -L "$f" ] || continue
                  [ -d "$f" ] && [ ! -L "$f" ] && continue
                  case $f in /bin|/sbin|/lib|/lib32|/lib64|/libx32) continue ;; esac
                  parent="$(readlink -f "$(dirname "$f")")"
                  mkdir -p "$stage$parent"
                  cp -a "$parent/$(basename "$f")" "$stage$parent/"
                done
            cd "$stage"
            for d in bin lib lib64 sbin; do [ -e usr/$d ] || mkdir -p usr/$d; ln -s usr/$d $d; done
            ln -sf busybox usr/bin/sh
            mkdir -p tmp etc; chmod 1777 tmp
            echo 'root:x:0:0:root:/root:/bin/sh' > etc/passwd; echo 'root:x:0:' > etc/group
            test -x usr/bin/x86_64-linux-gnu-gcc-12 && test -x usr/lib/gcc/x86_64-linux-gnu/12/cc1 && test -x usr/bin/busybox
            tar -cf "$out.part" . && mv "$out.part" "$out"
            """;

    private Toolchain() {
    }

    /** The tarball, made on first use. */
    static Path tarball() throws Exception {
        Path out = Path.of("target", "toolchain-gcc12.tar").toAbsolutePath();
        if (Files.exists(out)) {
            return out;
        }
        Path script = Files.createTempFile("toolchain", ".sh");
        Files.writeString(script, SCRIPT);
        Path stage = out.resolveSibling("toolchain-stage");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), stage.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PACKAGES", PACKAGES);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor()).as("making the toolchain tarball from " + PACKAGES).isZero();
        Files.deleteIfExists(script);
        new ProcessBuilder("rm", "-rf", stage.toString()).start().waitFor();
        return out;
    }
}
