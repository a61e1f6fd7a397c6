package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Segment;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Broadcast over real HTTP to the FakeConnector, through the real sender, under a fault storm. */
@Timeout(300)
class BroadcastStormTest {

  static final int REFERENCES = 600;
  static final int TENANTS = 5;
  // low enough that a loaded 2-core CI machine keeps up with 5 tenants side by side: the test is
  // about the schedule, not the machine's throughput
  static final int PER_TENANT_PER_SECOND = 20;
  static final int GLOBAL_PER_SECOND = 300; // a cap over all tenants, above their 5 x 20/s

  private final FakeConnector connector = FakeConnector.start();
  private final BotConnectorSender sender =
      BotConnectorSender.builder()
          .anonymous() // default retries: the broadcast must not multiply them
          .maxConnections(128)
          .build();
  private final InMemoryReferenceRepository repo = new InMemoryReferenceRepository();

  @AfterEach
  void stop() {
    sender.close();
    connector.close();
  }

  private static String tenantOf(int i) {
    return "tenant-" + (i % TENANTS);
  }

  private void fill(int n) {
    List<ConversationReference> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(
          SampleReferences.reference("msteams", "a:storm-" + i, tenantOf(i))
              .withServiceUrl(connector.serviceUrl()));
    }
    repo.saveAll(batch);
  }

  private static RateProfile profile() {
    return new RateProfile(
        RateLimit.of(GLOBAL_PER_SECOND, Duration.ofSeconds(1)),
        RateLimit.of(PER_TENANT_PER_SECOND, Duration.ofSeconds(1)),
        RateProfile.teams().perConversation(),
        128);
  }

  /**
   * How many timestamps fall in each whole second from the first one on (the last, partial one left
   * out).
   */
  static List<Integer> perSecondCounts(List<Long> nanos) {
    long first = nanos.stream().mapToLong(Long::longValue).min().orElse(0);
    long last = nanos.stream().mapToLong(Long::longValue).max().orElse(0);
    int seconds = (int) ((last - first) / 1_000_000_000L);
    int[] counts = new int[seconds];
    for (long t : nanos) {
      int k = (int) ((t - first) / 1_000_000_000L);
      if (k < seconds) {
        counts[k]++;
      }
    }
    List<Integer> out = new ArrayList<>();
    for (int c : counts) {
      out.add(c);
    }
    return out;
  }

  static int median(List<Integer> values) {
    List<Integer> s = new ArrayList<>(values);
    s.sort(null);
    return s.isEmpty() ? 0 : s.get(s.size() / 2);
  }

  static int maxInWindow(List<Long> nanos, long window) {
    List<Long> s = new ArrayList<>(nanos);
    s.sort(null);
    int max = 0;
    int start = 0;
    for (int end = 0; end < s.size(); end++) {
      while (s.get(end) - s.get(start) >= window) {
        start++;
      }
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  @Test
  void aFaultStormAccountsForEveryReferenceWithoutDuplicatesOrExceedingTheRates() {
    fill(REFERENCES);
    connector.randomFaults(
        20261125L,
        Map.of(
            FakeConnector.Fault.throttled(Duration.ofSeconds(1)), 0.10,
            FakeConnector.Fault.error(503, "ServiceUnavailable"), 0.05,
            FakeConnector.Fault.teamsError(403, "ConversationBlockedByUser"), 0.02,
            FakeConnector.Fault.error(404, "ConversationNotFound"), 0.01));
    Set<String> outcomes = ConcurrentHashMap.newKeySet();
    List<BroadcastOutcome> duplicates = new ArrayList<>();
    BroadcastReport r =
        Broadcast.builder(repo, sender)
            .id("storm")
            .query(ListQuery.channel("msteams").withPageSize(500))
            .message(Activity.message("Maintenance tonight"))
            .profile(profile())
            .retry(Broadcast.defaultRetry().toBuilder().maxAttempts(6).build())
            .removeGone(true)
            .listener(
                new BroadcastListener() {
                  @Override
                  public void onOutcome(BroadcastOutcome o) {
                    if (!outcomes.add(o.key().conversationId())) {
                      synchronized (duplicates) {
                        duplicates.add(o);
                      }
                    }
                  }
                })
            .build()
            .start()
            .join();

    // every reference accounted for exactly once
    assertThat(r.listed()).isEqualTo(REFERENCES);
    assertThat(r.delivered() + r.gone() + r.failed() + r.skipped()).isEqualTo(REFERENCES);
    assertThat(outcomes).hasSize(REFERENCES);
    assertThat(duplicates).isEmpty();
    assertThat(r.skipped()).isZero();
    // stale references removed: 403 blocked + 404 are about 3%
    assertThat(r.gone()).isBetween(5L, 40L);
    assertThat(r.removed()).isEqualTo(r.gone());
    assertThat(repo.size()).isEqualTo(REFERENCES - r.gone());
    // retries recovered nearly everything else
    assertThat(r.failed()).isLessThan(20);

    // never delivered twice, as the server saw it
    Map<String, Integer> deliveredPerConversation = new HashMap<>();
    List<Long> all = new ArrayList<>();
    Map<String, List<Long>> perConversation = new HashMap<>();
    Map<String, List<Long>> perTenant = new HashMap<>();
    for (FakeConnector.Request q : connector.requests()) {
      all.add(q.receivedNanos());
      String conversation = String.valueOf(q.conversationId());
      int index = Integer.parseInt(conversation.substring(conversation.lastIndexOf('-') + 1));
      perTenant.computeIfAbsent(tenantOf(index), k -> new ArrayList<>()).add(q.receivedNanos());
      perConversation
          .computeIfAbsent(q.conversationId(), k -> new ArrayList<>())
          .add(q.receivedNanos());
      if (q.status() >= 200 && q.status() < 300) {
        deliveredPerConversation.merge(q.conversationId(), 1, Integer::sum);
      }
    }
    assertThat(deliveredPerConversation.values()).allMatch(n -> n == 1);
    assertThat(deliveredPerConversation).hasSize((int) r.delivered());

    long second = Duration.ofSeconds(1).toNanos();
    int aggregateMax = maxInWindow(all, second);
    Map<String, Integer> tenantMax = new java.util.TreeMap<>();
    perTenant.forEach((tenant, times) -> tenantMax.put(tenant, maxInWindow(times, second)));
    List<Integer> perSecond = perSecondCounts(all);
    System.out.printf(
        "storm: %d references over %d tenants, %d requests, delivered %d, gone %d (removed %d),"
            + " failed %d, %s; server saw max per tenant in any 1 s %s (limit %d), aggregate max %d, "
            + "per whole second %s (median %d)%n",
        REFERENCES,
        TENANTS,
        all.size(),
        r.delivered(),
        r.gone(),
        r.removed(),
        r.failed(),
        r.elapsed(),
        tenantMax,
        PER_TENANT_PER_SECOND,
        aggregateMax,
        perSecond,
        median(perSecond));
    // every tenant within its own 20/s and all of them within the global 300/s in ANY sliding
    // second of the server's own timestamps, exactly: no tolerance. The server stamps a request
    // (System.nanoTime() when its handler starts) after the pacer admitted it and before the
    // client has its answer, on the same clock, and the pacer counts each send from its admission
    // until a window after its answer: so however the requests were delayed on their way (new
    // connections, a busy server's queue, a loaded machine: up to 1.2 s here), no second of the
    // server's clock can hold more than the limit. (Before, the pacer counted a send at its
    // admission only, and the server saw up to 25 per tenant, 31 on a loaded machine.)
    assertThat(perTenant).hasSize(TENANTS);
    assertThat(tenantMax.values()).allMatch(n -> n <= PER_TENANT_PER_SECOND);
    assertThat(aggregateMax).isLessThanOrEqualTo(GLOBAL_PER_SECOND);
    for (List<Long> times : perConversation.values()) {
      assertThat(maxInWindow(times, second)).isLessThanOrEqualTo(7);
    }
    // ... and the tenants together far above what one 20/s bucket allows (at most 20 in any
    // second, as above): the five were paced side by side. The busiest second of the server's
    // clock holds at least 3 x 20. (Not the whole run: each tenant's rate adapts to the storm's
    // steady 10% of 429s, and the retries trail off; and not every second: on a loaded machine the
    // round trips, which every send's permit waits out, grow.)
    assertThat(aggregateMax).isGreaterThanOrEqualTo(3 * PER_TENANT_PER_SECOND);
  }

  @Test
  void fourSegmentWorkersSendEveryReferenceExactlyOnce() throws Exception {
    fill(4000);
    List<CompletableFuture<BroadcastReport>> runs = new ArrayList<>();
    Broadcast broadcast =
        Broadcast.builder(repo, sender)
            .id("workers")
            .message(Activity.message("hi"))
            .profile(RateProfile.unpaced(16))
            .build();
    for (int i = 0; i < 4; i++) {
      runs.add(broadcast.start(Segment.of(i, 4)).report());
    }
    long listed = 0;
    long delivered = 0;
    for (CompletableFuture<BroadcastReport> f : runs) {
      BroadcastReport r = f.get(120, TimeUnit.SECONDS);
      listed += r.listed();
      delivered += r.delivered();
      assertThat(r.listed()).as("each worker gets a share").isBetween(800L, 1200L);
    }
    assertThat(listed).isEqualTo(4000);
    assertThat(delivered).isEqualTo(4000);
    Map<String, Integer> perConversation = new HashMap<>();
    connector.requests().forEach(q -> perConversation.merge(q.conversationId(), 1, Integer::sum));
    assertThat(perConversation).hasSize(4000);
    assertThat(perConversation.values()).allMatch(n -> n == 1);
  }
}
