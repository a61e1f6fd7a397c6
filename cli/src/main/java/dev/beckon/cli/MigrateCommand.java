package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.StoredReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code beckon migrate --from A --to B}: a streaming copy between any two stores, page by page
 * (two tables of one database too: {@code --from-table}, {@code --to-table}). With {@code
 * --checkpoint FILE}, the source cursor is saved after each page is written, and a rerun continues
 * after the last page written (re-copying is harmless: writes are upserts). Source rows that cannot
 * be read are not copied: each is a warning on stderr, counted in the summary ({@link
 * UnreadableRows}).
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Copy every reference from one store to another, streaming; resumable with --checkpoint.")
final class MigrateCommand implements Runnable {

  @Option(names = "--from", required = true, paramLabel = "URI", description = "Source store URI.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "URI", description = "Target store URI.")
  String to;

  @Option(
      names = "--from-table",
      paramLabel = "NAME",
      description = "The source's table, as --table of the other commands.")
  String fromTable;

  @Option(
      names = "--to-table",
      paramLabel = "NAME",
      description = "The target's table, as --table of the other commands.")
  String toTable;

  @Option(
      names = "--create-table",
      description =
          "Create the target's table if it is missing (as ${bundle:"
              + StoreHelp.CREATE
              + "} in --to).")
  boolean createTable;

  @Option(names = "--channel", description = "Only this channel.")
  String channel;

  @Option(
      names = "--page-size",
      defaultValue = "500",
      converter = OptionTypes.PageSize.class,
      description = "References per page (default ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--checkpoint",
      description = "File holding the source cursor, to resume an interrupted migration.")
  Path checkpoint;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    String sourceUri = Stores.withTable(from, "--from-table", fromTable, false);
    String targetUri = Stores.withTable(to, "--to-table", toTable, createTable);
    try {
      if (ConfiguredStore.sameStore(sourceUri, targetUri)) {
        throw BeckonCli.usage(
            spec, "--from and --to name the same store: a migration needs two different stores");
      }
    } catch (IllegalArgumentException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, e.getMessage());
    }
    String cursor = readCheckpoint();
    long copied = 0;
    long pages = 0;
    UnreadableRows unreadable = new UnreadableRows(spec.commandLine().getErr());
    try (ConfiguredStore source = Stores.open(sourceUri);
        ConfiguredStore target = Stores.open(targetUri)) {
      ListQuery q =
          (channel == null ? ListQuery.all() : ListQuery.channel(channel))
              .withPageSize(pageSize)
              .withCursor(cursor);
      checkResumable(source, q);
      while (true) {
        Page page = source.repository().list(q);
        page.unreadable().forEach(unreadable);
        List<ConversationReference> batch = new ArrayList<>(page.items().size());
        for (StoredReference r : page.items()) {
          batch.add(r.reference());
        }
        if (!batch.isEmpty()) {
          target.repository().saveAll(batch);
        }
        copied += batch.size();
        pages++;
        writeCheckpoint(page.next());
        if (page.next() == null) {
          break;
        }
        q = q.withCursor(page.next());
      }
    }
    spec.commandLine()
        .getOut()
        .println(
            "migrated "
                + copied
                + " reference(s) in "
                + pages
                + " page(s)"
                + (cursor != null ? " (resumed from checkpoint)" : "")
                + unreadable.summary("not copied"));
  }

  /** The largest checkpoint file read: a cursor is a few hundred bytes. */
  static final int MAX_CHECKPOINT_BYTES = 64 * 1024;

  /**
   * A checkpoint's cursor must be one of this source store, for this query: else exit 2, nothing
   * copied.
   */
  private void checkResumable(ConfiguredStore source, ListQuery q) {
    if (q.cursor() == null) {
      return;
    }
    try {
      source.repository().list(q.withPageSize(1));
    } catch (IllegalArgumentException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT,
          "checkpoint "
              + checkpoint
              + " does not hold a cursor of "
              + "this source store and query ("
              + BeckonCli.oneLine(e)
              + "); delete it to copy from the start");
    }
  }

  private String readCheckpoint() {
    if (checkpoint == null || !Files.exists(checkpoint)) {
      return null;
    }
    try {
      if (Files.size(checkpoint) > MAX_CHECKPOINT_BYTES) {
        throw new BeckonCli.CliFailure(
            BeckonCli.BAD_INPUT,
            "checkpoint "
                + checkpoint
                + " is over "
                + MAX_CHECKPOINT_BYTES
                + " bytes: it is not a migrate checkpoint");
      }
      String s = Files.readString(checkpoint, StandardCharsets.UTF_8).strip();
      if (s.equals("done")) {
        throw new BeckonCli.CliFailure(
            BeckonCli.BAD_INPUT,
            "checkpoint "
                + checkpoint
                + " says this migration already finished; delete it to copy again");
      }
      return s.isEmpty() ? null : s;
    } catch (IOException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT, "cannot read checkpoint " + checkpoint + ": " + e.getMessage());
    }
  }

  private void writeCheckpoint(String next) {
    if (checkpoint == null) {
      return;
    }
    try {
      Path tmp = checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp");
      Files.writeString(tmp, next == null ? "done" : next, StandardCharsets.UTF_8);
      Files.move(
          tmp, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.FAILED, "cannot write checkpoint " + checkpoint + ": " + e.getMessage());
    }
  }
}
