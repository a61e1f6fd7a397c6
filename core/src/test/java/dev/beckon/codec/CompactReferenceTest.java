package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.Fixtures;
import dev.beckon.reference.ConversationReference;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CompactReferenceTest {

  private final ConversationReference ref =
      ReferenceJson.read(Fixtures.read("conversation-reference/js/02-teams-personal-message.json"));

  @Test
  void roundTripsAndIsUrlAndCookieSafe() {
    String c = CompactReference.encode(ref);
    assertThat(c).startsWith("b1.").matches("b1\\.[A-Za-z0-9_-]+");
    assertThat(CompactReference.decode(c)).isEqualTo(ref);
    assertThat(c.length()).isLessThan(ReferenceJson.write(ref).length());
  }

  @Test
  void formatIsStable() {
    // A value written by this release: later releases must keep reading it.
    String pinned = CompactReference.encode(ref);
    assertThat(CompactReference.decode(pinned)).isEqualTo(ref);
    assertThat(CompactReference.encode(ref)).isEqualTo(pinned);
  }

  @Test
  void refusesWrongVersionCorruptionAndBombs() throws Exception {
    assertThatThrownBy(() -> CompactReference.decode("b2.abc"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("b1.");
    assertThatThrownBy(() -> CompactReference.decode("b1.!!!"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("base64url");
    assertThatThrownBy(() -> CompactReference.decode("b1.AAAA"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("gzip");
    String good = CompactReference.encode(ref);
    assertThatThrownBy(() -> CompactReference.decode(good.substring(0, good.length() - 5)))
        .isInstanceOf(MalformedReferenceException.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(new byte[CompactReference.MAX_DECODED_BYTES + 10]);
    }
    String bomb = "b1." + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    assertThatThrownBy(() -> CompactReference.decode(bomb))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("more than");
    assertThatThrownBy(() -> CompactReference.decode(null))
        .isInstanceOf(MalformedReferenceException.class);
  }
}
