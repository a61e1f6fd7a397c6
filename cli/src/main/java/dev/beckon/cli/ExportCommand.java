package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoredReference;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code beckon export}: canonical JSON lines, streamed; or ({@code --format agents}) the Agents
 * SDK's storage form of Proactive conversations, a FileStorage {@code state.json}.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export references as JSON lines (canonical v4 JSON), streaming page by page; or, with --format agents, "
            + "as the Microsoft 365 Agents SDK's stored Proactive conversations (a FileStorage state.json).")
final class ExportCommand implements Runnable {

  /** What to write. */
  enum Format {
    /** Canonical v4 JSON, one reference per line. */
    JSONL,
    /**
     * The Agents SDK's storage form: {@code {"proactive/conversations/<id>": {reference, claims}}}.
     */
    AGENTS;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Option(
      names = "--format",
      defaultValue = "jsonl",
      paramLabel = "FORMAT",
      description = "One of: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--app-id",
      paramLabel = "APP_ID",
      description =
          "With --format agents: claims.aud for references that carry no claims (the Agents SDK needs one); "
              + "without it such references are skipped.")
  String appId;

  @Mixin StoreOption store;

  @Option(names = "--channel", description = "Only this channel.")
  String channel;

  @Option(names = "--tenant", description = "Only this tenant.")
  String tenant;

  @Option(
      names = {"-o", "--output"},
      converter = OptionTypes.NewFile.class,
      description =
          "File to write (its folder must exist) (written to a temporary file, then moved: never half-written). Default: standard output.")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    ListQuery q =
        (channel == null ? ListQuery.all() : ListQuery.channel(channel))
            .withTenant(tenant)
            .withPageSize(500);
    long n = 0;
    UnreadableRows unreadable = new UnreadableRows(spec.commandLine().getErr());
    try (ConfiguredStore s = store.open()) {
      if (output == null) {
        PrintWriter out = spec.commandLine().getOut();
        n = write(s, q, out, unreadable);
        out.flush();
      } else {
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".beckon-export", ".tmp");
        try (Writer w =
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8))) {
          n = write(s, q, w, unreadable);
        } catch (RuntimeException | IOException e) {
          Files.deleteIfExists(tmp);
          throw e;
        }
        Files.move(
            tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.FAILED, "cannot write " + output + ": " + e.getMessage());
    }
    spec.commandLine()
        .getErr()
        .println("exported " + n + " reference(s)" + unreadable.summary("skipped"));
  }

  private long write(ConfiguredStore s, ListQuery q, Writer w, UnreadableRows unreadable)
      throws IOException {
    if (format == Format.AGENTS) {
      dev.beckon.codec.AgentsConversations.Report r;
      try (Stream<StoredReference> refs = s.repository().stream(q, unreadable)) {
        java.util.Iterator<StoredReference> it = refs.iterator();
        Iterable<dev.beckon.reference.ConversationReference> all =
            () ->
                new java.util.Iterator<>() {
                  @Override
                  public boolean hasNext() {
                    return it.hasNext();
                  }

                  @Override
                  public dev.beckon.reference.ConversationReference next() {
                    return it.next().reference();
                  }
                };
        r = dev.beckon.codec.AgentsConversations.write(all, appId, w);
      }
      w.write('\n');
      PrintWriter err = spec.commandLine().getErr();
      for (dev.beckon.codec.AgentsConversations.Skipped k : r.skipped()) {
        err.println("skipped " + k.key() + ": " + k.reason());
      }
      return r.items().size();
    }
    return writeLines(s, q, w, unreadable);
  }

  private static long writeLines(
      ConfiguredStore s, ListQuery q, Writer w, UnreadableRows unreadable) {
    long[] n = {0};
    try (Stream<StoredReference> refs = s.repository().stream(q, unreadable)) {
      refs.forEach(
          r -> {
            try {
              w.write(ReferenceJson.write(r.reference()));
              w.write('\n');
              n[0]++;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    return n[0];
  }
}
