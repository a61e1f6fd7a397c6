package dev.beckon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CaptureDemoTest {
  @Test
  void printsTheReferenceInThreeForms() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CaptureDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("\"channelId\" : \"msteams\"")
        .contains("b1.")
        .contains("\"address\"")
        .contains("All three forms decode back to the same conversation.");
  }
}
