package io.gitcrq.deploy;

/** The program {@link ClassDataArchiveTest} runs in a JVM of its own. */
public final class ArchivedProgram {

    private ArchivedProgram() {}

    public static void main(String[] args) {
        System.out.println("archived program ran");
    }
}
