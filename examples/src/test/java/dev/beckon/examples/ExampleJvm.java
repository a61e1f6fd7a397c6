package dev.beckon.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts an example's {@code main} in a child JVM on the module's runtime class path, as a user
 * runs it.
 */
public final class ExampleJvm {

  private ExampleJvm() {}

  /**
   * The command that runs a main class.
   *
   * @param mainClass the class
   * @param args its arguments
   * @return a process builder for it (nothing redirected yet)
   * @throws IOException when {@code target/classpath.txt} cannot be read
   */
  public static ProcessBuilder command(String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-cp", classpath(), mainClass));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /**
   * The {@code java} launcher of the JVM running the tests.
   *
   * @return its path
   */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classpath() throws IOException {
    return Files.readString(Path.of("target", "classpath.txt")).strip()
        + java.io.File.pathSeparator
        + Path.of("target", "classes").toAbsolutePath();
  }
}
