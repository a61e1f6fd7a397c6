package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three worker JVMs on one PostgreSQL queue, the fake connector in a fault storm, two of them
 * killed with SIGKILL at random moments (and replaced). Every delivery must end in a final state;
 * none lost (each DELIVERED one arrived, exactly once); none arrived twice unless it is UNKNOWN.
 */
class DeliveryKillStormProcessTest {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryKillStormProcessTest.class);
  private static final int DELIVERIES = 2_000;

  @org.junit.jupiter.api.AfterEach
  void drop() {
    TestDatabases.dropTables();
  }

  @Test
  @Timeout(120)
  void killedWorkersLoseNothingAndDuplicateNothingButUnknown() throws Exception {
    Dialect pg = Dialect.POSTGRESQL;
    JdbcReferenceRepository refs =
        TestDatabases.repository(pg, dev.beckon.store.StoreOptions.defaults());
    JdbcDeliveryQueue queue = TestDatabases.deliveryQueue(pg, java.time.Clock.systemUTC());
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Process> workers = new ArrayList<>();
    try (FakeConnector connector = FakeConnector.start()) {
      connector.randomFaults(
          seed,
          Map.of(
              FakeConnector.Fault.throttled(Duration.ofMillis(300)), 0.10,
              FakeConnector.Fault.error(503, "ServiceUnavailable"), 0.05,
              FakeConnector.Fault.error(403, "ConversationBlockedByUser"), 0.02,
              FakeConnector.Fault.error(404, "ConversationNotFound"), 0.01,
              FakeConnector.Fault.drop(), 0.01));
      List<ConversationReference> batch = new ArrayList<>();
      for (int i = 0; i < DELIVERIES; i++) {
        batch.add(
            SampleReferences.reference("msteams", "a:storm-" + i, "tenant-1")
                .withServiceUrl(connector.serviceUrl()));
      }
      refs.saveAll(batch);
      Instant now = Instant.now();
      for (int i = 0; i < DELIVERIES; i++) {
        queue.schedule(batch.get(i).key(), Activity.message("d-" + i), now, "d-" + i);
      }
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        workers.add(worker(refs, queue, connector, "w" + i));
      }
      int kills = 0;
      long nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
      Map<String, Integer> states;
      while (true) {
        states = counts(queue);
        if (states.getOrDefault("PENDING", 0) == 0) {
          break;
        }
        if (kills < 2 && System.nanoTime() >= nextKill) {
          Process victim = workers.remove(random.nextInt(workers.size()));
          victim.destroyForcibly().waitFor(); // SIGKILL
          kills++;
          workers.add(worker(refs, queue, connector, "r" + kills));
          nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Process p : workers) {
        p.getOutputStream().close();
      }
      for (Process p : workers) {
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      workers.clear();

      Map<String, String> stateOf = statesByKey(queue);
      int lost = 0;
      int twice = 0;
      int twiceUnknown = 0;
      int arrivedUnknown = 0;
      int arrivedOtherwise = 0;
      for (int i = 0; i < DELIVERIES; i++) {
        String key = "d-" + i;
        long arrived =
            connector.activities("a:storm-" + i).stream().filter(a -> key.equals(a.text())).count();
        String state = stateOf.get(key);
        if ("DELIVERED".equals(state) && arrived == 0) {
          lost++;
        }
        if (arrived > 1) {
          if ("UNKNOWN".equals(state)) {
            twiceUnknown++;
          } else {
            twice++;
          }
        }
        if (arrived > 0 && !"DELIVERED".equals(state)) {
          if ("UNKNOWN".equals(state)) {
            arrivedUnknown++;
          } else {
            arrivedOtherwise++;
          }
        }
      }
      LOG.info(
          "kill storm: seed {}, {} deliveries, 3 workers, {} killed, {} s; states {}; lost {},"
              + " twice {} (UNKNOWN twice {}), UNKNOWN that arrived {}",
          seed,
          DELIVERIES,
          kills,
          String.format(java.util.Locale.ROOT, "%.1f", seconds),
          new TreeMap<>(states),
          lost,
          twice,
          twiceUnknown,
          arrivedUnknown);
      assertThat(kills).isEqualTo(2);
      assertThat(stateOf).hasSize(DELIVERIES);
      assertThat(states.getOrDefault("PENDING", 0)).as("100% accounted").isZero();
      assertThat(lost).as("lost").isZero();
      assertThat(twice).as("delivered twice, not UNKNOWN").isZero();
      assertThat(arrivedOtherwise).as("arrived but recorded GONE, FAILED or DEAD").isZero();
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
      }
    }
  }

  private static Process worker(
      JdbcReferenceRepository refs, JdbcDeliveryQueue queue, FakeConnector connector, String name)
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
            TestDatabases.setting(
                "beckon.postgres.url",
                "BECKON_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test"),
            refs.tableName(),
            queue.tableName(),
            connector.serviceUrl(),
            name)
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  private static Map<String, Integer> counts(JdbcDeliveryQueue queue) throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = TestDatabases.dataSource(Dialect.POSTGRESQL).getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT state, COUNT(*) FROM " + queue.tableName() + " GROUP BY state")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }

  private static Map<String, String> statesByKey(JdbcDeliveryQueue queue) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (Connection c = TestDatabases.dataSource(Dialect.POSTGRESQL).getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT delivery_key, state FROM " + queue.tableName())) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }
}
