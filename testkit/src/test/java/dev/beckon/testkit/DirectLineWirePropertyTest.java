package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the Direct Line channel parses from a client or a bot, as a property: any body is either an
 * activity (a JSON object with a string {@code type}) or refused as a bad request — never another
 * exception; any polling query gives a watermark of 0 to 999,999,999 or is refused.
 */
class DirectLineWirePropertyTest {

  static boolean refused(RuntimeException e) {
    return e.getClass().getSimpleName().equals("BadRequest");
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> fragments =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            "\"type\"",
            ":",
            ",",
            "\"message\"",
            "1e999999",
            "null",
            "\"\\u0000\"",
            "\"from\"",
            "{\"id\":\"a\"}",
            "\"",
            "\\",
            "1" + "0".repeat(80),
            "true");
    return Arbitraries.oneOf(
        fragments.list().ofMaxSize(60).map(l -> String.join("", l)),
        fragments
            .list()
            .ofMaxSize(20)
            .map(l -> "{\"type\":\"message\"," + String.join("", l) + "}"),
        Arbitraries.strings().ofMaxLength(200));
  }

  @Property(tries = 500)
  void anyBodyIsAnActivityOrRefused(@ForAll("bodies") String body) {
    try {
      ObjectNode a = DirectLineChannel.parseActivity(body.getBytes(StandardCharsets.UTF_8));
      assertThat(a.path("type").isTextual()).isTrue();
    } catch (RuntimeException e) {
      assertThat(refused(e)).as(e.toString()).isTrue();
    }
  }

  @Property(tries = 300)
  void anyRawBytesAreAnActivityOrRefused(@ForAll byte[] body) {
    try {
      DirectLineChannel.parseActivity(body);
    } catch (RuntimeException e) {
      assertThat(refused(e)).as(e.toString()).isTrue();
    }
  }

  @Provide
  Arbitrary<String> queries() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("watermark=0123456789&-+%x").ofMaxLength(40),
        Arbitraries.integers().map(i -> "watermark=" + i),
        Arbitraries.strings().ofMaxLength(300));
  }

  @Property(tries = 500)
  void anyQueryGivesABoundedWatermarkOrIsRefused(@ForAll("queries") String query) {
    try {
      assertThat(DirectLineChannel.watermark(query)).isBetween(0, 999_999_999);
    } catch (RuntimeException e) {
      assertThat(refused(e)).as(e.toString()).isTrue();
    }
  }
}
