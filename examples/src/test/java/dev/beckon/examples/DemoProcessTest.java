package dev.beckon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo, run twice as real processes on one SQLite file. */
class DemoProcessTest {

  static String run(Path db) throws Exception {
    Path out = Files.createTempFile("demo", ".out");
    Process p =
        ExampleJvm.command("dev.beckon.examples.Demo", db.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("demo finishes").isTrue();
    String text = Files.readString(out);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  void theBotSpeaksFirstAndTheReferenceSurvivesARestart(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("demo.db");
    String first = run(db);
    assertThat(first)
        .contains("no reference stored yet")
        .contains("Ada: prepare my report")
        .contains("Beckon Demo Bot: Gotcha — I'll let you know when it's ready")
        .contains("Beckon Demo Bot (proactive): Your report is ready")
        .contains("demo finished: the bot spoke first");
    String second = run(db);
    assertThat(second)
        .contains("found the reference a previous run saved")
        .contains("references in the file store: 1")
        .contains("Your report is ready");
  }
}
