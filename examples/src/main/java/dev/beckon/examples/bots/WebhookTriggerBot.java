package dev.beckon.examples.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.beckon.activity.Activity;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An external trigger that starts a conversation flow — the question users of the official SDKs ask
 * most (PROTOCOL.md §6.7). A CI server calls the bot's webhook when a build fails; the bot speaks
 * first in the conversation that asked to be told ("Build 1234 failed. Retry it?") and the user's
 * next answer continues that flow ("yes" → "Retrying build 1234").
 *
 * <p>The webhook: {@code POST /api/notify} with {@code Authorization: Bearer
 * <BECKON_WEBHOOK_SECRET>} and {@code {"channelId": "...", "conversationId": "...", "build":
 * "1234"}}. Answers: {@code 202} with the outcome, {@code 401} for a wrong secret, {@code 400} for
 * a bad body, {@code 404} when no reference is stored for the conversation, {@code 502} when the
 * channel did not take the message, {@code 405} for another method.
 *
 * <p>Flow state (which build awaits an answer) is kept in memory keyed by the conversation; a
 * production bot keeps it in its state store, next to the references.
 *
 * <p>Run: {@code BECKON_WEBHOOK_SECRET=... scripts/example.sh webhook}.
 */
public final class WebhookTriggerBot implements CaptureHandler.ActivityListener {

  /** The webhook path. */
  public static final String PATH = "/api/notify";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 16 * 1024;

  private final Proactive proactive;
  private final Sender sender;
  private final byte[] secret;
  private final Consumer<String> log;
  private final Map<ReferenceKey, String> awaitingAnswer = new ConcurrentHashMap<>();

  /**
   * Creates the bot.
   *
   * @param repository where references are kept
   * @param sender how it speaks
   * @param webhookSecret the shared secret callers of the webhook present (at least 16 characters)
   * @param log where it narrates what it does
   */
  public WebhookTriggerBot(
      ReferenceRepository repository, Sender sender, String webhookSecret, Consumer<String> log) {
    if (webhookSecret == null || webhookSecret.length() < 16) {
      throw new IllegalArgumentException(
          "BECKON_WEBHOOK_SECRET must be set to a secret of at least 16 characters");
    }
    this.proactive = new Proactive(repository, sender);
    this.sender = sender;
    this.secret = ("Bearer " + webhookSecret).getBytes(StandardCharsets.UTF_8);
    this.log = log;
  }

  @Override
  public void onActivity(
      Activity activity,
      @Nullable ConversationReference reference,
      CaptureHandler.Outcome outcome) {
    if (reference == null || !"message".equals(activity.type())) {
      return;
    }
    ReferenceKey key = reference.key();
    String text = activity.text() == null ? "" : activity.text().strip().toLowerCase(Locale.ROOT);
    String build = awaitingAnswer.get(key);
    if (build != null && (text.equals("yes") || text.equals("no"))) {
      awaitingAnswer.remove(key, build);
      sender.send(
          reference,
          Activity.message(
              text.equals("yes")
                  ? "Retrying build " + build + " — I'll tell you how it ends."
                  : "OK, leaving build " + build + " as it is."));
      log.accept("flow finished for build " + build + ": " + text);
      return;
    }
    sender.send(
        reference,
        Activity.message(
            "Subscribed: when a build fails, I'll ask you here whether to retry it. "
                + "Your CI calls "
                + PATH
                + " with channelId \""
                + key.channelId()
                + "\" and conversationId \""
                + key.conversationId()
                + "\"."));
  }

  /**
   * The webhook's handler; register it with {@code host.route(WebhookTriggerBot.PATH,
   * bot::notify)}.
   *
   * @param ex the exchange
   * @throws IOException when the answer cannot be written
   */
  public void notify(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().add("Allow", "POST");
        answer(ex, 405, Map.of("error", "use POST"));
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !MessageDigest.isEqual(secret, auth.getBytes(StandardCharsets.UTF_8))) {
        answer(ex, 401, Map.of("error", "missing or wrong webhook secret"));
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        answer(ex, 413, Map.of("error", "body larger than " + MAX_BODY + " bytes"));
        return;
      }
      JsonNode n;
      ReferenceKey key;
      String build;
      try {
        n = JSON.readTree(body);
        build = field(n, "build");
        key = ReferenceKey.of(field(n, "channelId"), field(n, "conversationId"));
      } catch (IOException | IllegalArgumentException e) {
        answer(
            ex,
            400,
            Map.of(
                "error",
                "expected {\"channelId\", \"conversationId\", \"build\"}: "
                    + (e instanceof IOException ? "not JSON" : e.getMessage())));
        return;
      }
      awaitingAnswer.put(key, build); // before the send: the user may answer at once
      Optional<SendOutcome> sent =
          proactive.sendTo(
              key, Activity.message("Build " + build + " failed. Retry it? (yes / no)"));
      if (sent.isEmpty() || !sent.get().delivered()) {
        awaitingAnswer.remove(key, build);
      }
      if (sent.isEmpty()) {
        answer(
            ex,
            404,
            Map.of(
                "error",
                "no stored reference for that conversation: the user must talk to the bot first"));
        return;
      }
      SendOutcome o = sent.get();
      log.accept("webhook: build " + build + " → " + o.kind());
      if (!o.delivered()) {
        answer(ex, 502, Map.of("outcome", o.kind().name(), "error", String.valueOf(o.message())));
        return;
      }
      answer(ex, 202, Map.of("outcome", o.kind().name(), "activityId", String.valueOf(o.id())));
    }
  }

  private static String field(JsonNode n, String name) {
    JsonNode v = n == null ? null : n.get(name);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("missing string field " + name);
    }
    return v.asText();
  }

  private static void answer(HttpExchange ex, int status, Map<String, String> fields)
      throws IOException {
    ObjectNode o = JSON.createObjectNode();
    fields.forEach(o::put);
    byte[] bytes = JSON.writeValueAsBytes(o);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Runs the bot and its webhook on {@code 127.0.0.1:3978} (see {@link BotHost}); the webhook
   * secret comes from {@code BECKON_WEBHOOK_SECRET}.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    BotHost.runUntilStopped(
        "Beckon example: webhook trigger",
        host -> {
          WebhookTriggerBot bot =
              new WebhookTriggerBot(
                  host.repository(),
                  host.sender(),
                  System.getenv("BECKON_WEBHOOK_SECRET"),
                  System.out::println);
          host.route(PATH, bot::notify);
          System.out.println("webhook: POST " + host.baseUri() + PATH);
          return bot;
        },
        System.out);
  }
}
