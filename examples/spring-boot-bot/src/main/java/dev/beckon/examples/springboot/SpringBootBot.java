package dev.beckon.examples.springboot;

import dev.beckon.activity.Activity;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.ActivityHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * the {@link ActivityHandler} below. The bot answers at once ("working on it") and, when its
 * background job is done, notifies the user proactively from the captured reference.
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
    return ds;
  }

  /**
   * Where the background jobs run.
   *
   * @return the scheduler, shut down with the application
   */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService jobs() {
    return Executors.newSingleThreadScheduledExecutor();
  }

  /**
   * The bot: answers at once, and notifies when the job is done.
   *
   * @param sender Beckon's sender bean
   * @param jobs the background scheduler
   * @param jobTime how long the pretend job takes
   * @return the handler the endpoint calls
   */
  @Bean
  ActivityHandler bot(
      Sender sender, ScheduledExecutorService jobs, @Value("${bot.job-time:2s}") Duration jobTime) {
    return (activity, reference, outcome) -> {
      if (reference == null || !"message".equals(activity.type())) {
        return 200;
      }
      sender.send(reference, Activity.message("Working on it: I will tell you when it is done."));
      var unused =
          jobs.schedule(
              () -> {
                SendOutcome o = sender.send(reference, Activity.message("Your report is ready"));
                LOG.info("Proactive notification: {}", o.kind());
              },
              jobTime.toMillis(),
              TimeUnit.MILLISECONDS);
      return 200;
    };
  }
}
