package dev.beckon.examples.bots;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.activity.Activity;
import dev.beckon.examples.config.BotConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.testkit.FakeConnector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An example bot on a real {@link BotHost} (real store from a URI, real HTTP), with the testkit's
 * {@link FakeConnector} playing the channel: activities go in over HTTP like the Emulator sends
 * them, and what the bot posts is read back from the channel.
 */
final class BotHarness implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final FakeConnector channel = FakeConnector.start();
  final BotHost host;
  final List<String> log = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  BotHarness(String storeUri, Function<BotHarness, CaptureHandler.ActivityListener> bot)
      throws Exception {
    host = BotHost.open(new BotConfig(storeUri, "127.0.0.1", 0, null, null, null, List.of()));
    host.start(bot.apply(this));
  }

  /** A message activity as a channel sends it; {@code channelId} emulator unless overridden. */
  ObjectNode message(String id, String conversationId, String text) {
    ObjectNode a = JSON.createObjectNode();
    a.put("type", "message")
        .put("id", id)
        .put("channelId", "emulator")
        .put("serviceUrl", channel.serviceUrl());
    a.putObject("from").put("id", "user-ada").put("name", "Ada").put("role", "user");
    a.putObject("recipient").put("id", "example-bot").put("name", "Example Bot").put("role", "bot");
    a.putObject("conversation").put("id", conversationId);
    a.put("text", text);
    return a;
  }

  /** Posts an activity to {@code /api/messages}; returns the HTTP status. */
  int post(ObjectNode activity) throws Exception {
    return http.send(
            HttpRequest.newBuilder(host.endpoint())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(activity.toString()))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Posts to another route of the host. */
  HttpResponse<String> post(String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(host.baseUri() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (up to 20 s) until the channel holds {@code count} activities for the conversation. */
  List<Activity> await(String conversationId, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<Activity> got = channel.activities(conversationId);
    while (got.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
      got = channel.activities(conversationId);
    }
    if (got.size() < count) {
      throw new AssertionError(
          "expected "
              + count
              + " activities in "
              + conversationId
              + ", got "
              + got.size()
              + ": "
              + got.stream().map(Activity::text).toList()
              + "; bot log "
              + log);
    }
    return got;
  }

  /** Waits (up to 20 s) for a log line. */
  String awaitLog(Predicate<String> line) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : log) {
        if (line.test(l)) {
          return l;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching log line; log " + log);
  }

  List<FakeConnector.Request> requests() {
    return channel.requests();
  }

  @Override
  public void close() {
    host.close();
    channel.close();
  }
}
