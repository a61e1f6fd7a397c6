package dev.beckon.examples;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastCheckpoints;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.Checkpoints;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.store.ListQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sqlite.SQLiteDataSource;

/**
 * A broadcast worker process: sends one message to every reference in an SQLite store, with file
 * checkpoints, so that a worker killed half-way can be restarted and finishes without re-sending
 * what was already delivered.
 *
 * <p>Usage: {@code BroadcastWorker <store.db> <checkpoint-dir> <broadcast-id> <sends-per-second>}
 * (anonymous sender: for the Emulator or a local channel simulator).
 */
public final class BroadcastWorker {

  private BroadcastWorker() {}

  /**
   * Runs the worker.
   *
   * @param args store file, checkpoint directory, broadcast id, global rate
   */
  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println(
          "usage: BroadcastWorker <store.db> <checkpoint-dir> <broadcast-id> <sends-per-second>");
      System.exit(2);
    }
    BroadcastReport r = run(Path.of(args[0]), Path.of(args[1]), args[2], Integer.parseInt(args[3]));
    System.out.println(
        "listed "
            + r.listed()
            + ", already done "
            + r.alreadyDone()
            + ", delivered "
            + r.delivered()
            + ", gone "
            + r.gone()
            + ", failed "
            + r.failed()
            + ", skipped "
            + r.skipped());
    System.exit(r.failed() == 0 ? 0 : 1);
  }

  /**
   * Runs the broadcast.
   *
   * @param db the SQLite store
   * @param checkpoints the checkpoint directory
   * @param id the broadcast id
   * @param perSecond the global rate
   * @return the report
   */
  public static BroadcastReport run(Path db, Path checkpoints, String id, int perSecond) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + db.toAbsolutePath());
    JdbcReferenceRepository repo = JdbcReferenceRepository.builder(ds).build();
    try (BotConnectorSender sender = BotConnectorSender.builder().anonymous().build();
        BroadcastCheckpoints cp = Checkpoints.directory(checkpoints)) {
      return Broadcast.builder(repo, sender)
          .id(id)
          .query(ListQuery.all().withPageSize(200))
          .message(Activity.message("Scheduled maintenance tonight at 22:00"))
          .profile(new RateProfile(RateLimit.of(perSecond, Duration.ofSeconds(1)), List.of(), 16))
          .checkpoints(cp)
          .build()
          .start()
          .join();
    }
  }
}
