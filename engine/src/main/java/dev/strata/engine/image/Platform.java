package dev.strata.engine.image;

/** The platform of this host, in OCI terms. */
final class Platform {
    static final String OS = "linux";

    private Platform() {
    }

    /** {@code amd64}, {@code arm64}, ... from the JVM's {@code os.arch}. */
    static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> arch;
        };
    }
}
