package dev.beckon.benchmarks;

import com.microsoft.bot.builder.BotFrameworkAdapter;
import com.microsoft.bot.connector.authentication.SimpleCredentialProvider;
import dev.beckon.activity.Activity;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.testkit.SampleReferences;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.util.TimeValue;

/**
 * Proactive sends per second to a fast loopback Bot Connector (its own process) at concurrency 1,
 * 16 and 64: Beckon's {@code BotConnectorSender} vs raw Apache HttpClient 5 posting the identical
 * bytes, and two peers: botbuilder-java 4.14.3 ({@code continueConversation} + {@code
 * sendActivity}, anonymous) and, with {@code --agents-js <dir>} (scripts/bench.sh passes it), the
 * Microsoft 365 Agents SDK JS 1.8.1 ({@code app.proactive.sendActivity}, anonymous) in a Node
 * process of its own ({@link AgentsJsPeer}). Also client CPU per message.
 */
public final class SenderBenchmark {

  private SenderBenchmark() {}

  /** One measured run: messages per second and CPU microseconds per message. */
  record Result(double perSecond, double cpuMicros) {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("sender", args);
    java.nio.file.Path agentsDir = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--agents-js")) {
        agentsDir = java.nio.file.Path.of(args[i + 1]);
      }
    }
    try (LoopbackConnector server = LoopbackConnector.start()) {
      ConversationReference ref =
          SampleReferences.reference("msteams", "a:bench-conversation", "tenant-1")
              .withServiceUrl(server.serviceUrl());
      Activity hello = Activity.message("Hello");
      byte[] body =
          dev.beckon.codec.ActivityJson.write(hello.addressedTo(ref))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      URI url =
          URI.create(
              server.serviceUrl().replaceAll("/+$", "")
                  + "/v3/conversations/a%3Abench-conversation/activities");
      com.microsoft.bot.schema.ConversationReference bbRef =
          com.microsoft.bot.schema.Serialization.treeToValue(
              com.microsoft.bot.schema.Serialization.jsonToTree(ReferenceJson.write(ref)),
              com.microsoft.bot.schema.ConversationReference.class);
      BotFrameworkAdapter adapter = new BotFrameworkAdapter(new SimpleCredentialProvider());
      // the peers (botbuilder-java, the Agents SDK JS) run in the full run only: a --quick run
      // measures the ratio against raw HttpClient 5, within a minute
      boolean peers = !report.quick();
      AgentsJsPeer agents =
          agentsDir == null || !peers
              ? null
              : AgentsJsPeer.start(agentsDir, ReferenceJson.write(ref));
      int rounds = report.quick() ? 10 : 15;
      long millis = report.quick() ? 500 : 2000;
      // concurrency 1 last: it compiles the same code as 16 and 64, but at a fifth of their send
      // rate its JIT-quiet warm-up alone hit the quick run's 10 s cap, and a round measured before
      // the compiler was done moved its ratios by up to 20% between runs. The first level warms
      // the JVM for all three, so its quick cap is 20 s (it needed 10-15 s); the others need 3-7 s
      int[] levels = {16, 64, 1};
      // Phase 1: Beckon and raw HttpClient 5 in interleaved rounds (order alternating), each
      // round giving one paired ratio. Phase 2: botbuilder-java, after both: it floods the heap and
      // turns the Jackson call sites Beckon shares into megamorphic ones, which slowed whoever ran
      // right after it by ~10%.
      for (int c : levels) {
        try (BotConnectorSender sender = BenchSenders.withoutRetries(c);
            CloseableHttpAsyncClient raw = rawClient(c)) {
          Supplier<CompletableFuture<?>> beckon =
              () -> sender.sendAsync(ref, hello).thenApply(o -> check(o));
          Supplier<CompletableFuture<?>> rawPost = () -> post(raw, url, body);
          double warm =
              JitQuiet.warm(
                  i -> {
                    measure(beckon, 200, c);
                    measure(rawPost, 200, c);
                  },
                  report.quick() ? (c == levels[0] ? 20 : 10) : 60);
          report.note(
              String.format(java.util.Locale.ROOT, "c%d: JIT-quiet warm-up %.1f s", c, warm));
          List<Double> throughput = new ArrayList<>();
          List<Double> cpu = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            Result rb;
            Result rr;
            if (round % 2 == 0) {
              rb = measure(beckon, millis, c);
              rr = measure(rawPost, millis, c);
            } else {
              rr = measure(rawPost, millis, c);
              rb = measure(beckon, millis, c);
            }
            report.add("sends/s c" + c, "beckon", rb.perSecond());
            report.add("sends/s c" + c, "raw httpclient5", rr.perSecond());
            report.add("client CPU µs/msg c" + c, "beckon", rb.cpuMicros());
            report.add("client CPU µs/msg c" + c, "raw httpclient5", rr.cpuMicros());
            throughput.add(rb.perSecond() / rr.perSecond());
            cpu.add(rb.cpuMicros() / rr.cpuMicros());
          }
          report.pairedRatio("c" + c + ".throughput_vs_raw_httpclient5", throughput);
          report.pairedRatio("c" + c + ".cpu_per_msg_vs_raw", cpu);
          if (agents != null) {
            agentsRounds(report, agents, beckon, c, millis);
          }
        }
      }
      if (agents != null) {
        agents.close();
      }
      for (int c : peers ? levels : new int[0]) {
        Supplier<CompletableFuture<?>> bb =
            () ->
                adapter.continueConversation(
                    "", bbRef, ctx -> ctx.sendActivity("Hello").thenApply(r -> null));
        measure(bb, 1000, c);
        for (int round = 0; round < 3; round++) {
          Result rp = measure(bb, millis, c);
          report.add("sends/s c" + c, "botbuilder-java 4.14.3", rp.perSecond());
          report.add("client CPU µs/msg c" + c, "botbuilder-java 4.14.3", rp.cpuMicros());
        }
      }
      for (int c : peers ? levels : new int[0]) {
        report.ratio(
            "c" + c + ".throughput_vs_botbuilder_java",
            "sends/s c" + c,
            "beckon",
            "botbuilder-java 4.14.3");
      }
      report.note(
          "server: FakeConnector (JDK HttpServer) in its own process on 127.0.0.1; all three post the same activity");
      report.note(
          peers
              ? "botbuilder-java runs 3 rounds after Beckon's and raw's; its rate is per second like the others"
              : "quick run: Beckon and raw HttpClient 5 only (the peers run in the full run)");
      report.note(
          agents == null
              ? "Agents SDK JS peer not run ("
                  + (peers ? "no --agents-js folder" : "quick run")
                  + ")"
              : "Agents SDK JS 1.8.1 (Node "
                  + nodeVersion()
                  + "): app.proactive.sendActivity, anonymous (claims with an empty aud: no token), "
                  + "in its own process, after a warm-up round; "
                  + "5 rounds paired with extra Beckon rounds (order alternating); its CPU = utime + stime "
                  + "of the Node process (/proc/<pid>/stat, 10 ms ticks); it posts to the reply route "
                  + "(…/activities/{id}), as the SDK does for every proactive send");
      report.note(
          String.format(
              java.util.Locale.ROOT,
              "Beckon and raw: %d interleaved rounds of %d ms each (order alternating), after a warm-up that ends "
                  + "when the JIT is quiet; paired ratio = median of the per-round ratios; client CPU = the "
                  + "process's CPU time per message, all its threads but the JIT compiler's",
              rounds,
              millis));
      report.print();
    }
  }

  /**
   * The Agents SDK peer's rounds at one concurrency, each paired with a Beckon round (order
   * alternating): its columns in the table and the paired ratios.
   */
  private static void agentsRounds(
      BenchReport report,
      AgentsJsPeer agents,
      Supplier<CompletableFuture<?>> beckon,
      int c,
      long millis)
      throws Exception {
    agents.measure(c, 3000); // V8's warm-up
    List<Double> throughput = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      Result rb;
      Result ra;
      if (round % 2 == 0) {
        ra = agents.measure(c, millis);
        rb = measure(beckon, millis, c);
      } else {
        rb = measure(beckon, millis, c);
        ra = agents.measure(c, millis);
      }
      report.add("sends/s c" + c, AgentsJsPeer.NAME, ra.perSecond());
      report.add("client CPU µs/msg c" + c, AgentsJsPeer.NAME, ra.cpuMicros());
      throughput.add(rb.perSecond() / ra.perSecond());
      cpu.add(rb.cpuMicros() / ra.cpuMicros());
    }
    report.pairedRatio("c" + c + ".throughput_vs_agents_js", throughput);
    report.pairedRatio("c" + c + ".cpu_per_msg_vs_agents_js", cpu);
  }

  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").start();
      String v =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .strip();
      p.waitFor();
      return v;
    } catch (java.io.IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  static Object check(SendOutcome o) {
    if (!o.delivered()) {
      throw new IllegalStateException("not delivered: " + o);
    }
    return o;
  }

  static CloseableHttpAsyncClient rawClient(int c) {
    CloseableHttpAsyncClient client =
        HttpAsyncClients.custom()
            .setConnectionManager(
                PoolingAsyncClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(c)
                    .setMaxConnPerRoute(c)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                            .build())
                    .setDefaultTlsConfig(
                        TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                    .build())
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableRedirectHandling()
            .build();
    client.start();
    return client;
  }

  static CompletableFuture<?> post(CloseableHttpAsyncClient client, URI url, byte[] body) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    SimpleHttpRequest req =
        SimpleRequestBuilder.post(url).setBody(body, ContentType.APPLICATION_JSON).build();
    var unused =
        client.execute(
            req,
            new FutureCallback<SimpleHttpResponse>() { // f carries the answer
              @Override
              public void completed(SimpleHttpResponse r) {
                if (r.getCode() >= 300) {
                  f.completeExceptionally(new IllegalStateException("HTTP " + r.getCode()));
                } else {
                  f.complete(r);
                }
              }

              @Override
              public void failed(Exception e) {
                f.completeExceptionally(e);
              }

              @Override
              public void cancelled() {
                f.cancel(false);
              }
            });
    return f;
  }

  static Result measure(Supplier<CompletableFuture<?>> op, long millis, int concurrency)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicLong failures = new AtomicLong();
    long cpu0 = ProcessCpu.nanosWithoutJit();
    long t0 = System.nanoTime();
    long deadline = t0 + millis * 1_000_000L;
    long n = 0;
    while (System.nanoTime() < deadline) {
      inFlight.acquire();
      n++;
      CompletableFuture<?> f;
      try {
        f = op.get().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      var unused =
          f.whenComplete(
              (r, e) -> {
                if (e != null && failures.incrementAndGet() == 1) {
                  System.err.println("first failure: " + e);
                }
                inFlight.release();
              });
    }
    inFlight.acquire(concurrency);
    long elapsed = System.nanoTime() - t0;
    long cpu = ProcessCpu.nanosWithoutJit() - cpu0;
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " sends failed");
    }
    return new Result(n / (elapsed / 1e9), cpu / 1e3 / n);
  }
}
