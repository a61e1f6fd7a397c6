package dev.beckon.cli;

import dev.beckon.cli.config.ConfiguredStore;
import dev.beckon.reference.ConversationReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code beckon import}: JSON lines of v3 ResumptionCookies and/or botbuilder v4 references (or
 * Beckon's compact {@code b1.} form). All or nothing: the whole file is validated first with every
 * check a store's write makes ({@link ImportLine}); a single bad line aborts with its line number
 * and nothing is written. {@code --format agents} reads the Agents SDK's stored Proactive
 * conversations instead: readable items are written, the others are listed on standard error
 * ({@code --strict}: any bad item writes nothing).
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import references from a JSONL file (one v3 ResumptionCookie, v4 ConversationReference or b1. "
            + "compact reference per line). Validates every line first: on a bad line nothing is written. The file "
            + "must be UTF-8 (a byte order mark is allowed); a line may have at most 1 MiB; blank lines are skipped.")
final class ImportCommand implements Runnable {

  @Mixin StoreOption store;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "JSON lines file, or - for standard input.")
  String file;

  @Option(
      names = "--format",
      defaultValue = "auto",
      paramLabel = "FORMAT",
      description =
          "One of: ${COMPLETION-CANDIDATES} (auto detects per line). Default: ${DEFAULT-VALUE}.")
  ImportLine.Format format;

  @Option(
      names = "--strict",
      description =
          "With --format agents: a conversation that cannot be imported aborts the import, nothing is written "
              + "(default: the others are written and the bad ones listed).")
  boolean strict;

  @Spec CommandSpec spec;

  /** A line of the file that holds a reference. */
  private interface Sink {
    void accept(ImportLine.Parsed line, long number);
  }

  @Override
  @SuppressWarnings("EnumOrdinal") // counts per ImportLine.Kind in an array the lambdas can bump
  public void run() {
    if (format == ImportLine.Format.AGENTS) {
      runAgents();
      return;
    }
    Path tmp = null;
    try {
      Path input;
      if (file.equals("-")) {
        tmp = Files.createTempFile("beckon-import", ".jsonl");
        Files.copy(System.in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        input = tmp;
      } else {
        input = Path.of(file);
        if (!Files.isReadable(input) || Files.isDirectory(input)) {
          throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "cannot read " + file);
        }
      }
      long[] counts = new long[ImportLine.Kind.values().length];
      // pass 1: validate everything, write nothing; note the last line of each conversation
      Map<String, Long> lastLine = new HashMap<>();
      forEach(
          input,
          (r, line) -> {
            lastLine.put(r.reference().key().hash(), line);
            counts[r.kind().ordinal()]++;
          });
      try (ConfiguredStore s = store.open()) {
        List<ConversationReference> batch = new ArrayList<>(500);
        forEach(
            input,
            (r, line) -> {
              Long last = lastLine.get(r.reference().key().hash());
              if (last == null || last != line) {
                return; // a later line of the file holds this conversation: it wins, written once
              }
              batch.add(r.reference());
              if (batch.size() == 500) {
                s.repository().saveAll(batch);
                batch.clear();
              }
            });
        if (!batch.isEmpty()) {
          s.repository().saveAll(batch);
        }
      }
      long all = java.util.Arrays.stream(counts).sum();
      long repeated = all - lastLine.size();
      long compact = counts[ImportLine.Kind.COMPACT.ordinal()];
      spec.commandLine()
          .getOut()
          .println(
              "imported "
                  + lastLine.size()
                  + " reference(s): "
                  + counts[ImportLine.Kind.V3.ordinal()]
                  + " from v3 cookies, "
                  + counts[ImportLine.Kind.REFERENCE.ordinal()]
                  + " v4 references"
                  + (compact == 0 ? "" : ", " + compact + " compact")
                  + (repeated == 0
                      ? ""
                      : "; "
                          + repeated
                          + " line(s) repeated an earlier conversation (the later line wins)"));
    } catch (IOException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT, "cannot read " + file + ": " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // temp file
        }
      }
    }
  }

  /** {@code --format agents}: the Agents SDK's stored conversations, the whole file at once. */
  private void runAgents() {
    String name = file.equals("-") ? "standard input" : file;
    dev.beckon.codec.AgentsConversations.Report report;
    try (java.io.InputStream in =
        file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
      report =
          dev.beckon.codec.AgentsConversations.read(
              in, dev.beckon.codec.AgentsConversations.DEFAULT_MAX_BYTES);
    } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "cannot read " + file);
    } catch (IOException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT, "cannot read " + file + ": " + e.getMessage());
    } catch (dev.beckon.codec.MalformedReferenceException e) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT, name + ": " + e.getMessage() + " (nothing was imported)");
    }
    java.io.PrintWriter err = spec.commandLine().getErr();
    List<ConversationReference> good = new ArrayList<>();
    long skipped = report.skippedCount();
    for (dev.beckon.codec.AgentsConversations.Skipped s : report.skipped()) {
      err.println("skipped " + s.key() + ": " + s.reason());
    }
    for (dev.beckon.codec.AgentsConversations.Item item : report.items()) {
      try {
        dev.beckon.store.ReferenceDocument.of(item.reference());
        good.add(item.reference());
      } catch (dev.beckon.store.ReferenceTooLargeException e) {
        skipped++;
        err.println("skipped " + item.key() + ": " + e.getMessage());
      }
    }
    if (report.skippedCount() > report.skipped().size()) {
      err.println(
          "… and "
              + (report.skippedCount() - report.skipped().size())
              + " more skipped (only the first "
              + report.skipped().size()
              + " are listed)");
    }
    if (strict && skipped > 0) {
      throw new BeckonCli.CliFailure(
          BeckonCli.BAD_INPUT,
          name
              + ": "
              + skipped
              + " conversation(s) cannot be imported (--strict: nothing was imported)");
    }
    try (ConfiguredStore s = store.open()) {
      for (int i = 0; i < good.size(); i += 500) {
        s.repository().saveAll(good.subList(i, Math.min(good.size(), i + 500)));
      }
    }
    spec.commandLine()
        .getOut()
        .println(
            "imported "
                + good.size()
                + " reference(s) from Agents SDK conversations"
                + (skipped == 0 ? "" : "; skipped " + skipped + " (listed on standard error)")
                + (report.otherKeys() == 0
                    ? ""
                    : "; ignored " + report.otherKeys() + " key(s) of other bot state"));
  }

  private void forEach(Path input, Sink sink) throws IOException {
    try (ImportLine.Reader in = new ImportLine.Reader(Files.newInputStream(input))) {
      try {
        String line;
        while ((line = in.next()) != null) {
          if (!line.isBlank()) {
            sink.accept(ImportLine.parse(line, format), in.number());
          }
        }
      } catch (ImportLine.Invalid e) {
        throw new BeckonCli.CliFailure(
            BeckonCli.BAD_INPUT,
            (file.equals("-") ? "standard input" : file)
                + " line "
                + in.number()
                + ": "
                + e.getMessage()
                + " (nothing was imported)");
      }
    }
  }
}
