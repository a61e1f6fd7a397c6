package dev.beckon.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Microsoft 365 Agents SDK JS peer of the sender suite: {@code benchmarks/agents-js/peer.cjs}
 * in a Node process of its own, sending through the SDK's proactive path ({@code
 * app.proactive.sendActivity}, anonymous) to the same loopback connector. Each {@link #measure}
 * asks it for one closed-loop round and reads its CPU (utime + stime from {@code /proc/<pid>/stat},
 * every thread of the process) before and after. A peer that exits (it does, with status 3, on any
 * attempt to reach a host outside 127.0.0.0/8) or stops answering fails the suite at once.
 */
final class AgentsJsPeer implements AutoCloseable {

  /** The column name in the report. */
  static final String NAME = "agents-js 1.8.1";

  private static final String END = "\u0000end";

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path reference;
  private final double ticksPerSecond;

  private AgentsJsPeer(Process process, Path reference, double ticksPerSecond) {
    this.process = process;
    this.reference = reference;
    this.ticksPerSecond = ticksPerSecond;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  answers.add(line);
                }
              } catch (IOException e) {
                // the process ended: reported as END
              }
              answers.add(END);
            },
            "agents-js-peer-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the peer.
   *
   * @param folder the folder holding {@code peer.cjs} and its {@code node_modules}
   *     (scripts/bench.sh installs them)
   * @param beckonReference the reference, as Beckon writes it ({@code bot} is copied to {@code
   *     agent}, the Agents SDK's name for it)
   * @return the running peer
   * @throws IOException when Node or the installed SDK is missing, or the peer does not start
   * @throws InterruptedException when interrupted
   */
  static AgentsJsPeer start(Path folder, String beckonReference)
      throws IOException, InterruptedException {
    Path dir = folder.toAbsolutePath();
    Path script = dir.resolve("peer.cjs");
    Path sdk = dir.resolve("node_modules/@microsoft/agents-hosting/package.json");
    if (!Files.isRegularFile(script) || !Files.isRegularFile(sdk)) {
      throw new IOException(
          "the Agents SDK peer is not installed in " + dir + " (scripts/bench.sh installs it)");
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode ref = (ObjectNode) json.readTree(beckonReference);
    if (ref.has("bot")) {
      ref.set("agent", ref.get("bot"));
    }
    Path file = Files.createTempFile("beckon-agents-ref", ".json");
    Files.writeString(file, json.writeValueAsString(ref));
    ProcessBuilder pb =
        new ProcessBuilder(List.of("node", script.toString(), file.toString()))
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().keySet().removeIf(k -> k.startsWith("NODE_OPTIONS") || k.equals("DEBUG"));
    AgentsJsPeer peer = new AgentsJsPeer(pb.start(), file, clockTicks());
    String ready = peer.answer(60);
    if (!"ready".equals(ready)) {
      peer.close();
      throw new IOException("the Agents SDK peer did not start: " + ready);
    }
    return peer;
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(10, TimeUnit.SECONDS);
      return Double.parseDouble(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // Linux's USER_HZ nearly everywhere
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  private String answer(long seconds) throws IOException, InterruptedException {
    String line = answers.poll(seconds, TimeUnit.SECONDS);
    if (line == null) {
      throw new IOException("the Agents SDK peer gave no answer within " + seconds + " s");
    }
    if (line.equals(END)) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IOException(
          "the Agents SDK peer ended"
              + (process.isAlive() ? "" : " with exit status " + process.exitValue())
              + " (see its message above)");
    }
    return line;
  }

  /** The peer's CPU seconds so far: utime + stime of /proc/<pid>/stat, all its threads. */
  private double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    // fields after the command name, which is in parentheses and may hold spaces
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    // f[0] is field 3 (state): utime is field 14, stime field 15
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / ticksPerSecond;
  }

  /**
   * One closed-loop round in the peer.
   *
   * @param concurrency sends in flight
   * @param millis how long to keep sending
   * @return sends per second and the peer's CPU microseconds per message
   * @throws IOException when the peer fails, ends or stops answering
   * @throws InterruptedException when interrupted
   */
  SenderBenchmark.Result measure(int concurrency, long millis)
      throws IOException, InterruptedException {
    double cpu0 = cpuSeconds();
    commands.write(String.format(Locale.ROOT, "run %d %d%n", concurrency, millis));
    commands.flush();
    String line = answer(millis / 1000 + 60);
    double cpu1 = cpuSeconds();
    String[] f = line.split(" ", -1);
    if (f.length != 4 || !f[0].equals("ok")) {
      throw new IOException("the Agents SDK peer answered: " + line);
    }
    long n = Long.parseLong(f[1]);
    double elapsed = Long.parseLong(f[2]) / 1e9;
    long failures = Long.parseLong(f[3]);
    if (failures > 0) {
      throw new IllegalStateException(failures + " Agents SDK sends failed");
    }
    return new SenderBenchmark.Result(n / elapsed, (cpu1 - cpu0) * 1e6 / n);
  }

  @Override
  public void close() throws IOException {
    try {
      commands.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(reference);
  }
}
