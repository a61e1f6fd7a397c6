package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.reference.ConversationReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Agents SDK's stored Proactive conversations (fixtures/agents-js/proactive-conversation), and
 * hostile variants of them: every bad item is skipped with its reason, the rest is read.
 */
class AgentsConversationsTest {

  static final ObjectMapper M = new ObjectMapper();
  static final String[] NAMES = {
    "01-emulator-message",
    "02-teams-personal-message",
    "03-teams-channel-thread-message",
    "07-directline-conversation-update"
  };

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The four fixtures as one storage dump (FileStorage's state.json shape) with other state. */
  static ObjectNode dump() throws Exception {
    ObjectNode all = M.createObjectNode();
    all.set("conversation/msteams/abc", M.readTree("{\"some\":\"state\"}"));
    for (String n : NAMES) {
      all.setAll(
          (ObjectNode)
              M.readTree(
                  AgentsInteropTest.fixture("agents-js/proactive-conversation/" + n + ".json")));
    }
    all.set("user/msteams/29:x", M.readTree("{\"eTag\":\"*\"}"));
    return all;
  }

  @Test
  void theFixturesImportWithTheirBotAndClaims() throws Exception {
    for (String n : NAMES) {
      String stored = AgentsInteropTest.fixture("agents-js/proactive-conversation/" + n + ".json");
      AgentsConversations.Report r = AgentsConversations.read(utf8(stored));
      assertThat(r.skipped()).as(n).isEmpty();
      assertThat(r.items()).hasSize(1);
      AgentsConversations.Item item = r.items().get(0);
      ConversationReference plain =
          ReferenceJson.read(
              AgentsInteropTest.fixture("agents-js/conversation-reference/" + n + ".json"));
      assertThat(AgentsConversations.withoutClaims(item.reference())).isEqualTo(plain);
      assertThat(item.reference().bot()).isNotNull();
      assertThat(item.appId()).isEqualTo("00000000-0000-0000-0000-00000000b0b0");
      assertThat(item.tenantId()).isEqualTo("11111111-2222-3333-4444-555555555555");
      assertThat(item.key()).isEqualTo(AgentsConversations.KEY_PREFIX + plain.conversation().id());
      assertThat(AgentsConversations.appId(item.reference())).contains(item.appId());
      assertThat(AgentsConversations.tenantId(item.reference())).contains(item.tenantId());
      // the exact string MemoryStorage keeps, as one item
      String raw = AgentsInteropTest.fixture("agents-js/proactive-conversation/" + n + ".raw.txt");
      AgentsConversations.Report single = AgentsConversations.read(utf8(raw));
      assertThat(single.items()).hasSize(1);
      assertThat(single.items().get(0).reference()).isEqualTo(item.reference());
      assertThat(single.items().get(0).key()).isEqualTo("$");
      // canonical JSON: a v4 reference with the claims as the last, extension, field
      JsonNode canonical = M.readTree(ReferenceJson.write(item.reference()));
      assertThat(canonical.get("claims").get("aud").asText()).isEqualTo(item.appId());
      assertThat(canonical.has("agent")).isFalse();
      assertThat(canonical.get("bot")).isEqualTo(M.readTree(raw).get("reference").get("agent"));
    }
  }

  @Test
  void aStorageDumpSkipsOtherStateAndAnArrayOfItemsReads() throws Exception {
    ObjectNode all = dump();
    AgentsConversations.Report r = AgentsConversations.read(utf8(all.toString()));
    assertThat(r.items()).hasSize(4);
    assertThat(r.otherKeys()).isEqualTo(2);
    assertThat(r.skippedCount()).isZero();
    var array = M.createArrayNode();
    all.properties()
        .forEach(
            e -> {
              if (e.getKey().startsWith("proactive/")) {
                array.add(e.getValue());
              }
            });
    AgentsConversations.Report a =
        AgentsConversations.read(
            new ByteArrayInputStream(utf8("\uFEFF" + array.toPrettyString())), 1 << 20);
    assertThat(a.items())
        .extracting(AgentsConversations.Item::reference)
        .containsExactlyElementsOf(
            r.items().stream().map(AgentsConversations.Item::reference).toList());
    assertThat(a.items().get(2).key()).isEqualTo("[2]");
  }

  @Test
  void exportThenImportGivesTheSameReferences() throws Exception {
    List<ConversationReference> refs =
        AgentsConversations.read(utf8(dump().toString())).items().stream()
            .map(AgentsConversations.Item::reference)
            .toList();
    ConversationReference noClaims =
        ReferenceJson.read(
                AgentsInteropTest.fixture(
                    "conversation-reference/js/02-teams-personal-message.json"))
            .withServiceUrl("https://smba.trafficmanager.net/amer/");
    ConversationReference sameIdOtherChannel =
        ConversationReference.builder()
            .conversationId(refs.get(0).conversation().id())
            .channelId("slack")
            .serviceUrl("https://slack.botframework.com/")
            .build();
    java.util.ArrayList<ConversationReference> all = new java.util.ArrayList<>(refs);
    all.add(AgentsConversations.withClaims(sameIdOtherChannel, "app", null));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AgentsConversations.Report w = AgentsConversations.write(all, null, out);
    assertThat(w.items()).hasSize(4);
    assertThat(w.skipped())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("same conversation id"));
    JsonNode written = M.readTree(out.toByteArray());
    JsonNode expected =
        M.readTree(
            AgentsInteropTest.fixture(
                "agents-js/proactive-conversation/02-teams-personal-message.json"));
    String key = expected.fieldNames().next();
    assertThat(written.get(key).get("reference")).isEqualTo(expected.get(key).get("reference"));
    assertThat(written.get(key).get("claims")).isEqualTo(expected.get(key).get("claims"));
    assertThat(AgentsConversations.read(out.toByteArray()).items())
        .extracting(AgentsConversations.Item::reference)
        .containsExactlyElementsOf(refs);

    out.reset();
    AgentsConversations.Report none = AgentsConversations.write(List.of(noClaims), null, out);
    assertThat(none.items()).isEmpty();
    assertThat(none.skipped().get(0).reason()).contains("no app id");
    out.reset();
    AgentsConversations.write(List.of(noClaims), "app-default", out);
    AgentsConversations.Item back = AgentsConversations.read(out.toByteArray()).items().get(0);
    assertThat(back.appId()).isEqualTo("app-default");
    assertThat(back.tenantId()).isEqualTo(noClaims.conversation().tenantId());
  }

  /** Each hostile item next to a good one: the good one is read, the bad one skipped and named. */
  @Test
  void badItemsAreSkippedWithTheirReasonAndNeverStopTheRest() throws Exception {
    ObjectNode good =
        (ObjectNode)
            M.readTree(
                AgentsInteropTest.fixture(
                    "agents-js/proactive-conversation/02-teams-personal-message.json"));
    String goodKey = good.fieldNames().next();
    ObjectNode item = (ObjectNode) good.get(goodKey);
    String[][] cases = {
      // key suffix, item JSON, expected reason fragment
      {"x", "[]", "must be an object"},
      {"x", "\"text\"", "must be an object"},
      {"x", "{}", "reference"},
      {"x", "{\"reference\":[],\"claims\":{\"aud\":\"a\"}}", "reference"},
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\"},\"claims\":{\"aud\":\"a\"}}",
        "serviceUrl"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\"}}",
        "claims"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{}}",
        "claims.aud"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{\"aud\":\"\"}}",
        "claims.aud"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{\"aud\":7}}",
        "claims.aud"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{\"aud\":\"a\\u0000b\"}}",
        "claims.aud"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{\"aud\":\"a\",\"tid\":{}}}",
        "claims.tid"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"javascript:alert(1)\"},\"claims\":{\"aud\":\"a\"}}",
        "serviceUrl"
      },
      {
        "other",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{\"aud\":\"a\"}}",
        "storage key"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\",\"agent\":{\"id\":\"a\"},\"bot\":{\"id\":\"b\"}},\"claims\":{\"aud\":\"a\"}}",
        "agent"
      },
      {
        "c1",
        "{\"reference\":{\"conversation\":{\"id\":\"c1\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://x.example/\",\"x\":1,\"x\":2},\"claims\":{\"aud\":\"a\"}}",
        "Duplicate"
      },
      {"c1", "{\"big\":\"" + "x".repeat(AgentsConversations.MAX_ITEM_CHARS) + "\"}", "over"},
      {"c1", "[".repeat(100) + "]".repeat(100), "must be an object"},
      {"c1", "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}", "depth"},
    };
    for (String[] c : cases) {
      String badKey = AgentsConversations.KEY_PREFIX + c[0];
      String json =
          "{\""
              + badKey
              + "\":"
              + c[1]
              + ",\""
              + goodKey.replace("\"", "\\\"")
              + "\":"
              + item
              + "}";
      AgentsConversations.Report r = AgentsConversations.read(utf8(json));
      assertThat(r.items()).as(c[1].length() > 200 ? c[2] : c[1]).hasSize(1);
      assertThat(r.items().get(0).key()).isEqualTo(goodKey);
      assertThat(r.skippedCount()).isEqualTo(1);
      assertThat(r.skipped().get(0).key()).isEqualTo(badKey);
      assertThat(r.skipped().get(0).reason())
          .as(c[1].length() > 200 ? c[2] : c[1])
          .containsIgnoringCase(c[2]);
    }
  }

  @Test
  void structuralDamageKeepsWhatWasReadBefore() throws Exception {
    ObjectNode all = dump();
    String text = all.toString();
    // cut inside the last conversation: the first ones are kept, the break is reported
    int cut = text.lastIndexOf("proactive/conversations/") + 40;
    AgentsConversations.Report r = AgentsConversations.read(utf8(text.substring(0, cut)));
    assertThat(r.items()).hasSize(3);
    assertThat(r.skipped()).last().satisfies(s -> assertThat(s.reason()).contains("not read"));
    // a key given twice: the first wins, the second is reported
    String key = AgentsConversations.KEY_PREFIX + "7Hk2QxZp4LmN9rTs1vWy3B-eu";
    String twice = text.substring(0, text.length() - 1) + ",\"" + key + "\":{}}";
    AgentsConversations.Report d = AgentsConversations.read(utf8(twice));
    assertThat(d.items()).hasSize(4);
    assertThat(d.skipped())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("twice"));
    // text after the value
    AgentsConversations.Report t = AgentsConversations.read(utf8(text + " {}"));
    assertThat(t.items()).hasSize(4);
    assertThat(t.skipped())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("after the end"));
  }

  @Test
  void theInputAsAWholeIsBoundedAndMustBeJson() throws Exception {
    for (String bad : new String[] {"", "   ", "42", "\"x\"", "null", "nope", "{"}) {
      if (bad.equals("{")) {
        assertThat(AgentsConversations.read(utf8(bad)).skippedCount()).isEqualTo(1);
        continue;
      }
      assertThatThrownBy(() -> AgentsConversations.read(utf8(bad)))
          .as(bad)
          .isInstanceOf(MalformedReferenceException.class);
    }
    assertThatThrownBy(() -> AgentsConversations.read(new byte[] {'{', (byte) 0xC3, '}'}))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("UTF-8");
    byte[] big = utf8("{\"k\":\"" + "x".repeat(2000) + "\"}");
    assertThatThrownBy(() -> AgentsConversations.read(new ByteArrayInputStream(big), 1000))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> AgentsConversations.read(new ByteArrayInputStream(big), 0))
        .isInstanceOf(IllegalArgumentException.class);
    // many bad items: all counted, the first thousand listed; keys printable
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < 1500; i++) {
      b.append(i == 0 ? "" : ",")
          .append("\"proactive/conversations/\\u0007")
          .append(i)
          .append("\":1");
    }
    AgentsConversations.Report many = AgentsConversations.read(utf8(b.append('}').toString()));
    assertThat(many.skippedCount()).isEqualTo(1500);
    assertThat(many.skipped()).hasSize(AgentsConversations.MAX_LISTED_SKIPS);
    assertThat(many.skipped().get(0).key()).isEqualTo("proactive/conversations/\\u00070");
    String longKey = "proactive/conversations/" + "k".repeat(5000);
    AgentsConversations.Report one = AgentsConversations.read(utf8("{\"" + longKey + "\":[]}"));
    assertThat(one.skipped().get(0).key()).hasSizeLessThan(200).endsWith("…");
  }

  @Test
  void claimsAreCheckedAndReplaced() throws Exception {
    ConversationReference ref =
        ReferenceJson.read(
            AgentsInteropTest.fixture(
                "agents-js/conversation-reference/02-teams-personal-message.json"));
    assertThat(AgentsConversations.appId(ref)).isEmpty();
    assertThat(AgentsConversations.withoutClaims(ref)).isSameAs(ref);
    ConversationReference a = AgentsConversations.withClaims(ref, "app-a", null);
    ConversationReference b = AgentsConversations.withClaims(a, "app-b", "t");
    assertThat(AgentsConversations.appId(b)).contains("app-b");
    assertThat(AgentsConversations.tenantId(a)).isEmpty();
    assertThat(AgentsConversations.withoutClaims(b)).isEqualTo(ref);
    assertThatThrownBy(() -> AgentsConversations.withClaims(ref, "", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AgentsConversations.withClaims(ref, "a\u0000", null))
        .isInstanceOf(IllegalArgumentException.class);
    // an array aud: its first element, as the Agents SDK reads it
    String arr =
        "{\"reference\":{\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"https://x.example/\"},\"claims\":{\"aud\":[\"first\",\"second\"]}}";
    assertThat(AgentsConversations.read(utf8(arr)).items().get(0).appId()).isEqualTo("first");
    // a stored reference's own hostile "claims" field is replaced by the item's claims
    String hostile =
        "{\"reference\":{\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"https://x.example/\",\"claims\":{\"aud\":\"evil\"}},\"claims\":{\"aud\":\"good\"}}";
    assertThat(
            AgentsConversations.appId(
                AgentsConversations.read(utf8(hostile)).items().get(0).reference()))
        .contains("good");
  }
}
