package dev.beckon.examples.springboot;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link SpringBootBot} end to end on one machine, in one command ({@code
 * scripts/spring-boot-demo.sh}): the demo's fake channel (the testkit's {@link FakeConnector})
 * plays the Bot Connector, a simulated user says "prepare my report", the bot answers at once and
 * schedules "Your report is ready" in the delivery queue; a moment later the starter's delivery
 * worker posts it from the reference the endpoint captured.
 */
public final class SpringBootBotDemo {

  private SpringBootBotDemo() {}

  /**
   * Runs the demo and exits 0 when the proactive message arrived.
   *
   * @param args optional path of the SQLite file (default {@code beckon-spring-demo.db})
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Path db = Path.of(args.length > 0 ? args[0] : "beckon-spring-demo.db");
    System.exit(run(db, System.out) ? 0 : 1);
  }

  private static boolean delivered(DeliveryQueue queue, String key) {
    return queue.status(key).map(d -> d.state() == DeliveryState.DELIVERED).orElse(false);
  }

  /**
   * Runs the demo.
   *
   * @param db the SQLite file
   * @param out where the transcript goes
   * @return whether the proactive message arrived
   * @throws Exception on failure
   */
  public static boolean run(Path db, PrintStream out) throws Exception {
    try (FakeConnector channel = FakeConnector.start();
        ConfigurableApplicationContext app =
            SpringApplication.run(
                SpringBootBot.class,
                "--server.port=0",
                "--bot.database=" + db.toAbsolutePath(),
                "--bot.job-time=500ms")) {
      String port = app.getEnvironment().getProperty("local.server.port");
      out.println("== Beckon + Spring Boot: a bot that speaks first ==");
      out.println("bot: http://127.0.0.1:" + port + "/api/messages; channel: " + channel.baseUrl());
      String conversation = "demo-conversation";
      String activity =
          """
          {"type":"message","id":"m1","channelId":"emulator","serviceUrl":"%s",
           "conversation":{"id":"%s"},"from":{"id":"user-1","name":"Ada"},
           "recipient":{"id":"bot-1","name":"Report bot"},"text":"prepare my report"}"""
              .formatted(channel.serviceUrl(), conversation);
      out.println("user: prepare my report");
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/messages"))
                      .timeout(Duration.ofSeconds(20))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(activity))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      out.println("endpoint answered " + r.statusCode());
      boolean stored =
          app.getBean(ReferenceRepository.class)
              .find(ReferenceKey.of("emulator", conversation))
              .isPresent();
      out.println("reference stored in " + db.toAbsolutePath() + ": " + stored);
      DeliveryQueue queue = app.getBean(DeliveryQueue.class);
      String key = SpringBootBot.deliveryKey(conversation, "m1");
      out.println("notification scheduled in the delivery queue: " + queue.status(key).isPresent());
      Instant deadline = Instant.now().plusSeconds(20);
      List<Activity> got = channel.activities(conversation);
      while ((got.size() < 2 || !delivered(queue, key)) && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
        got = channel.activities(conversation);
      }
      for (Activity a : got) {
        out.println("bot: " + a.text());
      }
      boolean arrived = got.stream().anyMatch(a -> "Your report is ready".equals(a.text()));
      out.println(
          "delivery "
              + key.substring(0, 15)
              + "…: "
              + queue
                  .status(key)
                  .map(d -> d.state() + " after " + d.attempts() + " attempt(s)")
                  .orElse("unknown"));
      out.println(arrived ? "== the bot spoke first ==" : "== no proactive message arrived ==");
      return r.statusCode() == 200 && stored && arrived && delivered(queue, key);
    }
  }
}
