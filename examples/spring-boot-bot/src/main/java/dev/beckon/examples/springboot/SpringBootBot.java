package dev.beckon.examples.springboot;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.ActivityHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.sqlite.SQLiteDataSource;

/**
 * A Spring Boot bot that speaks first, with the Beckon starter: the starter maps {@code POST
 * /api/messages}, validates tokens (anonymous here, see {@code application.properties}), keeps each
 * conversation's reference in the application's own {@code DataSource} (an SQLite file) and calls
 * the {@link ActivityHandler} below. The bot answers at once ("working on it") and schedules the
 * notification in the durable delivery queue (a table of the same {@code DataSource}) with a
 * delivery key: the starter's delivery worker sends it when it is due, once, even if the
 * application restarts in between ({@code beckon.delivery.enabled=true}).
 *
 * <p>Run it for the Bot Framework Emulator ({@code http://127.0.0.1:3978/api/messages}, no app id):
 * {@code java -cp … dev.beckon.examples.springboot.SpringBootBot}; or end to end against the demo's
 * fake channel with one command: {@code scripts/spring-boot-demo.sh} ({@link SpringBootBotDemo}).
 */
@SpringBootApplication
public class SpringBootBot {

  private static final Logger LOG = LoggerFactory.getLogger(SpringBootBot.class);

  /** Created by Spring. */
  public SpringBootBot() {}

  /**
   * Starts the bot.
   *
   * @param args Spring Boot arguments ({@code --server.port=…})
   */
  public static void main(String[] args) {
    SpringApplication.run(SpringBootBot.class, args);
  }

  /**
   * The application's own data source: Beckon uses it, it opens no pool of its own.
   *
   * @param file the SQLite file
   * @return the data source
   */
  @Bean
  DataSource dataSource(@Value("${bot.database:beckon-spring-demo.db}") String file) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + Path.of(file).toAbsolutePath());
    ds.setJournalMode("WAL"); // the endpoint writes while the delivery worker polls
    ds.setBusyTimeout(10_000);
    return ds;
  }

  /**
   * The bot: answers at once, and schedules the notification for when the job is done.
   *
   * @param sender Beckon's sender bean
   * @param deliveries Beckon's delivery queue bean (JDBC, on the data source above)
   * @param jobTime how long the pretend job takes
   * @return the handler the endpoint calls
   */
  @Bean
  ActivityHandler bot(
      Sender sender, DeliveryQueue deliveries, @Value("${bot.job-time:2s}") Duration jobTime) {
    return (activity, reference, outcome) -> {
      if (reference == null || !"message".equals(activity.type())) {
        return 200;
      }
      sender.send(reference, Activity.message("Working on it: I will tell you when it is done."));
      // one promise per request: the same activity delivered twice schedules nothing new
      String key = deliveryKey(reference.key().conversationId(), activity.id());
      boolean scheduled =
          deliveries.schedule(
              reference.key(),
              Activity.message("Your report is ready"),
              Instant.now().plus(jobTime),
              key);
      LOG.info("Notification {} {}", key, scheduled ? "scheduled" : "was scheduled already");
      return 200;
    };
  }

  /**
   * The delivery key of one request's notification: bounded whatever the ids' length (a key is at
   * most 512 characters), the same for the same conversation and activity.
   *
   * @param conversationId the conversation
   * @param activityId the request's activity id, or {@code null}
   * @return {@code report-} and 64 hex digits
   */
  static String deliveryKey(String conversationId, String activityId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (conversationId + "\n" + (activityId == null ? UUID.randomUUID() : activityId))
                      .getBytes(StandardCharsets.UTF_8));
      return "report-" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
