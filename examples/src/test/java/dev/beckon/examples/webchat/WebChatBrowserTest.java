package dev.beckon.examples.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.examples.bots.NotifyWhenDoneBot;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Microsoft's Web Chat (botframework-webchat 4.18.1) in headless Chromium, end to end: Web Chat →
 * the testkit's Direct Line channel → the notify-when-done bot behind a {@code CaptureHandler} (a
 * real SQLite store and delivery queue) → Beckon's sender → the channel → Web Chat's transcript.
 * Assertions are on the rendered DOM; screenshots go to {@code target/webchat/}. The browser is
 * driven by {@code src/test/webchat/drive.js} (playwright-core on Node), which aborts and records
 * every request to a host other than 127.0.0.1: none may be attempted.
 *
 * <p>Needs what {@code examples/src/test/servers/webchat.sh} installs ({@code scripts/test.sh} runs
 * it): a missing piece fails the test, naming the command that installs it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebChatBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SERVERS =
      Path.of(
          System.getenv()
              .getOrDefault("BECKON_SERVERS_DIR", ROOT.resolve(".test-servers").toString()));
  private static final Path WEBCHAT_JS = SERVERS.resolve("webchat/4.18.1/webchat.js");
  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("BECKON_CHROMIUM", "/usr/bin/chromium"));
  private static final Path SHOTS = Path.of("target", "webchat");

  private static Process driver;
  private static BufferedWriter commands;
  private static BufferedReader answers;

  @TempDir static Path dir;

  @BeforeAll
  static void startBrowser() throws Exception {
    String install = ": run scripts/servers/start.sh webchat (scripts/test.sh does)";
    assertThat(WEBCHAT_JS).as("Web Chat's bundle" + install).isRegularFile();
    assertThat(CHROMIUM).as("Debian's chromium" + install).isExecutable();
    assertThat(SERVERS.resolve("node_modules/playwright-core"))
        .as("playwright-core" + install)
        .isDirectory();
    Files.createDirectories(SHOTS);
    ProcessBuilder pb =
        new ProcessBuilder(
                "node",
                Path.of("src/test/webchat/drive.js").toAbsolutePath().toString(),
                CHROMIUM.toString())
            .redirectError(ProcessBuilder.Redirect.appendTo(SHOTS.resolve("drive.log").toFile()));
    pb.environment().put("NODE_PATH", SERVERS.resolve("node_modules").toString());
    driver = pb.start();
    commands =
        new BufferedWriter(
            new OutputStreamWriter(driver.getOutputStream(), StandardCharsets.UTF_8));
    answers =
        new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
    JsonNode ready = JSON.readTree(answers.readLine());
    assertThat(ready.path("ok").asBoolean()).as(ready.toString()).isTrue();
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (driver == null) {
      return;
    }
    try {
      JsonNode ext = call(Map.of("cmd", "external"));
      assertThat(ext.path("external"))
          .as("requests outside 127.0.0.1 attempted by the page")
          .isEmpty();
      assertThat(ext.path("errors").toString())
          .as("page errors")
          .doesNotContain("Content Security Policy");
      call(Map.of("cmd", "quit"));
      commands.close();
      assertThat(driver.waitFor(20, TimeUnit.SECONDS)).as("the browser driver exits").isTrue();
    } finally {
      driver.destroyForcibly();
    }
  }

  private static JsonNode call(Map<String, ?> command) throws Exception {
    commands.write(JSON.writeValueAsString(command));
    commands.newLine();
    commands.flush();
    String line = answers.readLine();
    assertThat(line)
        .as("the browser driver answers " + command + " (see target/webchat/drive.log)")
        .isNotNull();
    JsonNode a = JSON.readTree(line);
    assertThat(a.path("ok").asBoolean()).as(command + " → " + a).isTrue();
    return a;
  }

  private static WebChatDemo.Running start(Path db, Duration job) throws Exception {
    return WebChatDemo.start(
        "jdbc:sqlite:" + db + "#create",
        0,
        WEBCHAT_JS,
        job,
        new PrintStream(PrintStream.nullOutputStream()));
  }

  private static ReferenceKey onlyConversation(WebChatDemo.Running r) {
    List<StoredReference> refs = r.host().repository().stream(ListQuery.all()).toList();
    assertThat(refs).hasSize(1);
    return refs.get(0).reference().key();
  }

  @Test
  @Order(1)
  void aProactiveMessageFromTheStoredReferenceAppearsInWebChat() throws Exception {
    try (WebChatDemo.Running r = start(dir.resolve("a.db"), Duration.ofSeconds(1))) {
      call(Map.of("cmd", "open", "url", r.channel().baseUrl()));
      call(Map.of("cmd", "send", "text", "prepare my report"));
      call(Map.of("cmd", "waitText", "text", "Gotcha"));
      ReferenceKey key = onlyConversation(r);
      assertThat(key.channelId()).isEqualTo("webchat");
      JsonNode ready = call(Map.of("cmd", "waitText", "text", NotifyWhenDoneBot.READY));
      assertThat(ready.path("count").asInt()).isEqualTo(1);
      call(
          Map.of(
              "cmd",
              "screenshot",
              "path",
              SHOTS.resolve("proactive-message.png").toAbsolutePath().toString()));
      List<Activity> transcript = r.channel().transcript(key.conversationId());
      assertThat(transcript)
          .extracting(Activity::text)
          .containsExactly("prepare my report", NotifyWhenDoneBot.GOTCHA, NotifyWhenDoneBot.READY);
      String deliveryKey = NotifyWhenDoneBot.deliveryKey(key, transcript.get(0).id());
      assertThat(r.host().openQueue().queue().status(deliveryKey).orElseThrow().state())
          .isEqualTo(DeliveryState.DELIVERED);
    }
  }

  @Test
  @Order(2)
  void anAdaptiveCardSentProactivelyRendersAsACard() throws Exception {
    try (WebChatDemo.Running r = start(dir.resolve("b.db"), Duration.ofSeconds(1))) {
      call(Map.of("cmd", "open", "url", r.channel().baseUrl()));
      call(Map.of("cmd", "send", "text", "hello"));
      call(Map.of("cmd", "waitText", "text", "Ask me to"));
      ReferenceKey key = onlyConversation(r);
      ObjectNode card = JSON.createObjectNode();
      card.put("type", "AdaptiveCard")
          .put("version", "1.5")
          .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
      card.putArray("body")
          .add(
              JSON.createObjectNode()
                  .put("type", "TextBlock")
                  .put("text", "Quarterly report")
                  .put("weight", "Bolder")
                  .put("size", "Medium"))
          .add(
              JSON.createObjectNode()
                  .put("type", "TextBlock")
                  .put("text", "Ready: 12 pages, 3 charts")
                  .put("wrap", true));
      card.putArray("actions")
          .add(JSON.createObjectNode().put("type", "Action.Submit").put("title", "Send it to me"));
      Activity a =
          Activity.message(null)
              .withAttachment(
                  "application/vnd.microsoft.card.adaptive", JSON.convertValue(card, Map.class));
      assertThat(
              r.host()
                  .openQueue()
                  .queue()
                  .schedule(key, a, Instant.now(), "card-" + key.conversationId()))
          .isTrue();
      JsonNode cards = call(Map.of("cmd", "waitCard", "text", "Quarterly report")).path("cards");
      assertThat(cards).hasSize(1);
      assertThat(cards.get(0).path("text").asText())
          .contains("Ready: 12 pages, 3 charts")
          .contains("Send it to me");
      assertThat(cards.get(0).path("buttons").asInt()).isEqualTo(1);
      call(
          Map.of(
              "cmd",
              "screenshot",
              "path",
              SHOTS.resolve("adaptive-card.png").toAbsolutePath().toString()));
    }
  }

  @Test
  @Order(3)
  void theBotRestartsBetweenTheAnswerAndTheProactiveMessageAndItStillArrives() throws Exception {
    Path db = dir.resolve("c.db");
    WebChatDemo.Running first = start(db, Duration.ofSeconds(2));
    String conversation;
    try {
      call(Map.of("cmd", "open", "url", first.channel().baseUrl()));
      call(Map.of("cmd", "send", "text", "prepare my report"));
      call(Map.of("cmd", "waitText", "text", "Gotcha"));
      conversation = onlyConversation(first).conversationId();
    } finally {
      first.host().close(); // the bot stops (worker, endpoint, store); the channel and page stay
    }
    assertThat(first.channel().transcript(conversation)).hasSize(2);
    try (dev.beckon.examples.bots.BotHost again =
        dev.beckon.examples.bots.BotHost.open(
            new dev.beckon.examples.config.BotConfig(
                "jdbc:sqlite:" + db + "#create", "127.0.0.1", 0, null, null, null, List.of()))) {
      NotifyWhenDoneBot bot =
          new NotifyWhenDoneBot(
              again.repository(),
              again.sender(),
              again.openQueue().queue(),
              Duration.ofSeconds(2),
              l -> {});
      again.onClose(bot);
      again.start((activity, reference, outcome) -> bot.onActivity(activity, reference));
      first.channel().botEndpoint(again.endpoint());
      JsonNode ready = call(Map.of("cmd", "waitText", "text", NotifyWhenDoneBot.READY));
      assertThat(ready.path("count").asInt()).isEqualTo(1);
      call(
          Map.of(
              "cmd",
              "screenshot",
              "path",
              SHOTS.resolve("after-restart.png").toAbsolutePath().toString()));
      assertThat(first.channel().transcript(conversation))
          .extracting(Activity::text)
          .containsExactly("prepare my report", NotifyWhenDoneBot.GOTCHA, NotifyWhenDoneBot.READY);
    } finally {
      first.channel().close();
    }
  }
}
