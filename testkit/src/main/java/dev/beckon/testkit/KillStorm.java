package dev.beckon.testkit;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The kill storm every delivery backend runs as a process test: three worker JVMs on one queue, the
 * {@link FakeConnector} in a fault storm (10% 429 with {@code Retry-After} 300 ms, 5% 503, 2% 403
 * {@code ConversationBlockedByUser}, 1% 404, 1% dropped connections), two workers killed with
 * SIGKILL at random moments (0.3 to 1.5 s apart) and replaced. The deliveries go to conversations
 * spread over {@value #TENANTS} tenants, several per conversation, and every worker paces them with
 * one fleet-wide limiter at {@link #LIMITS}; the connector's receive timestamps measure the pacing.
 *
 * <p>A backend's test supplies a {@link Backend} (save references, schedule, read every state,
 * start one worker JVM) and asserts on the {@link Figures}: 100% accounted, 0 lost, 0 delivered
 * twice except UNKNOWN, nothing arrived that is recorded GONE/FAILED/DEAD, and no tenant or
 * conversation above its limit in any 1 s window. The worker JVMs use {@link #WORKER_RETRY} and
 * {@link #LIMITS} too, and send through {@link #recording(Sender, String)}, so that the pacing is
 * also measured where it is made (when each send was handed to the sender) and each request's
 * lateness (from that moment to the connector's receive timestamp) is known: the fleet limiter
 * promises the limits at the connector only for requests that reach it within its headroom.
 */
public final class KillStorm {

  /** How many tenants the conversations are spread over. */
  public static final int TENANTS = 4;

  /** The headroom of the storm workers' fleet limiter ({@code SendLimiter.fleet}). */
  public static final double HEADROOM = 0.1;

  /**
   * The lateness, send to connector, that the storm workers' fleet limiter tolerates: its {@link
   * #HEADROOM} times the limits' 1 s window.
   */
  public static final double TOLERATED_LATENESS_MILLIS = HEADROOM * 1000;

  /** How many deliveries go to each conversation. */
  public static final int PER_CONVERSATION = 4;

  /**
   * The fleet-wide limits of the storm's workers: 40 per second per tenant, 5 per second per
   * conversation, 16 in flight per worker.
   */
  public static final RateProfile LIMITS =
      new RateProfile(
          null,
          RateLimit.of(KillStorm.TENANT_LIMIT, Duration.ofSeconds(1)),
          List.of(RateLimit.of(KillStorm.CONVERSATION_LIMIT, Duration.ofSeconds(1))),
          16);

  /** {@link #LIMITS}' per-tenant permits per second. */
  public static final int TENANT_LIMIT = 40;

  /** {@link #LIMITS}' per-conversation permits per second. */
  public static final int CONVERSATION_LIMIT = 5;

  /** The workers' persisted retries: quick, so that a storm ends in seconds. */
  public static final RetryStrategy WORKER_RETRY =
      RetryStrategy.builder()
          .maxAttempts(20)
          .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)))
          .throttlingBackoff(Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(2)))
          .maxRetryAfter(Duration.ofSeconds(5))
          .deadline(Duration.ofMinutes(10))
          .build();

  private KillStorm() {}

  /** What a backend's storm test supplies. */
  public interface Backend {
    /**
     * Saves the storm's references.
     *
     * @param references the references
     */
    void save(List<ConversationReference> references);

    /**
     * Schedules one delivery.
     *
     * @param to the conversation
     * @param activity the message
     * @param notBefore due time
     * @param key the delivery key
     */
    void schedule(ReferenceKey to, Activity activity, Instant notBefore, String key);

    /**
     * Every delivery's state, by delivery key.
     *
     * @return the states
     */
    Map<String, String> states();

    /**
     * Starts one worker JVM that sends to {@code serviceUrl} until its standard input closes.
     *
     * @param serviceUrl the connector's service URL
     * @param name the worker's name
     * @return the process
     * @throws IOException when it cannot start
     */
    Process startWorker(String serviceUrl, String name) throws IOException;
  }

  /**
   * What a storm measured.
   *
   * @param backend the backend's name
   * @param seed the random seed (faults, kill times)
   * @param deliveries how many were scheduled
   * @param kills how many workers were killed
   * @param seconds from the first worker's start to the last final state
   * @param states how many deliveries ended in each state
   * @param accounted how many ended in a final state
   * @param lost DELIVERED but never arrived
   * @param twice arrived more than once and not UNKNOWN
   * @param twiceUnknown arrived more than once, UNKNOWN
   * @param arrivedUnknown UNKNOWN that arrived (once or more)
   * @param arrivedOtherwise arrived but recorded GONE, FAILED or DEAD
   * @param maxPerTenant the most requests one tenant received in any 1 s window
   * @param maxPerConversation the most requests one conversation received in any 1 s window
   * @param maxPerTenantSent the most sends of one tenant the workers handed to their senders in any
   *     1 s window (the pacing where it is made)
   * @param maxPerConversationSent the same per conversation
   * @param requests how many message requests the connector received
   * @param matched how many requests were matched to the send that made them (for the lateness)
   * @param latenessP99Millis the 99th percentile of the matched requests' lateness: from the worker
   *     handing the send to its sender to the connector receiving it, in milliseconds
   * @param latenessMaxMillis the largest lateness, in milliseconds
   */
  public record Figures(
      String backend,
      long seed,
      int deliveries,
      int kills,
      double seconds,
      Map<String, Integer> states,
      int accounted,
      int lost,
      int twice,
      int twiceUnknown,
      int arrivedUnknown,
      int arrivedOtherwise,
      int maxPerTenant,
      int maxPerConversation,
      int maxPerTenantSent,
      int maxPerConversationSent,
      int requests,
      int matched,
      double latenessP99Millis,
      double latenessMaxMillis) {

    /**
     * What broke the pacing, in words; empty when it held. The sends as the workers made them must
     * never exceed a limit in any 1 s window. At the connector, a window above a limit breaks the
     * fleet limiter's promise only when every request reached the connector within {@code
     * toleratedMillis} of its send (the limiter's headroom); a later request may land in the next
     * second, which the limiter documents. At least half of the requests must have been matched to
     * their sends, else the storm measured nothing.
     *
     * @param toleratedMillis the lateness the limiter's headroom tolerates
     * @return the problems
     */
    public List<String> pacingProblems(double toleratedMillis) {
      List<String> problems = new ArrayList<>();
      if (maxPerTenantSent > TENANT_LIMIT || maxPerConversationSent > CONVERSATION_LIMIT) {
        problems.add("the workers sent above a limit: " + line());
      }
      if ((maxPerTenant > TENANT_LIMIT || maxPerConversation > CONVERSATION_LIMIT)
          && latenessMaxMillis <= toleratedMillis) {
        problems.add("the connector saw a limit exceeded, every request on time: " + line());
      }
      if (matched * 2 < requests) {
        problems.add(matched + " of " + requests + " requests matched to their sends: " + line());
      }
      return problems;
    }

    /**
     * One line of figures, as the storm script prints it.
     *
     * @return the line
     */
    public String line() {
      return String.format(
          Locale.ROOT,
          "storm %s: %d deliveries, seed %d, 3 workers, %d killed, %.1f s; delivered %d, GONE %d,"
              + " DEAD %d, FAILED %d, UNKNOWN %d (arrived %d), PENDING %d; accounted %d; lost %d;"
              + " twice %d (UNKNOWN twice %d); max per tenant per 1 s %d (limit %d); max per"
              + " conversation per 1 s %d (limit %d); as sent: max per tenant %d, per conversation"
              + " %d; lateness send-to-connector p99 %.1f ms, max %.1f ms (%d requests matched)",
          backend,
          deliveries,
          seed,
          kills,
          seconds,
          states.getOrDefault("DELIVERED", 0),
          states.getOrDefault("GONE", 0),
          states.getOrDefault("DEAD", 0),
          states.getOrDefault("FAILED", 0),
          states.getOrDefault("UNKNOWN", 0),
          arrivedUnknown,
          states.getOrDefault("PENDING", 0),
          accounted,
          lost,
          twice,
          twiceUnknown,
          maxPerTenant,
          TENANT_LIMIT,
          maxPerConversation,
          CONVERSATION_LIMIT,
          maxPerTenantSent,
          maxPerConversationSent,
          latenessP99Millis,
          latenessMaxMillis,
          matched);
    }
  }

  /**
   * The sender a storm's worker JVM gives its {@code DeliveryWorker}: {@code sender}, recording the
   * {@link System#nanoTime()} at which each send is handed to it (with the activity's text, the
   * delivery key, and the conversation id) in {@code target/kill-storm-<worker>.sent} under the
   * working directory, one line per send, written at once so that a killed worker's lines survive.
   * {@link #run} reads those files: on Linux {@code nanoTime} is one clock for every process of the
   * machine.
   *
   * @param sender the worker's sender
   * @param worker the worker's name, as {@link Backend#startWorker} was given it
   * @return the recording sender
   * @throws UncheckedIOException when the file cannot be opened
   */
  public static Sender recording(Sender sender, String worker) {
    try {
      Files.createDirectories(Path.of("target"));
      OutputStream out =
          Files.newOutputStream(
              sentFile(worker),
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      return new RecordingSender(sender, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path sentFile(String worker) {
    return Path.of("target", "kill-storm-" + worker + ".sent");
  }

  /** {@link #recording}: one unbuffered line per send, then the send. */
  private record RecordingSender(Sender inner, OutputStream out) implements Sender {
    @Override
    public CompletableFuture<SendOutcome> sendAsync(ConversationReference to, Activity activity) {
      byte[] line =
          (System.nanoTime() + "\t" + activity.text() + "\t" + to.conversation().id() + "\n")
              .getBytes(StandardCharsets.UTF_8);
      synchronized (out) {
        try {
          out.write(line);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return inner.sendAsync(to, activity);
    }

    @Override
    public CompletableFuture<SendOutcome> replyAsync(
        ConversationReference to, String replyToId, Activity activity) {
      return inner.replyAsync(to, replyToId, activity);
    }

    @Override
    public CompletableFuture<SendOutcome> updateAsync(
        ConversationReference to, String activityId, Activity activity) {
      return inner.updateAsync(to, activityId, activity);
    }

    @Override
    public CompletableFuture<SendOutcome> deleteAsync(ConversationReference to, String activityId) {
      return inner.deleteAsync(to, activityId);
    }

    @Override
    public CompletableFuture<SendOutcome> createConversationAsync(
        ConversationReference template, dev.beckon.send.ConversationParameters parameters) {
      return inner.createConversationAsync(template, parameters);
    }

    @Override
    public Sender withoutRetries() {
      return new RecordingSender(inner.withoutRetries(), out);
    }
  }

  /**
   * The number of deliveries a storm runs: the system property {@code beckon.storm.deliveries},
   * else {@code fallback}.
   *
   * @param fallback the test's own count
   * @return the count
   */
  public static int deliveries(int fallback) {
    String v = System.getProperty("beckon.storm.deliveries");
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
  }

  /**
   * Runs a storm.
   *
   * @param name the backend's name (in the figures)
   * @param backend the backend
   * @param deliveries how many deliveries
   * @param timeout how long the storm may take before it gives up (the figures then show PENDING)
   * @return the figures
   * @throws Exception when a worker cannot start or the test is interrupted
   */
  public static Figures run(String name, Backend backend, int deliveries, Duration timeout)
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Process> workers = new ArrayList<>();
    try (FakeConnector connector = FakeConnector.start()) {
      connector.randomFaults(
          seed,
          Map.of(
              FakeConnector.Fault.throttled(Duration.ofMillis(300)), 0.10,
              FakeConnector.Fault.error(503, "ServiceUnavailable"), 0.05,
              FakeConnector.Fault.error(403, "ConversationBlockedByUser"), 0.02,
              FakeConnector.Fault.error(404, "ConversationNotFound"), 0.01,
              FakeConnector.Fault.drop(), 0.01));
      int conversations = Math.max(1, deliveries / PER_CONVERSATION);
      List<ConversationReference> refs = new ArrayList<>();
      Map<String, String> tenantOf = new HashMap<>();
      for (int c = 0; c < conversations; c++) {
        String tenant = "tenant-" + (c % TENANTS);
        refs.add(
            SampleReferences.reference("msteams", "a:storm-" + c, tenant)
                .withServiceUrl(connector.serviceUrl()));
        tenantOf.put("a:storm-" + c, tenant);
      }
      backend.save(refs);
      Instant now = Instant.now();
      for (int i = 0; i < deliveries; i++) {
        backend.schedule(
            refs.get(i % conversations).key(), Activity.message("d-" + i), now, "d-" + i);
      }
      List<String> names = new ArrayList<>(List.of("w0", "w1", "w2", "r1", "r2"));
      for (String n : names) {
        Files.deleteIfExists(sentFile(n));
      }
      long start = System.nanoTime();
      long end = start + timeout.toNanos();
      for (int i = 0; i < 3; i++) {
        workers.add(backend.startWorker(connector.serviceUrl(), "w" + i));
      }
      int kills = 0;
      long nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
      Map<String, String> states = Map.of();
      while (true) {
        try {
          states = backend.states();
        } catch (RuntimeException e) {
          // a slow read of the states (a busy server) is not a storm failure: read again
          if (System.nanoTime() > end) {
            break;
          }
          Thread.sleep(250);
          continue;
        }
        boolean pending = states.size() < deliveries || states.containsValue("PENDING");
        if (!pending || System.nanoTime() > end) {
          break;
        }
        if (kills < 2 && System.nanoTime() >= nextKill) {
          Process victim = workers.remove(random.nextInt(workers.size()));
          victim.destroyForcibly().waitFor(); // SIGKILL
          kills++;
          workers.add(backend.startWorker(connector.serviceUrl(), "r" + kills));
          nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
        }
        Thread.sleep(250);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Process p : workers) {
        p.getOutputStream().close();
      }
      for (Process p : workers) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      workers.clear();
      states = backend.states();

      Map<String, Map<String, Integer>> arrivals = new HashMap<>();
      Map<String, List<Long>> byTenant = new HashMap<>();
      Map<String, List<Long>> byConversation = new HashMap<>();
      Map<String, List<Long>> receivedByKey = new HashMap<>();
      for (FakeConnector.Request r : connector.requests()) {
        if (!"POST".equals(r.method()) || r.conversationId() == null) {
          continue;
        }
        String tenant = tenantOf.getOrDefault(r.conversationId(), "?");
        byTenant.computeIfAbsent(tenant, k -> new ArrayList<>()).add(r.receivedNanos());
        byConversation
            .computeIfAbsent(r.conversationId(), k -> new ArrayList<>())
            .add(r.receivedNanos());
        receivedByKey
            .computeIfAbsent(String.valueOf(r.activity().text()), k -> new ArrayList<>())
            .add(r.receivedNanos());
        if (r.status() > 0 && r.status() < 300) {
          arrivals
              .computeIfAbsent(r.conversationId(), k -> new HashMap<>())
              .merge(r.activity().text(), 1, Integer::sum);
        }
      }
      Map<String, Integer> counts = new TreeMap<>();
      int accounted = 0;
      int lost = 0;
      int twice = 0;
      int twiceUnknown = 0;
      int arrivedUnknown = 0;
      int arrivedOtherwise = 0;
      for (int i = 0; i < deliveries; i++) {
        String key = "d-" + i;
        String state = states.getOrDefault(key, "MISSING");
        counts.merge(state, 1, Integer::sum);
        if (!state.equals("PENDING") && !state.equals("MISSING")) {
          accounted++;
        }
        int arrived =
            arrivals
                .getOrDefault(refs.get(i % conversations).key().conversationId(), Map.of())
                .getOrDefault(key, 0);
        if ("DELIVERED".equals(state) && arrived == 0) {
          lost++;
        }
        if (arrived > 1) {
          if ("UNKNOWN".equals(state)) {
            twiceUnknown++;
          } else {
            twice++;
          }
        }
        if (arrived > 0 && !"DELIVERED".equals(state)) {
          if ("UNKNOWN".equals(state)) {
            arrivedUnknown++;
          } else {
            arrivedOtherwise++;
          }
        }
      }
      Map<String, List<Long>> sentByTenant = new HashMap<>();
      Map<String, List<Long>> sentByConversation = new HashMap<>();
      Map<String, List<Long>> sentByKey = new HashMap<>();
      for (String n : names) {
        for (String line : sentLines(n)) {
          String[] f = line.split("\t", -1);
          if (f.length != 3) {
            continue; // the last line of a killed worker may be cut short
          }
          long at = Long.parseLong(f[0]);
          sentByKey.computeIfAbsent(f[1], k -> new ArrayList<>()).add(at);
          sentByConversation.computeIfAbsent(f[2], k -> new ArrayList<>()).add(at);
          sentByTenant
              .computeIfAbsent(tenantOf.getOrDefault(f[2], "?"), k -> new ArrayList<>())
              .add(at);
        }
      }
      // a key's attempts never overlap (the next one waits for the last one's answer), so its
      // k-th send made its k-th request; keys whose counts differ (a send a kill cut off before it
      // left) are left out
      List<Double> lateness = new ArrayList<>();
      for (Map.Entry<String, List<Long>> e : sentByKey.entrySet()) {
        List<Long> received = receivedByKey.getOrDefault(e.getKey(), List.of());
        if (received.size() != e.getValue().size()) {
          continue;
        }
        List<Long> sent = new ArrayList<>(e.getValue());
        List<Long> got = new ArrayList<>(received);
        sent.sort(null);
        got.sort(null);
        for (int i = 0; i < sent.size(); i++) {
          lateness.add((got.get(i) - sent.get(i)) / 1e6);
        }
      }
      lateness.sort(null);
      return new Figures(
          name,
          seed,
          deliveries,
          kills,
          seconds,
          counts,
          accounted,
          lost,
          twice,
          twiceUnknown,
          arrivedUnknown,
          arrivedOtherwise,
          maxInAnyWindow(byTenant, 1_000_000_000L),
          maxInAnyWindow(byConversation, 1_000_000_000L),
          maxInAnyWindow(sentByTenant, 1_000_000_000L),
          maxInAnyWindow(sentByConversation, 1_000_000_000L),
          receivedByKey.values().stream().mapToInt(List::size).sum(),
          lateness.size(),
          lateness.isEmpty() ? 0 : lateness.get((int) Math.floor(0.99 * (lateness.size() - 1))),
          lateness.isEmpty() ? 0 : lateness.get(lateness.size() - 1));
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
      }
    }
  }

  private static List<String> sentLines(String worker) throws IOException {
    try {
      return Files.readAllLines(sentFile(worker), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of(); // a worker that never started
    }
  }

  private static int maxInAnyWindow(Map<String, List<Long>> times, long windowNanos) {
    int max = 0;
    for (List<Long> list : times.values()) {
      List<Long> sorted = new ArrayList<>(list);
      sorted.sort(null);
      int start = 0;
      for (int end = 0; end < sorted.size(); end++) {
        while (sorted.get(end) - sorted.get(start) >= windowNanos) {
          start++;
        }
        max = Math.max(max, end - start + 1);
      }
    }
    return max;
  }
}
