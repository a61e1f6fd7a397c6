package dev.beckon.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.codec.Capture;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.codec.ReferenceJson;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ReferenceKey} identity (issue #15 item 10): distinct well-formed ids give distinct keys
 * and hashes, equal ids equal ones, and ids that are not well-formed UTF-16 are refused — by the
 * constructors with an {@link IllegalArgumentException} naming the field, by the decoders with a
 * {@link MalformedReferenceException}.
 */
class ReferenceKeyPropertyTest {

  @Example
  void theThreeIdsThatSharedAHashAreNowOneValidIdAndTwoRefusals() {
    // before: "dup\uD800", "dup\uDBFF" and "dup?" all hashed getBytes(UTF_8) = "dup?"
    assertThat(ReferenceKey.of("msteams", "dup?").hash()).hasSize(64);
    for (String bad : List.of("dup\uD800", "dup\uDBFF")) {
      assertThatThrownBy(() -> ReferenceKey.of("msteams", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conversationId")
          .hasMessageContaining("lone surrogate");
      assertThatThrownBy(() -> ReferenceKey.of(bad, "c"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("channelId");
      assertThatThrownBy(() -> ConversationAccount.of(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conversation.id");
    }
  }

  @Property(tries = 1000)
  void equalIdsGiveEqualKeys(@ForAll("ids") String channel, @ForAll("ids") String conversation) {
    ReferenceKey a = ReferenceKey.of(channel, conversation);
    ReferenceKey b =
        ReferenceKey.of(new String(channel.toCharArray()), new String(conversation.toCharArray()));
    assertThat(a).isEqualTo(b);
    assertThat(a.hash()).isEqualTo(b.hash());
    assertThat(a.bucket()).isEqualTo(b.bucket());
  }

  @Property(tries = 1000)
  void distinctIdsGiveDistinctKeysEvenWhenTheyAreNearlyEqual(
      @ForAll("ids") String channel,
      @ForAll("ids") String conversation,
      @ForAll @IntRange(max = 5) int edit,
      @ForAll("ids") String other) {
    ReferenceKey a = ReferenceKey.of(channel, conversation);
    ReferenceKey b =
        switch (edit) {
          // the boundary between the two ids moves: ("ab", "c") against ("a", "bc")
          case 0 ->
              channel.length() > 1
                      && !Character.isLowSurrogate(channel.charAt(channel.length() - 1))
                      && !channel.substring(0, channel.length() - 1).isBlank()
                  ? ReferenceKey.of(
                      channel.substring(0, channel.length() - 1),
                      channel.charAt(channel.length() - 1) + conversation)
                  : ReferenceKey.of(channel + "x", conversation);
          case 1 -> ReferenceKey.of(channel, conversation + "?");
          case 2 -> ReferenceKey.of(channel, "?" + conversation);
          case 3 -> ReferenceKey.of(conversation, channel);
          case 4 -> ReferenceKey.of(channel, other);
          default -> ReferenceKey.of(other, conversation);
        };
    if (!a.equals(b)) {
      assertThat(a.hash()).isNotEqualTo(b.hash());
    } else {
      assertThat(a.hash()).isEqualTo(b.hash());
    }
  }

  @Property(tries = 200)
  void manyDistinctKeysHaveManyDistinctHashes(@ForAll("idLists") List<String> ids) {
    Set<ReferenceKey> keys = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (String id : ids) {
      ReferenceKey k = ReferenceKey.of("msteams", id);
      keys.add(k);
      hashes.add(k.hash());
    }
    assertThat(hashes).hasSameSizeAs(keys);
  }

  @Property(tries = 1000)
  void illFormedIdsAreRefusedEverywhere(@ForAll("illFormedIds") String bad) {
    assertThatThrownBy(() -> ReferenceKey.of("msteams", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conversationId");
    assertThatThrownBy(() -> ReferenceKey.of(bad, "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channelId");
    assertThatThrownBy(
            () ->
                ConversationReference.builder()
                    .conversationId("c")
                    .channelId(bad)
                    .serviceUrl("https://smba.trafficmanager.net/amer/")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channelId");
    String json =
        "{\"conversation\":{\"id\":\""
            + escape(bad)
            + "\"},\"channelId\":\"msteams\","
            + "\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\"}";
    assertThatThrownBy(() -> ReferenceJson.read(json))
        .isInstanceOf(MalformedReferenceException.class)
        .satisfies(
            e -> assertThat(((MalformedReferenceException) e).path()).isEqualTo("conversation.id"));
    String activity =
        "{\"type\":\"message\",\"conversation\":{\"id\":\"c\"},\"channelId\":\""
            + escape(bad)
            + "\","
            + "\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\"}";
    assertThatThrownBy(() -> Capture.reference(activity))
        .isInstanceOf(MalformedReferenceException.class)
        .satisfies(
            e -> assertThat(((MalformedReferenceException) e).path()).isEqualTo("channelId"));
  }

  @Provide
  Arbitrary<String> ids() {
    return dev.beckon.codec.ReferenceArbitraries.ids();
  }

  @Provide
  Arbitrary<List<String>> idLists() {
    return ids().list().ofMinSize(2).ofMaxSize(50);
  }

  /**
   * A well-formed id with one lone surrogate put in: alone, before a non-low, or after a non-high
   * char.
   */
  @Provide
  Arbitrary<String> illFormedIds() {
    return Combinators.combine(
            ids(),
            Arbitraries.chars().range(Character.MIN_SURROGATE, Character.MAX_SURROGATE),
            Arbitraries.integers().between(0, 1000))
        .as(
            (id, surrogate, at) -> {
              String prefix = id.substring(0, boundary(id, at % (id.length() + 1)));
              String suffix = id.substring(prefix.length());
              String lone =
                  Character.isHighSurrogate(surrogate)
                      ? surrogate
                          + (suffix.isEmpty() || !Character.isLowSurrogate(suffix.charAt(0))
                              ? ""
                              : "x")
                      : (prefix.isEmpty()
                                  || !Character.isHighSurrogate(prefix.charAt(prefix.length() - 1))
                              ? ""
                              : "x")
                          + surrogate;
              return prefix + lone + suffix;
            });
  }

  /** Moves an index off the middle of a surrogate pair. */
  private static int boundary(String s, int i) {
    return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) ? i - 1 : i;
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
