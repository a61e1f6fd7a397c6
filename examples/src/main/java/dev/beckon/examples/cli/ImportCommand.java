package dev.beckon.examples.cli;

import dev.beckon.examples.config.ConfiguredStore;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.codec.ResumptionCookies;
import dev.beckon.reference.ConversationReference;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beckon import}: JSON lines of v3 ResumptionCookies and/or botbuilder v4 references.
 * The whole file is validated first; a single bad line aborts with its line number and nothing
 * is written.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import references from a JSONL file (one v3 ResumptionCookie or v4 ConversationReference per line). "
        + "Validates every line first: on a bad line nothing is written.")
final class ImportCommand implements Runnable {

  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "FILE", description = "JSON lines file, or - for standard input.")
  String file;

  @Option(names = "--format", defaultValue = "auto",
      description = "auto (detect per line), v3 or reference. Default: ${DEFAULT-VALUE}.")
  String format;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    if (!List.of("auto", "v3", "reference").contains(format)) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "--format must be auto, v3 or reference");
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
        if (!Files.isReadable(input)) {
          throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "cannot read " + file);
        }
      }
      long[] counts = new long[2];
      // pass 1: validate everything, write nothing; note the last line of each conversation
      Map<String, Long> lastLine = new HashMap<>();
      forEach(input, (r, line) -> lastLine.put(r.key().hash(), line), counts);
      try (ConfiguredStore s = store.open()) {
        List<ConversationReference> batch = new ArrayList<>(500);
        forEach(input, (r, line) -> {
          if (lastLine.get(r.key().hash()) != line.longValue()) {
            return; // a later line of the file holds this conversation: it wins, written once
          }
          batch.add(r);
          if (batch.size() == 500) {
            s.repository().saveAll(batch);
            batch.clear();
          }
        }, new long[2]);
        if (!batch.isEmpty()) {
          s.repository().saveAll(batch);
        }
      }
      long repeated = counts[0] + counts[1] - lastLine.size();
      spec.commandLine().getOut().println("imported " + lastLine.size() + " reference(s): "
          + counts[0] + " from v3 cookies, " + counts[1] + " v4 references"
          + (repeated == 0 ? "" : "; " + repeated + " line(s) repeated an earlier conversation (the later line wins)"));
    } catch (IOException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, "cannot read " + file + ": " + e.getMessage());
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

  private void forEach(Path input, BiConsumer<ConversationReference, Long> sink, long[] counts) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(input), StandardCharsets.UTF_8))) {
      String line;
      long n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        sink.accept(parse(line, n, counts), n);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private ConversationReference parse(String line, long n, long[] counts) {
    boolean v3 = switch (format) {
      case "v3" -> true;
      case "reference" -> false;
      default -> line.contains("\"address\"") || line.contains("\"Address\"");
    };
    try {
      ConversationReference r = v3 ? ResumptionCookies.read(line) : ReferenceJson.read(line);
      counts[v3 ? 0 : 1]++;
      return r;
    } catch (MalformedReferenceException e) {
      throw new BeckonCli.CliFailure(BeckonCli.BAD_INPUT, file + " line " + n + ": " + e.getMessage()
          + " (nothing was imported)");
    }
  }
}
