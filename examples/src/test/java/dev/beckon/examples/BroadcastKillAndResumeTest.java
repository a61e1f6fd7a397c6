package dev.beckon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.reference.ConversationReference;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A broadcast worker process killed (SIGKILL) at about 60% resumes without re-sending what was
 * delivered.
 */
class BroadcastKillAndResumeTest {

  @Test
  @Timeout(180)
  void aKilledWorkerResumes(@TempDir Path dir) throws Exception {
    int n = 3000;
    try (FakeConnector connector = FakeConnector.start()) {
      Path db = dir.resolve("refs.db");
      SQLiteDataSource ds = new SQLiteDataSource();
      ds.setUrl("jdbc:sqlite:" + db);
      JdbcReferenceRepository repo = JdbcReferenceRepository.builder(ds).build();
      repo.createSchema();
      List<ConversationReference> refs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        refs.add(
            SampleReferences.reference("msteams", "a:kill-" + i, null)
                .withServiceUrl(connector.serviceUrl()));
      }
      repo.saveAll(refs);
      Path checkpoints = dir.resolve("checkpoints");

      Process worker =
          ExampleJvm.command(
                  "dev.beckon.examples.BroadcastWorker",
                  db.toString(),
                  checkpoints.toString(),
                  "kill-test",
                  "600")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("worker.log").toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (connector.requests().size() < n * 6 / 10
          && System.nanoTime() < deadline
          && worker.isAlive()) {
        Thread.sleep(20);
      }
      assertThat(worker.isAlive())
          .as("worker still running at 60%: " + Files.readString(dir.resolve("worker.log")))
          .isTrue();
      worker.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      worker.waitFor(10, TimeUnit.SECONDS);
      int beforeResume = connector.requests().size();
      assertThat(beforeResume).isBetween(n * 6 / 10, n - 1);

      BroadcastReport resumed = BroadcastWorker.run(db, checkpoints, "kill-test", 2000);
      Map<String, Integer> deliveries = new HashMap<>();
      connector.requests().forEach(r -> deliveries.merge(r.conversationId(), 1, Integer::sum));
      assertThat(deliveries).as("every reference delivered").hasSize(n);
      long duplicates = deliveries.values().stream().filter(c -> c > 1).count();
      // only sends in flight at the kill (delivered but not yet checkpointed) can repeat: at most
      // the concurrency
      assertThat(duplicates).isLessThanOrEqualTo(16);
      assertThat(resumed.alreadyDone() + resumed.delivered()).isEqualTo(resumed.listed());
      assertThat(resumed.delivered()).isLessThanOrEqualTo(n - beforeResume + 16L);
      System.out.printf(
          "kill-and-resume: killed after %d of %d sends; resumed run sent %d (skipped %d already done); %d duplicates%n",
          beforeResume, n, resumed.delivered(), resumed.alreadyDone(), duplicates);
    }
  }
}
