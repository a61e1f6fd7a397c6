package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;

/**
 * The properties every accepted input must have, shared by the fuzz targets and property tests:
 * only {@link MalformedReferenceException} for bad input, and for what is accepted {@code
 * read(write(read(x)))} equals {@code read(x)} through every codec.
 */
public final class RoundTrips {

  private RoundTrips() {}

  /**
   * Asserts the round trips of an accepted reference: canonical JSON (text and bytes, a fixed point
   * from the first write on), pretty JSON, the compact form, and its key.
   *
   * @param r the reference a decoder accepted
   */
  public static void assertReference(ConversationReference r) {
    String written = ReferenceJson.write(r);
    ConversationReference back = ReferenceJson.read(written);
    assertThat(back).isEqualTo(r);
    assertThat(ReferenceJson.write(back)).isEqualTo(written);
    assertThat(ReferenceJson.read(ReferenceJson.writeBytes(r))).isEqualTo(r);
    assertThat(ReferenceJson.read(ReferenceJson.writePretty(r))).isEqualTo(r);
    assertThat(CompactReference.decode(CompactReference.encode(r))).isEqualTo(r);
    ReferenceKey key = r.key();
    assertThat(key).isEqualTo(ReferenceKey.of(r.channelId(), r.conversation().id()));
    assertThat(key.hash()).hasSize(64);
  }

  /**
   * Asserts the round trip of an accepted activity.
   *
   * @param a the activity a decoder accepted
   */
  public static void assertActivity(Activity a) {
    String json = ActivityJson.write(a);
    Activity back = ActivityJson.read(json);
    assertThat(back).isEqualTo(a);
    assertThat(ActivityJson.write(back)).isEqualTo(json);
  }

  /**
   * Asserts that a refusal is the documented one, with a path and a message.
   *
   * @param e the exception a decoder raised
   */
  public static void assertRefusal(MalformedReferenceException e) {
    assertThat(e.path()).isNotBlank();
    assertThat(e.getMessage()).startsWith("Malformed input at '");
  }
}
