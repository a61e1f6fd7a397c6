package dev.beckon.testkit;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
 * {@link #LIMITS} too.
 */
public final class KillStorm {

  /** How many tenants the conversations are spread over. */
  public static final int TENANTS = 4;

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
      int maxPerConversation) {

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
              + " conversation per 1 s %d (limit %d)",
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
          CONVERSATION_LIMIT);
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
      for (FakeConnector.Request r : connector.requests()) {
        if (!"POST".equals(r.method()) || r.conversationId() == null) {
          continue;
        }
        String tenant = tenantOf.getOrDefault(r.conversationId(), "?");
        byTenant.computeIfAbsent(tenant, k -> new ArrayList<>()).add(r.receivedNanos());
        byConversation
            .computeIfAbsent(r.conversationId(), k -> new ArrayList<>())
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
          maxInAnyWindow(byConversation, 1_000_000_000L));
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
      }
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
