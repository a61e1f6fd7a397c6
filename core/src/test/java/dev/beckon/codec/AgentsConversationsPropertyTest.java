package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile storage dumps ({@link AgentsConversations#read(byte[])}): a valid dump damaged at a
 * random place by a random edit. Whatever the damage, only {@link MalformedReferenceException}
 * escapes; every proactive item is read or reported, never both; what is read round-trips.
 */
class AgentsConversationsPropertyTest {

  static final String DUMP;

  static {
    try {
      DUMP = AgentsConversationsTest.dump().toString();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Property(tries = 200)
  void damagedDumpsNeverEscapeTheDocumentedOutcome(
      @ForAll("positions") int at, @ForAll("edits") String edit, @ForAll boolean replace) {
    int p = Math.min(at, DUMP.length());
    String damaged =
        DUMP.substring(0, p)
            + edit
            + DUMP.substring(replace ? Math.min(DUMP.length(), p + edit.length()) : p);
    AgentsConversations.Report r;
    try {
      r = AgentsConversations.read(damaged.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedReferenceException e) {
      return; // the documented refusal of the input as a whole
    }
    assertThat(r.items().size() + r.skippedCount()).isLessThanOrEqualTo(4 + 2);
    assertThat(r.skipped()).hasSizeLessThanOrEqualTo(AgentsConversations.MAX_LISTED_SKIPS);
    for (AgentsConversations.Item item : r.items()) {
      assertThat(ReferenceJson.read(ReferenceJson.write(item.reference())))
          .isEqualTo(item.reference());
      assertThat(AgentsConversations.appId(item.reference())).contains(item.appId());
    }
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, DUMP.length());
  }

  @Provide
  Arbitrary<String> edits() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "null",
            "1e99999",
            "\u0000",
            "\uD800",
            "\"aud\":\"\"",
            "\"agent\":{\"id\":\"other\"},",
            "\"proactive/conversations/x\":{},",
            "[[[[[[[[[[",
            "\u00e9"),
        Arbitraries.strings().ofMaxLength(12));
  }
}
