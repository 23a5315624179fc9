import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Run by ./strata after a build: {@code java scripts/UpgradeClassFiles.java OUT_DIR JAR...}.
 *
 * <p>The JVM's AOT cache (JEP 483) cannot hold classes older than Java 6 (class file version 50), and picocli
 * ships as Java 5 classes: every start-up then loads, verifies and interprets ~180 picocli classes from the
 * jar, which is most of the time a short command takes. For each JAR holding such classes this writes a copy
 * to OUT_DIR whose old classes are rewritten as version 52 with stack maps (the JDK's ClassFile API computes
 * them); nothing else changes. A class that cannot be rewritten (JSR/RET bytecode, a supertype that cannot be
 * resolved) is kept as it was. Prints the path to use for each JAR, in order, one per line.
 */
public final class UpgradeClassFiles {
    private static final int OLDEST_ARCHIVABLE = ClassFile.JAVA_6_VERSION;
    private static final int TARGET = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        Path outDir = Path.of(args[0]);
        List<Path> jars = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            jars.add(Path.of(args[i]));
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        // Stack maps name common supertypes, so the rewriter must see the whole classpath's hierarchy.
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            ClassFile classFile = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            Files.createDirectories(outDir);
            for (Path jar : jars) {
                System.out.println(hasOldClasses(classFile, jar) ? upgrade(classFile, jar, outDir.resolve(jar.getFileName())) : jar);
            }
        }
    }

    private static boolean hasOldClasses(ClassFile classFile, Path jar) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (isClass(e) && classFile.parse(in.readAllBytes()).majorVersion() < OLDEST_ARCHIVABLE) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path upgrade(ClassFile classFile, Path jar, Path out) throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                zip.putNextEntry(copy);
                zip.write(isClass(e) ? upgraded(classFile, bytes) : bytes);
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    private static byte[] upgraded(ClassFile classFile, byte[] bytes) {
        ClassModel model = classFile.parse(bytes);
        if (model.majorVersion() >= OLDEST_ARCHIVABLE) {
            return bytes;
        }
        try {
            // Rebuilding every method body is what makes the ClassFile API generate the stack maps.
            return classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET, 0))));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("UpgradeClassFiles: keeping " + model.thisClass().asInternalName() + " as it was: " + e.getMessage());
            return bytes;
        }
    }

    private static boolean isClass(ZipEntry e) {
        return !e.isDirectory() && e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")
                && !e.getName().startsWith("META-INF/versions/");
    }
}
