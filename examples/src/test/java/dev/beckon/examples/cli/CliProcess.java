package dev.beckon.examples.cli;

import dev.beckon.examples.ExampleJvm;

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
    return launch(ExampleJvm.command("dev.beckon.examples.cli.BeckonCli").command(), stdin, args);
  }

  /** Runs the packaged runnable jar, {@code java -jar target/beckon.jar ...} (after {@code package}). */
  static Result runJar(String stdin, String... args) throws IOException, InterruptedException {
    Path jar = Path.of("target", "beckon.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: it is built in the package phase, before the *IT tests");
    }
    return launch(List.of(ExampleJvm.java(), "-jar", jar.toString()), stdin, args);
  }

  private static Result launch(List<String> launcher, String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
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
