package dev.beckon.testkit;

import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Sample references for tests: the official SDKs' fixtures and awkward ids. */
public final class SampleReferences {

  /**
   * Fixture names: {@code <sdk>-<activity>} is the reference that SDK captured from that activity
   * (resource {@code fixtures/conversation-reference/<sdk>/<activity>.json} next to this class);
   * {@code v3-import-emulator} is the reference a v3 resumption cookie imports to.
   */
  public static final List<String> FIXTURES =
      List.of(
          "java-01-emulator-message",
          "java-02-teams-personal-message",
          "java-03-teams-channel-thread-message",
          "java-07-directline-conversation-update",
          "js-01-emulator-message",
          "js-02-teams-personal-message",
          "js-03-teams-channel-thread-message",
          "js-07-directline-conversation-update",
          "v3-import-emulator");

  private SampleReferences() {}

  /**
   * The JSON text of a fixture, as the official SDK wrote it.
   *
   * @param name one of {@link #FIXTURES}
   * @return the JSON text
   */
  public static String fixtureJson(String name) {
    if (!FIXTURES.contains(name)) {
      throw new IllegalArgumentException("no fixture named " + name);
    }
    try (InputStream in = SampleReferences.class.getResourceAsStream(resource(name))) {
      if (in == null) {
        throw new IllegalStateException("fixture " + name + " is missing from the testkit jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    if (name.equals("v3-import-emulator")) {
      return "fixtures/resumption-cookie/v3-emulator.expected-conversation-reference.json";
    }
    int dash = name.indexOf('-');
    return "fixtures/conversation-reference/"
        + name.substring(0, dash)
        + "/"
        + name.substring(dash + 1)
        + ".json";
  }

  /**
   * A fixture, read.
   *
   * @param name one of {@link #FIXTURES}
   * @return the reference
   */
  public static ConversationReference fixture(String name) {
    return ReferenceJson.read(fixtureJson(name));
  }

  /**
   * Conversation ids that stores get wrong: Teams thread ids, long {@code a:} ids, characters Azure
   * and URLs refuse, quotes and SQL, whitespace, emoji, other scripts, 1,000 characters.
   *
   * @return the ids
   */
  public static List<String> nastyConversationIds() {
    return List.of(
        "19:abc@thread.tacv2;messageid=1712",
        "19:8f6f2c2e7e1b4e7a9a1f0c3d5b6a7e8f@thread.skype;messageid=1712345678901",
        "a:1" + "Xyz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz-_".repeat(8),
        "0c1e8a50-27f6-11ef-9d4e-6b1c3f0a2d11|livechat",
        "with/slash\\back#hash?query%percent",
        "%2F already %41 encoded %",
        "tab\tand\nnewline\u0001control",
        "  leading and trailing spaces  ",
        "quote' \"double\" ; DROP TABLE refs; --",
        "emoji 😀🎉 and ✓",
        "日本語の会話 — Ελληνικά — עברית — العربية",
        "a:" + "é".repeat(400),
        "x".repeat(1000),
        "*",
        "_",
        "{hashtag}in{redis}");
  }

  /**
   * A small valid reference.
   *
   * @param channelId the channel
   * @param conversationId the conversation id
   * @param tenantId the tenant, or {@code null}
   * @return the reference
   */
  public static ConversationReference reference(
      String channelId, String conversationId, @Nullable String tenantId) {
    return new ConversationReference(
        null,
        ChannelAccount.of("29:user-" + Math.abs((long) conversationId.hashCode()), "A User"),
        ChannelAccount.of("28:bot", "Beckon Bot"),
        new ConversationAccount(
            conversationId, null, false, "personal", tenantId, null, null, Map.of()),
        channelId,
        "en-US",
        "https://smba.trafficmanager.net/emea/",
        Map.of());
  }

  /**
   * A reference with unknown fields at every level, to check they survive.
   *
   * @return the reference
   */
  // javac writes the compact constructor's Map<String, @Nullable Object> annotation with a FIELD
  // target, so in JSpecify mode NullAway reads the parameter as Map<String, Object> (JDK 25 too)
  @SuppressWarnings("NullAway")
  public static ConversationReference withExtras() {
    Map<String, @Nullable Object> nested = new LinkedHashMap<>();
    nested.put("n", 1);
    nested.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    nested.put("pi", new java.math.BigDecimal("3.14159265358979323846"));
    nested.put("list", List.of("a", true, 2));
    nested.put("nothing", null);
    Map<String, @Nullable Object> top = new LinkedHashMap<>();
    top.put("customTopLevel", nested);
    return new ConversationReference(
        "1234",
        new ChannelAccount("29:u", "U", "aad-u", "user", Map.of("properties", Map.of("k", "v"))),
        new ChannelAccount("28:b", "B", null, "bot", Map.of()),
        new ConversationAccount(
            "conv-extras",
            "Room",
            true,
            "channel",
            "tenant-x",
            null,
            null,
            Map.of("properties", Map.of("x", List.of(1, 2, 3)))),
        "msteams",
        "de-DE",
        "https://smba.trafficmanager.net/amer/",
        top);
  }
}
