package dev.beckon.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code beckon} as a real child JVM, the way an operator does. */
final class CliProcess {

  /** What a run printed and returned. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private CliProcess() {}

  static Result run(String stdin, String... args) throws IOException, InterruptedException {
    return launch(List.of(java(), "-cp", classpath(), "dev.beckon.cli.BeckonCli"), stdin, args);
  }

  /**
   * Runs the packaged runnable jar, {@code java -jar target/beckon.jar ...} (after {@code
   * package}).
   */
  static Result runJar(String stdin, String... args) throws IOException, InterruptedException {
    Path jar = Path.of("target", "beckon.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          jar + " is missing: it is built in the package phase, before the *IT tests");
    }
    return launch(List.of(java(), "-jar", jar.toString()), stdin, args);
  }

  /** The {@code java} launcher of the JVM running the tests. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The module's runtime class path ({@code target/classpath.txt}, written by the build) and its
   * classes.
   */
  private static String classpath() throws IOException {
    return Files.readString(Path.of("target", "classpath.txt")).strip()
        + java.io.File.pathSeparator
        + Path.of("target", "classes").toAbsolutePath();
  }

  private static Result launch(List<String> launcher, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("beckon " + String.join(" ", args) + " did not finish in 120 s");
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }
}
