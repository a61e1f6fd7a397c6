package dev.beckon.benchmarks;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.testkit.SampleReferences;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * One sender subject alone, for a profiler: {@code beckon}, {@code raw} or {@code rawjson} at one
 * concurrency for a number of seconds after a JIT-quiet warm-up, printing messages sent and CPU µs
 * per message. Run it under {@code -XX:StartFlightRecording} and read the recording with {@code
 * profile.JfrTop}; scripts/bench.sh does not run it.
 *
 * <pre>{@code
 * java -XX:StartFlightRecording:filename=beckon-c1.jfr,settings=profile -cp ... \
 *     dev.beckon.benchmarks.SenderProfile beckon 1 10
 * }</pre>
 */
public final class SenderProfile {

  private SenderProfile() {}

  /** Per live thread ("tid name"): CPU ns (/proc schedstat), voluntary and involuntary switches. */
  private static Map<String, long[]> threads() throws IOException {
    Map<String, long[]> m = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          String stat = Files.readString(t.resolve("schedstat"));
          long cpu = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
          long vol = 0;
          long invol = 0;
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              vol = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              invol = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
          }
          m.put(t.getFileName() + " " + name, new long[] {cpu, vol, invol});
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    }
    return m;
  }

  /**
   * Runs one subject.
   *
   * @param args {@code beckon|raw|rawjson} ({@code rawjson}: raw HttpClient 5 that writes the
   *     activity's JSON and the conversation's URL for each message, as any client must), the
   *     concurrency, the seconds to measure
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int c = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    try (LoopbackConnector server = LoopbackConnector.start();
        BotConnectorSender sender = BenchSenders.withoutRetries(c);
        CloseableHttpAsyncClient raw = SenderBenchmark.rawClient(c)) {
      ConversationReference ref =
          SampleReferences.reference("msteams", "a:bench-conversation", "tenant-1")
              .withServiceUrl(server.serviceUrl());
      Activity hello = Activity.message("Hello");
      byte[] body =
          dev.beckon.codec.ActivityJson.write(hello.addressedTo(ref))
              .getBytes(StandardCharsets.UTF_8);
      URI url =
          URI.create(
              server.serviceUrl().replaceAll("/+$", "")
                  + "/v3/conversations/a%3Abench-conversation/activities");
      String base = server.serviceUrl().replaceAll("/+$", "") + "/v3/conversations/";
      Supplier<CompletableFuture<?>> op =
          switch (args[0]) {
            case "beckon" -> () -> sender.sendAsync(ref, hello).thenApply(SenderBenchmark::check);
            case "raw" -> () -> SenderBenchmark.post(raw, url, body);
            // what any client does per message that the raw baseline does once: the activity's
            // JSON and the conversation's URL
            case "rawjson" ->
                () ->
                    SenderBenchmark.post(
                        raw,
                        URI.create(
                            base
                                + java.net.URLEncoder.encode(
                                    ref.conversation().id(), StandardCharsets.UTF_8)
                                + "/activities"),
                        dev.beckon.codec.ActivityJson.write(hello.addressedTo(ref))
                            .getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("subject: beckon, raw or rawjson");
          };
      double warm = JitQuiet.warm(i -> SenderBenchmark.measure(op, 200, c), 30);
      Map<String, long[]> before = threads();
      SenderBenchmark.Result r = SenderBenchmark.measure(op, seconds * 1000L, c);
      Map<String, long[]> after = threads();
      long n = Math.round(r.perSecond() * seconds);
      Map<String, double[]> perGroup = new TreeMap<>();
      after.forEach(
          (id, a) -> {
            long[] b = before.getOrDefault(id, new long[3]);
            String group = id.substring(id.indexOf(' ') + 1).replaceAll("[0-9]+", "N");
            double[] g = perGroup.computeIfAbsent(group, k -> new double[3]);
            g[0] += (a[0] - b[0]) / 1e3 / n;
            g[1] += (double) (a[1] - b[1]) / n;
            g[2] += (double) (a[2] - b[2]) / n;
          });
      perGroup.forEach(
          (g, v) -> {
            if (v[0] > 0.05 || v[1] > 0.01) {
              System.out.printf(
                  Locale.ROOT,
                  "  thread %-32s CPU %6.1f µs/msg, context switches %.2f voluntary + %.2f involuntary /msg%n",
                  g,
                  v[0],
                  v[1],
                  v[2]);
            }
          });
      System.out.printf(
          Locale.ROOT,
          "%s c%d: warm-up %.1f s, %.0f sends/s, %.1f client CPU µs/msg%n",
          args[0],
          c,
          warm,
          r.perSecond(),
          r.cpuMicros());
    }
  }
}
