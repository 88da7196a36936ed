package io.gitcrq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM records a program's archive at its exit, and the next start maps the program's classes from it. */
class ClassDataArchiveTest {

    private static final String PROGRAM = ArchivedProgram.class.getName();

    @TempDir
    Path dir;

    @Test
    void aCleanRunsRecordingBecomesTheArchiveTheNextStartLoadsItsClassesFrom() throws Exception {
        Path jar = programJar();
        ClassDataArchive.Use first =
                ClassDataArchive.beside(jar, jar.toString()).use();
        assertThat(first.recording())
                .as("nothing to map yet: the first start records")
                .isNotNull();

        assertThat(run(jar, first.jvmOptions())).contains("archived program ran");
        assertThat(dir.resolve(ClassDataArchive.FILE_NAME))
                .as("recorded, not yet kept")
                .doesNotExist();
        first.recording().keep();

        assertThat(first.recording().file()).doesNotExist();
        ClassDataArchive.Use second =
                ClassDataArchive.beside(jar, jar.toString()).use();
        assertThat(second.recording()).isNull();
        List<String> logging = new ArrayList<>(second.jvmOptions());
        logging.add("-Xlog:class+load=info");
        assertThat(run(jar, logging)).contains(PROGRAM + " source: shared objects file (top)");
    }

    @Test
    void anArchiveOlderThanItsJarIsRecordedAgain() throws Exception {
        Path jar = programJar();
        Path archive = dir.resolve(ClassDataArchive.FILE_NAME);
        Files.writeString(archive, "an archive of an earlier build");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(3600)));

        ClassDataArchive.Use use = ClassDataArchive.beside(jar, jar.toString()).use();

        assertThat(use.recording()).isNotNull();
        assertThat(use.jvmOptions()).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void aRecordingOfARunThatDidNotStopCleanlyIsDiscarded() throws Exception {
        Path jar = programJar();
        ClassDataArchive.Use use = ClassDataArchive.beside(jar, jar.toString()).use();
        Files.writeString(use.recording().file(), "half an archive");

        use.recording().discard();

        assertThat(use.recording().file()).doesNotExist();
        assertThat(dir.resolve(ClassDataArchive.FILE_NAME)).doesNotExist();
    }

    /** A JVM mapping a cut archive dies (SIGBUS): a recording no JVM maps is never kept, whatever its run said. */
    @Test
    void aCutRecordingIsNotKept() throws Exception {
        Path jar = programJar();
        ClassDataArchive.Use use = ClassDataArchive.beside(jar, jar.toString()).use();
        run(jar, use.jvmOptions());
        byte[] whole = Files.readAllBytes(use.recording().file());
        Files.write(use.recording().file(), java.util.Arrays.copyOf(whole, whole.length / 2));

        use.recording().keep();

        assertThat(dir.resolve(ClassDataArchive.FILE_NAME)).doesNotExist();
        assertThat(use.recording().file()).doesNotExist();
        assertThat(ClassDataArchive.beside(jar, jar.toString()).use().recording())
                .as("the next start records again")
                .isNotNull();
    }

    /** A jar holding only the program, with a Main-Class, made a second in the past. */
    private Path programJar() throws IOException {
        Path jar = dir.resolve("program.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PROGRAM);
        String entry = PROGRAM.replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(entry));
            try (var in = ClassDataArchiveTest.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(jarOut);
            }
            jarOut.closeEntry();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(1)));
        return jar;
    }

    private static String run(Path jar, List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(options);
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }
}
