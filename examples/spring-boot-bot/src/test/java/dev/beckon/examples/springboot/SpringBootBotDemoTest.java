package dev.beckon.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example's one-command demo: answered, stored, and notified through the delivery queue. */
class SpringBootBotDemoTest {

  @Test
  void theBotAnswersStoresTheReferenceAndSpeaksFirst(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ok =
        SpringBootBotDemo.run(
            dir.resolve("demo.db"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String transcript = bytes.toString(StandardCharsets.UTF_8);
    assertThat(ok).as(transcript).isTrue();
    assertThat(transcript)
        .contains("endpoint answered 200")
        .contains("bot: Working on it")
        .contains("notification scheduled in the delivery queue: true")
        .contains("bot: Your report is ready")
        .contains(": DELIVERED after 1 attempt(s)");
  }
}
