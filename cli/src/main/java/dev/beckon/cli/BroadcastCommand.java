package dev.beckon.cli;

import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastCheckpoints;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastProgress;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.Checkpoints;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.store.ListQuery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code beckon broadcast}: one message to every matching reference, paced, with live progress. */
@Command(
    name = "broadcast",
    mixinStandardHelpOptions = true,
    description =
        "Send one message to every reference of a store (optionally one channel/tenant), paced "
            + "(Teams limits by default), with a live progress line and a final report. Resumable with --id and --checkpoint-dir. "
            + "Exit 0 when nothing failed, 1 otherwise.")
final class BroadcastCommand implements Runnable {

  @Mixin StoreOption store;

  @Option(names = "--channel", description = "Only this channel.")
  String channel;

  @Option(names = "--tenant", description = "Only this tenant.")
  String tenant;

  @Mixin SenderOptions sending;
  @Mixin MessageOptions message;

  @Option(
      names = "--rate",
      converter = OptionTypes.PerSecond.class,
      paramLabel = "N",
      description =
          "Cap on all sends per second, every tenant together, at least 1 (default: none; the "
              + "Teams profile paces each tenant at 50/s on its own).")
  RateLimit rate;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      converter = OptionTypes.Concurrency.class,
      description = "Sends in flight, 1..1024 (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--remove-gone",
      description = "Delete references whose conversation is gone (403 blocked/removed, 404).")
  boolean removeGone;

  @Option(
      names = "--id",
      description =
          "Broadcast id (1-100 of A-Z a-z 0-9 . _ -), to resume with the same "
              + "--checkpoint-dir (required with --id). A finished id sends nothing again.")
  String id;

  @Option(
      names = "--checkpoint-dir",
      description = "Where progress is checkpointed (resumable after a crash).")
  Path checkpointDir;

  @Option(
      names = "--no-count",
      description =
          "Do not count the references first (no percentage and ETA; saves one listing pass).")
  boolean noCount;

  @Spec CommandSpec spec;

  private static long count(ConfiguredStore s, ListQuery q) {
    try (var refs = s.repository().stream(q)) {
      return refs.count();
    }
  }

  @Override
  public void run() {
    if (id != null && checkpointDir == null) {
      throw BeckonCli.usage(
          spec,
          "--id needs --checkpoint-dir: the id names the checkpoint a re-run resumes from, "
              + "and without a checkpoint folder nothing is kept to resume");
    }
    RateProfile profile = RateProfile.teams().withMaxConcurrency(concurrency);
    if (rate != null) {
      profile = profile.withGlobal(rate);
    }
    ListQuery q =
        (channel == null ? ListQuery.all() : ListQuery.channel(channel))
            .withTenant(tenant)
            .withPageSize(500);
    PrintWriter err = spec.commandLine().getErr();
    var activity = message.activity();
    try (ConfiguredStore s = store.open();
        BotConnectorSender sender = sending.sender();
        BroadcastCheckpoints cp =
            checkpointDir == null ? Checkpoints.inMemory() : Checkpoints.directory(checkpointDir)) {
      Broadcast.Builder b = Broadcast.builder(s.repository(), sender);
      if (id != null) {
        try {
          b.id(id);
        } catch (IllegalArgumentException e) {
          throw BeckonCli.usage(spec, "--id: " + e.getMessage());
        }
      }
      long total = noCount ? -1 : count(s, q);
      b.query(q)
          .message(activity)
          .profile(profile)
          .removeGone(removeGone)
          .checkpoints(cp)
          .progressInterval(Duration.ofMillis(500))
          .listener(
              new BroadcastListener() {
                @Override
                public void onProgress(BroadcastProgress p) {
                  err.print("\r" + ProgressLine.format(p, total) + "   ");
                  err.flush();
                }

                @Override
                public void onOutcome(BroadcastOutcome o) {
                  if (o.kind() == BroadcastOutcome.Kind.FAILED) {
                    err.printf(
                        "%n[broadcast] failed %s / %s: %s%n",
                        o.key().channelId(), o.key().conversationId(), BeckonCli.speak(o.reason()));
                  }
                }
              });
      BroadcastReport r;
      try {
        r = b.build().start().join();
      } finally {
        err.println(); // ends the live line, also before an error message
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(r.summary());
      if (id != null
          && r.listed() == 0
          && (total > 0
              || (total < 0 && !s.repository().list(q.withPageSize(1)).items().isEmpty()))) {
        out.println(
            "broadcast "
                + id
                + " already finished in an earlier run (checkpoint in "
                + checkpointDir
                + "): nothing was sent again; use a new --id to send again");
      } else if (id != null && r.alreadyDone() > 0) {
        out.println(
            "resumed broadcast "
                + id
                + ": "
                + r.alreadyDone()
                + " reference(s) were done by an earlier run");
      }
      if (r.failed() > 0) {
        throw new BeckonCli.CliFailure(BeckonCli.FAILED, r.failed() + " reference(s) failed");
      }
    }
  }
}
