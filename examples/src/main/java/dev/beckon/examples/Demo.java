package dev.beckon.examples;

import com.sun.net.httpserver.HttpServer;
import dev.beckon.activity.Activity;
import dev.beckon.examples.bots.NotifyWhenDoneBot;
import dev.beckon.inbound.AuthenticationConfig;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import dev.beckon.testkit.FakeConnector;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteDataSource;

/**
 * The README's demo: a bot that speaks first, end to end on one machine, with no server and no
 * cloud account.
 *
 * <ol>
 *   <li>A local channel simulator (the testkit's {@link FakeConnector}) plays the Bot Connector.
 *   <li>The example bot ({@link NotifyWhenDoneBot}) listens on 127.0.0.1 behind a {@link
 *       CaptureHandler}, keeping references in an SQLite file through {@code beckon-storage-jdbc}.
 *   <li>The simulated user says "prepare my report"; the bot puts "Your report is ready" on a
 *       durable delivery queue in the same file, answers at once, and when the report is due its
 *       delivery worker posts it — proactively, from the stored reference.
 * </ol>
 *
 * Run it twice: the second run finds the reference the first one saved in the file.
 *
 * <p>Usage: {@code scripts/demo.sh [path/to/demo.db]} (default {@code beckon-demo.db}).
 */
public final class Demo {

  private Demo() {}

  /**
   * Runs the demo.
   *
   * @param args optional path of the SQLite file
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Path db = Path.of(args.length > 0 ? args[0] : "beckon-demo.db").toAbsolutePath();
    System.exit(run(db, System.out) ? 0 : 1);
  }

  /**
   * Runs the demo against a database file.
   *
   * @param db the SQLite file (created if missing)
   * @param out where the transcript goes
   * @return whether the proactive message arrived
   * @throws Exception on failure
   */
  public static boolean run(Path db, PrintStream out) throws Exception {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + db);
    JdbcReferenceRepository repository = JdbcReferenceRepository.builder(ds).build();
    repository.createSchema();
    JdbcDeliveryQueue queue = JdbcDeliveryQueue.builder(ds).build(); // the promises, same file
    queue.createSchema();
    ReferenceKey key = ReferenceKey.of("emulator", "demo-conversation|livechat");

    out.println("== Beckon demo: a bot that speaks first ==");
    out.println("store: SQLite file " + db);
    Optional<StoredReference> previous = repository.find(key);
    if (previous.isPresent()) {
      out.println(
          "found the reference a previous run saved (version "
              + previous.get().version()
              + "): it survived the restart in the file store");
    } else {
      out.println("no reference stored yet: this is the first run");
    }

    try (FakeConnector channel = FakeConnector.start();
        BotConnectorSender sender = BotConnectorSender.builder().anonymous().build();
        NotifyWhenDoneBot bot =
            new NotifyWhenDoneBot(
                repository,
                sender,
                queue,
                Duration.ofSeconds(2),
                line -> out.println("   [bot] " + line))) {
      CaptureHandler handler =
          CaptureHandler.builder(repository)
              .authentication(
                  AuthenticationConfig.anonymous()) // local: the simulator sends no token
              .onActivity((activity, reference, outcome) -> bot.onActivity(activity, reference))
              .build();
      HttpServer endpoint =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      endpoint.createContext(
          "/api/messages",
          ex -> {
            CaptureHandler.Result r =
                handler.handle(
                    ex.getRequestHeaders()::getFirst, ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(r.status(), -1);
            ex.close();
          });
      endpoint.start();
      try {
        String userMessage =
            "{\"type\":\"message\",\"id\":\"user-msg-"
                + System.currentTimeMillis()
                + "\",\"channelId\":\"emulator\","
                + "\"serviceUrl\":\""
                + channel.serviceUrl()
                + "\",\"from\":{\"id\":\"user-1\",\"name\":\"Ada\",\"role\":\"user\"},"
                + "\"recipient\":{\"id\":\"demo-bot\",\"name\":\"Beckon Demo Bot\",\"role\":\"bot\"},"
                + "\"conversation\":{\"id\":\""
                + key.conversationId()
                + "\"},\"locale\":\"en-GB\",\"text\":\"prepare my report\"}";
        out.println();
        out.println("Ada: prepare my report");
        HttpResponse<Void> posted =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + endpoint.getAddress().getPort()
                                    + "/api/messages"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(userMessage))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
        out.println("   [channel] bot endpoint answered HTTP " + posted.statusCode());

        List<Activity> received = waitFor(channel, key.conversationId(), 2, Duration.ofSeconds(20));
        for (int i = 0; i < received.size(); i++) {
          out.println(
              "Beckon Demo Bot" + (i == 0 ? "" : " (proactive)") + ": " + received.get(i).text());
        }
        out.println();
        long stored = repository.stream(ListQuery.all()).count();
        out.println("references in the file store: " + stored);
        boolean ok = received.size() == 2 && "Your report is ready".equals(received.get(1).text());
        out.println(
            ok
                ? "demo finished: the bot spoke first"
                : "demo FAILED: the proactive message did not arrive");
        return ok;
      } finally {
        endpoint.stop(0);
      }
    }
  }

  private static List<Activity> waitFor(
      FakeConnector channel, String conversationId, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Activity> got = channel.activities(conversationId);
    while (got.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
      got = channel.activities(conversationId);
    }
    return got;
  }
}
