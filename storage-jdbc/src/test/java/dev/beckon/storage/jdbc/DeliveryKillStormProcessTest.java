package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.testkit.KillStorm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The testkit {@link KillStorm} on one JDBC queue (PostgreSQL; {@code
 * -Dbeckon.storm.dialect=MARIADB} for MariaDB): three worker JVMs paced by one {@link
 * JdbcTokenBuckets} limiter, the fake connector in a fault storm, two workers killed with SIGKILL.
 * Every delivery ends final, none lost, none twice unless UNKNOWN, and no tenant or conversation
 * above its limit in any 1 s window. {@code -Dbeckon.storm.deliveries=N} (scripts/storm.sh) runs a
 * bigger storm.
 */
class DeliveryKillStormProcessTest {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryKillStormProcessTest.class);

  @AfterEach
  void drop() {
    TestDatabases.dropTables();
  }

  @Test
  @Timeout(1800)
  void killedWorkersLoseNothingDuplicateNothingButUnknownAndPacingHoldsFleetWide()
      throws Exception {
    Dialect dialect =
        Dialect.valueOf(
            System.getProperty("beckon.storm.dialect", "POSTGRESQL").toUpperCase(Locale.ROOT));
    int deliveries = KillStorm.deliveries(2_000);
    JdbcReferenceRepository refs =
        TestDatabases.repository(dialect, dev.beckon.store.StoreOptions.defaults());
    JdbcDeliveryQueue queue = TestDatabases.deliveryQueue(dialect, java.time.Clock.systemUTC());
    JdbcTokenBuckets buckets =
        JdbcTokenBuckets.builder(TestDatabases.dataSource(dialect))
            .tableName(TestDatabases.freshTableName(dialect))
            .build();
    buckets.createSchema();
    String prefix = "s" + UUID.randomUUID().toString().substring(0, 8);
    KillStorm.Backend backend =
        new KillStorm.Backend() {
          @Override
          public void save(List<ConversationReference> references) {
            refs.saveAll(references);
          }

          @Override
          public void schedule(ReferenceKey to, Activity activity, Instant notBefore, String key) {
            queue.schedule(to, activity, notBefore, key);
          }

          @Override
          public Map<String, String> states() {
            return statesByKey(dialect, queue);
          }

          @Override
          public Process startWorker(String serviceUrl, String name) throws IOException {
            return worker(dialect, refs, queue, buckets, prefix, serviceUrl, name);
          }
        };
    KillStorm.Figures f =
        KillStorm.run(
            dialect.name().toLowerCase(Locale.ROOT),
            backend,
            deliveries,
            Duration.ofSeconds(60 + deliveries / 20));
    LOG.info("{}", f.line());
    Files.writeString(
        Path.of("target", "kill-storm-" + f.backend() + "-figures.txt"), f.line() + "\n");
    assertThat(f.kills()).isEqualTo(2);
    assertThat(f.accounted()).as("100% accounted: " + f.line()).isEqualTo(deliveries);
    assertThat(f.lost()).as("lost").isZero();
    assertThat(f.twice()).as("delivered twice, not UNKNOWN").isZero();
    assertThat(f.arrivedOtherwise()).as("arrived but recorded GONE, FAILED or DEAD").isZero();
    assertThat(f.pacingProblems(KillStorm.TOLERATED_LATENESS_MILLIS)).as("pacing").isEmpty();
  }

  private static Process worker(
      Dialect dialect,
      JdbcReferenceRepository refs,
      JdbcDeliveryQueue queue,
      JdbcTokenBuckets buckets,
      String prefix,
      String serviceUrl,
      String name)
      throws IOException {
    String cp =
        Files.readString(Path.of("target", "test-classpath.txt")).strip()
            + File.pathSeparator
            + Path.of("target", "classes").toAbsolutePath()
            + File.pathSeparator
            + Path.of("target", "test-classes").toAbsolutePath();
    File log = new File("target", "kill-storm-" + name + ".log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            cp,
            DeliveryWorkerProcess.class.getName(),
            dialect.name(),
            refs.tableName(),
            queue.tableName(),
            buckets.tableName(),
            prefix,
            serviceUrl,
            name)
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  private static Map<String, String> statesByKey(Dialect dialect, JdbcDeliveryQueue queue) {
    Map<String, String> out = new HashMap<>();
    try (Connection c = TestDatabases.dataSource(dialect).getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT delivery_key, state FROM " + queue.tableName())) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
