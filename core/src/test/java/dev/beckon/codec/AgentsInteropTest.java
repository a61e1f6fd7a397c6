package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * References written by the Microsoft 365 Agents SDK (fixtures/agents-js/conversation-reference):
 * {@code agent} is read as the bot, and they round-trip in every {@link BotField}.
 */
class AgentsInteropTest {

  static final ObjectMapper M = new ObjectMapper();

  static String fixture(String path) throws Exception {
    try (InputStream in = AgentsInteropTest.class.getResourceAsStream("/fixtures/" + path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-emulator-message",
        "02-teams-personal-message",
        "03-teams-channel-thread-message",
        "07-directline-conversation-update"
      })
  void agentsReferencesReadWithTheirBotAndRoundTrip(String name) throws Exception {
    String agentsJson = fixture("agents-js/conversation-reference/" + name + ".json");
    ConversationReference agents = ReferenceJson.read(agentsJson);
    ConversationReference botbuilder =
        ReferenceJson.read(fixture("conversation-reference/js/" + name + ".json"));
    assertThat(agents.bot()).as("agent is the bot").isNotNull();
    assertThat(agents.bot().id()).isEqualTo(M.readTree(agentsJson).get("agent").get("id").asText());
    assertThat(agents.extra()).doesNotContainKey("agent");
    assertThat(agents).as("the same reference botbuilder-js captured").isEqualTo(botbuilder);

    JsonNode original = M.readTree(agentsJson);
    JsonNode asAgent = M.readTree(ReferenceJson.write(agents, BotField.AGENT));
    assertThat(asAgent).as("written as agent: the fixture's tree").isEqualTo(original);
    assertThat(ReferenceJson.read(ReferenceJson.write(agents, BotField.AGENT))).isEqualTo(agents);

    JsonNode canonical = M.readTree(ReferenceJson.write(agents));
    assertThat(canonical.has("agent")).isFalse();
    assertThat(canonical.get("bot")).isEqualTo(original.get("agent"));

    String both = ReferenceJson.write(agents, BotField.BOTH);
    JsonNode bothTree = M.readTree(both);
    assertThat(bothTree.get("bot")).isEqualTo(original.get("agent"));
    assertThat(bothTree.get("agent")).isEqualTo(original.get("agent"));
    assertThat(ReferenceJson.read(both)).isEqualTo(agents);
    assertThat(ReferenceJson.write(ReferenceJson.read(both), BotField.BOTH))
        .as("byte-stable")
        .isEqualTo(both);
    assertThat(ReferenceJson.writePretty(agents, BotField.AGENT)).contains("\"agent\"");
    assertThat(ReferenceJson.write(agents, BotField.BOT)).isEqualTo(ReferenceJson.write(agents));
  }

  @Test
  void botAndAgentNamingDifferentAccountsAreRefused() throws Exception {
    ObjectNode tree =
        (ObjectNode)
            M.readTree(fixture("agents-js/conversation-reference/02-teams-personal-message.json"));
    tree.set("bot", M.readTree("{\"id\":\"28:someone-else\"}"));
    assertThatThrownBy(() -> ReferenceJson.read(tree.toString()))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("agent");
    tree.set("bot", tree.get("agent"));
    assertThat(ReferenceJson.read(tree.toString()).bot().id()).startsWith("28:");
    tree.set("agent", M.readTree("null"));
    tree.remove("bot");
    assertThat(ReferenceJson.read(tree.toString()).bot()).as("agent: null is no bot").isNull();
    tree.set("agent", M.readTree("\"28:x\""));
    assertThatThrownBy(() -> ReferenceJson.read(tree.toString()))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("agent");
  }

  @Test
  void agentCannotBeAnExtraField() {
    assertThatThrownBy(
            () ->
                ConversationReference.builder()
                    .conversationId("c")
                    .channelId("msteams")
                    .serviceUrl("https://smba.trafficmanager.net/emea/")
                    .extra(Map.of("agent", Map.of("id", "x")))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent");
  }

  @Test
  void aStoreWritesTheBotFieldItIsConfiguredWith() throws Exception {
    ConversationReference ref =
        ReferenceJson.read(
            fixture("agents-js/conversation-reference/02-teams-personal-message.json"));
    assertThat(M.readTree(ReferenceDocument.of(ref).json()).has("agent")).isFalse();
    JsonNode both = M.readTree(ReferenceDocument.of(ref, BotField.BOTH).json());
    assertThat(both.has("agent")).isTrue();
    assertThat(both.has("bot")).isTrue();
    StoreOptions shared = StoreOptions.defaults().withBotField(BotField.BOTH);
    assertThat(shared.botField()).isEqualTo(BotField.BOTH);
    assertThat(shared.withTtl(java.time.Duration.ofDays(1)).botField()).isEqualTo(BotField.BOTH);
    assertThat(StoreOptions.defaults().botField()).isEqualTo(BotField.BOT);
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository(shared);
    repo.save(ref);
    assertThat(repo.find(ref.key()).orElseThrow().reference()).isEqualTo(ref);
    PayloadRecorder recorder = new PayloadRecorder(shared);
    recorder.save(ref);
    JsonNode stored = M.readTree(recorder.payloads.get(0));
    assertThat(stored.get("agent"))
        .as("what the store was given to write")
        .isEqualTo(stored.get("bot"));
    PayloadRecorder canonical = new PayloadRecorder(StoreOptions.defaults());
    canonical.save(ref);
    assertThat(M.readTree(canonical.payloads.get(0)).has("agent")).isFalse();
  }

  /** A store that keeps only what the SPI hands it to write: the payload under test. */
  static final class PayloadRecorder extends dev.beckon.store.spi.AbstractReferenceRepository {
    final java.util.List<String> payloads = new java.util.ArrayList<>();

    PayloadRecorder(StoreOptions options) {
      super(options);
    }

    @Override
    protected java.util.Optional<dev.beckon.store.spi.StoredRow> read(
        dev.beckon.reference.ReferenceKey key) {
      return java.util.Optional.empty();
    }

    @Override
    protected dev.beckon.store.spi.WriteResult write(
        dev.beckon.store.spi.RowWrite row, dev.beckon.store.spi.Precondition precondition) {
      payloads.add(row.document().json());
      return dev.beckon.store.spi.WriteResult.ok();
    }

    @Override
    protected dev.beckon.store.spi.WriteResult remove(
        dev.beckon.reference.ReferenceKey key,
        dev.beckon.store.spi.Precondition precondition,
        long nowMillis) {
      return dev.beckon.store.spi.WriteResult.ok();
    }

    @Override
    protected dev.beckon.store.spi.ScanResult scan(dev.beckon.store.spi.Scan scan) {
      return new dev.beckon.store.spi.ScanResult(java.util.List.of(), null);
    }

    @Override
    protected long purge(long nowMillis) {
      return 0;
    }

    @Override
    protected String location() {
      return "recorder";
    }
  }
}
