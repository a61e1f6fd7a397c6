package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryBroadcastReport;
import dev.beckon.delivery.DeliveryBroadcasts;
import dev.beckon.delivery.DeliveryCounts;
import dev.beckon.delivery.DeliveryPage;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.delivery.spi.AbstractDeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole definition of a correct {@link DeliveryQueue}. A backend's test extends this class and
 * supplies two hooks; it inherits every test:
 *
 * <pre>{@code
 * class JdbcDeliveryQueueTest extends DeliveryQueueContract {
 *   protected DeliveryQueue createQueue(MutableClock clock) {
 *     JdbcDeliveryQueue q = JdbcDeliveryQueue.builder(dataSource).tableName(fresh()).clock(clock).build();
 *     q.createSchema();
 *     return q;
 *   }
 *   protected void writeRaw(DeliveryQueue queue, QueueRow row) { ... an INSERT of the row as given ... }
 * }
 * }</pre>
 *
 * <p>{@link #createQueue} must return an <b>empty</b> queue on the given clock each time. Tests run
 * against a real backend; one that cannot be reached fails, it is never skipped.
 *
 * <p>What is checked, in {@code @Nested} groups: scheduling is idempotent by key (also 8 threads
 * racing one key); nothing is claimed before its {@code notBefore}, due deliveries come oldest
 * first within a claim, and across claims where {@link #claimsOldestFirst()}; a claim is exclusive
 * while its lease lasts and handed over, marked interrupted, once it expires; a lost claim cannot
 * settle; racing workers (8 threads) claim each delivery at most once and complete it exactly once;
 * cancel, retry and every status transition with attempts, outcome and activity id; purge removes
 * exactly the final deliveries older than the cut-off; hostile stored rows (bad state, key, ids,
 * activity) are settled failed or reported, never stop the others; invalid keys and arguments are
 * refused before the backend; listings page through every delivery exactly once, filter by state,
 * skip and count unreadable rows and refuse foreign cursors.
 */
public abstract class DeliveryQueueContract {

  /** For subclasses: one per backend under test. */
  protected DeliveryQueueContract() {}

  /** The queue under test, created before each test. */
  protected DeliveryQueue queue;

  /** The queue's clock: tests move it. */
  protected MutableClock clock;

  /**
   * Creates an empty queue on a clock.
   *
   * @param clock the time the queue must read for due times and leases
   * @return an empty queue
   */
  protected abstract DeliveryQueue createQueue(MutableClock clock);

  /**
   * Stores a row exactly as given, bypassing the queue's checks: how a hostile or corrupted row
   * gets into the backend.
   *
   * @param queue a queue {@link #createQueue} returned
   * @param row the raw row
   */
  protected abstract void writeRaw(DeliveryQueue queue, QueueRow row);

  /** Creates {@link #queue}. */
  @BeforeEach
  void createDefaultQueue() {
    clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));
    queue = createQueue(clock);
  }

  static final ReferenceKey TO = ReferenceKey.of("msteams", "19:abc@thread.tacv2;messageid=17");
  static final Duration LEASE = Duration.ofMinutes(1);

  Instant now() {
    return clock.instant();
  }

  boolean schedule(String key) {
    return queue.schedule(TO, Activity.message("for " + key), now(), key);
  }

  DeliveryStatus status(String key) {
    return queue.status(key).orElseThrow(() -> new AssertionError("no status for " + key));
  }

  Delivery claimOne() {
    List<Delivery> c = queue.claim("w", 1, LEASE);
    assertThat(c).hasSize(1);
    return c.get(0);
  }

  static QueueRow raw(String hash, String key, String state, String payload, String conversation) {
    return new QueueRow(
        hash, key, "msteams", conversation, payload, state, 0, 0, 0, 0, 0, null, 0, null, null);
  }

  /** Scheduling: once per key, what is stored comes back. */
  @Nested
  @DisplayName("scheduling")
  class Scheduling {
    @Test
    @DisplayName("the same key twice is one delivery; the first activity is kept")
    void idempotent() {
      assertThat(queue.schedule(TO, Activity.message("first"), now(), "k")).isTrue();
      assertThat(queue.schedule(TO, Activity.message("second"), now(), "k")).isFalse();
      Delivery d = claimOne();
      assertThat(d.activity().text()).isEqualTo("first");
      assertThat(d.to()).isEqualTo(TO);
      assertThat(d.attempts()).isZero();
      assertThat(d.interrupted()).isFalse();
      assertThat(queue.claim("w", 10, LEASE)).isEmpty();
    }

    @Test
    @DisplayName("a final delivery's key is not scheduled again until purged")
    void finalKeysStay() {
      schedule("k");
      queue.complete(claimOne(), DeliveryState.DELIVERED, 1, "ok", "a1");
      assertThat(schedule("k")).isFalse();
      assertThat(status("k").state()).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    @Timeout(60)
    @DisplayName("8 threads scheduling one key: exactly one wins")
    void racingSchedules() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 20; round++) {
          String key = "race-" + round;
          CyclicBarrier start = new CyclicBarrier(8);
          List<Future<Boolean>> results = new ArrayList<>();
          for (int t = 0; t < 8; t++) {
            results.add(
                pool.submit(
                    () -> {
                      start.await();
                      return schedule(key);
                    }));
          }
          int wins = 0;
          for (Future<Boolean> f : results) {
            wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
          }
          assertThat(wins).as(key).isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("awkward keys and ids round-trip; the activity comes back equal")
    void awkwardKeys() {
      Activity a = Activity.message("héllo \uD83D\uDE00 <b>&amp;</b>");
      ReferenceKey odd = ReferenceKey.of("msteams", "a:1Xyz/\\#?% é");
      for (String key : List.of("k", "Ω/\\#?%&=; key", "x".repeat(512), "\uD83D\uDE00")) {
        assertThat(queue.schedule(odd, a, now(), key)).as(key).isTrue();
      }
      for (Delivery d : queue.claim("w", 10, LEASE)) {
        assertThat(d.to()).isEqualTo(odd);
        assertThat(d.activity()).isEqualTo(a);
        assertThat(queue.status(d.deliveryKey())).isPresent();
      }
    }

    @Test
    @DisplayName("invalid keys and oversized activities are refused before the backend")
    void refused() {
      for (String bad : List.of("", "x".repeat(513), "a\u0000b", "a\nb", "\uD800")) {
        assertThatThrownBy(() -> schedule(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.status(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.cancel(bad)).isInstanceOf(IllegalArgumentException.class);
      }
      Activity huge = Activity.message("x".repeat(300_000));
      assertThatThrownBy(() -> queue.schedule(TO, huge, now(), "huge"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(queue.status("huge")).isEmpty();
      assertThatThrownBy(() -> queue.claim("w", 0, LEASE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> queue.claim("w", 1, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Claims: due order, leases, hand-over, exclusivity. */
  @Nested
  @DisplayName("claims")
  class Claims {
    @Test
    @DisplayName("nothing is claimed before its notBefore; due ones come oldest first")
    void notBefore() {
      queue.schedule(TO, Activity.message("later"), now().plusSeconds(30), "later");
      queue.schedule(TO, Activity.message("b"), now().minusSeconds(5), "b");
      queue.schedule(TO, Activity.message("a"), now().minusSeconds(10), "a");
      List<Delivery> c = queue.claim("w", 10, LEASE);
      assertThat(c).extracting(Delivery::deliveryKey).containsExactly("a", "b");
      clock.advance(Duration.ofSeconds(29));
      assertThat(queue.claim("w", 10, LEASE)).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      assertThat(queue.claim("w", 10, LEASE))
          .extracting(Delivery::deliveryKey)
          .containsExactly("later");
    }

    @Test
    @DisplayName("across claims: oldest due first where the backend orders claims (a capability)")
    void oldestFirstAcrossClaims() {
      queue.schedule(TO, Activity.message("b"), now().minusSeconds(5), "b");
      queue.schedule(TO, Activity.message("a"), now().minusSeconds(10), "a");
      List<String> got = new ArrayList<>();
      got.add(claimOne().deliveryKey());
      got.add(claimOne().deliveryKey());
      if (claimsOldestFirst()) {
        assertThat(got).containsExactly("a", "b");
      } else {
        assertThat(got).containsExactlyInAnyOrder("a", "b");
      }
      assertThat(queue.claim("w", 10, LEASE)).isEmpty();
    }

    @Test
    @DisplayName("a claim takes at most max")
    void max() {
      for (int i = 0; i < 7; i++) {
        schedule("k" + i);
      }
      assertThat(queue.claim("w", 3, LEASE)).hasSize(3);
      assertThat(queue.claim("w", 3, LEASE)).hasSize(3);
      assertThat(queue.claim("w", 3, LEASE)).hasSize(1);
    }

    @Test
    @DisplayName("a lease is exclusive; once expired another worker gets it, marked interrupted")
    void leaseExpiryHandsOver() {
      schedule("k");
      Delivery first = claimOne();
      assertThat(status("k").inFlight()).isTrue();
      clock.advance(LEASE.minusMillis(1));
      assertThat(queue.claim("other", 1, LEASE)).isEmpty();
      clock.advance(Duration.ofMillis(1));
      Delivery second = queue.claim("other", 1, LEASE).get(0);
      assertThat(second.interrupted()).isTrue();
      assertThat(second.claimToken()).isNotEqualTo(first.claimToken());
      assertThat(queue.complete(first, DeliveryState.DELIVERED, 1, "late", "x")).isFalse();
      assertThat(queue.reschedule(first, Duration.ZERO, 1, "late")).isFalse();
      assertThat(queue.release(first)).isFalse();
      assertThat(queue.complete(second, DeliveryState.UNKNOWN, 1, "lost", null)).isTrue();
      assertThat(status("k").state()).isEqualTo(DeliveryState.UNKNOWN);
    }

    @Test
    @DisplayName("an expired lease nobody took yet can still be settled by its holder")
    void lateSettleOfAnUntakenClaim() {
      schedule("k");
      Delivery d = claimOne();
      clock.advance(LEASE.plusSeconds(5));
      assertThat(queue.complete(d, DeliveryState.DELIVERED, 1, "ok", "a")).isTrue();
      assertThat(queue.claim("w", 1, LEASE)).isEmpty();
    }

    @Test
    @DisplayName("released: due at once, attempts kept, not interrupted")
    void release() {
      schedule("k");
      Delivery d = claimOne();
      assertThat(queue.release(d)).isTrue();
      assertThat(status("k").inFlight()).isFalse();
      Delivery again = claimOne();
      assertThat(again.interrupted()).isFalse();
      assertThat(again.attempts()).isZero();
    }

    @Test
    @DisplayName("rescheduled: attempts persisted, due after the delay")
    void reschedule() {
      schedule("k");
      assertThat(queue.reschedule(claimOne(), Duration.ofSeconds(30), 1, "THROTTLED 429")).isTrue();
      DeliveryStatus s = status("k");
      assertThat(s.state()).isEqualTo(DeliveryState.PENDING);
      assertThat(s.attempts()).isEqualTo(1);
      assertThat(s.lastOutcome()).isEqualTo("THROTTLED 429");
      assertThat(s.notBefore()).isEqualTo(now().plusSeconds(30));
      assertThat(queue.claim("w", 1, LEASE)).isEmpty();
      clock.advance(Duration.ofSeconds(30));
      Delivery d = claimOne();
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.firstDue()).isEqualTo(now().minusSeconds(30));
    }

    @Test
    @Timeout(120)
    @DisplayName("8 racing workers: each delivery claimed once, completed exactly once")
    void racingWorkers() throws Exception {
      int n = racingDeliveries();
      for (int i = 0; i < n; i++) {
        schedule("r" + i);
      }
      Set<String> completed = ConcurrentHashMap.newKeySet();
      AtomicInteger claims = new AtomicInteger();
      AtomicInteger duplicates = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          workers.add(
              pool.submit(
                  () -> {
                    start.await();
                    while (true) {
                      List<Delivery> got = queue.claim("w", 5, LEASE);
                      if (got.isEmpty()) {
                        return null;
                      }
                      for (Delivery d : got) {
                        claims.incrementAndGet();
                        if (queue.complete(d, DeliveryState.DELIVERED, 1, "ok", "a")
                            && !completed.add(d.deliveryKey())) {
                          duplicates.incrementAndGet();
                        }
                      }
                    }
                  }));
        }
        for (Future<?> f : workers) {
          f.get(100, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(duplicates).hasValue(0);
      assertThat(claims).hasValue(n);
      assertThat(completed).hasSize(n);
    }
  }

  /**
   * Distributed broadcasts ({@link DeliveryBroadcasts}) on this queue: submitted once, split into
   * segment tasks that workers take, resumed after a worker dies mid-segment, reported from any
   * instance, every reference accounted for and none sent twice.
   */
  @Nested
  @DisplayName("distributed broadcast")
  class DistributedBroadcast {
    final InMemoryReferenceRepository references = new InMemoryReferenceRepository();
    final BroadcastFixtures.CountingSender sender = new BroadcastFixtures.CountingSender();
    final Activity message = Activity.message("Beckon 1.0 is out");

    List<ReferenceKey> save(int n, int gone, int bad) {
      List<ReferenceKey> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = (i < gone ? "gone-" : i < gone + bad ? "bad-" : "c-") + i;
        ConversationReference ref =
            ConversationReference.builder()
                .channelId("msteams")
                .serviceUrl("https://smba.trafficmanager.net/amer/")
                .conversationId(id)
                .build();
        keys.add(references.save(ref).key());
      }
      return keys;
    }

    DeliveryWorker worker(DeliveryQueue q, String name) {
      return DeliveryWorker.builder(q, references, sender)
          .name(name)
          .concurrency(8)
          .lease(LEASE)
          .build();
    }

    /**
     * Runs rounds of every worker at once (in parallel) until the report is finished; the clock
     * moves 2 s when a round claimed nothing (segments recount after 1 s).
     */
    DeliveryBroadcastReport drive(String id, List<DeliveryWorker> workers) throws Exception {
      DeliveryBroadcasts broadcasts = DeliveryBroadcasts.on(queue);
      ExecutorService pool = Executors.newFixedThreadPool(workers.size());
      try {
        for (int round = 0; round < 2000; round++) {
          List<Future<Integer>> runs = new ArrayList<>();
          for (DeliveryWorker w : workers) {
            runs.add(pool.submit(w::runOnce));
          }
          int claimed = 0;
          for (Future<Integer> f : runs) {
            claimed += f.get(60, TimeUnit.SECONDS);
          }
          if (claimed == 0) {
            DeliveryBroadcastReport r = broadcasts.report(id).orElseThrow();
            if (r.finished()) {
              return r;
            }
            clock.advance(Duration.ofSeconds(2));
          }
        }
      } finally {
        pool.shutdownNow();
      }
      throw new AssertionError("broadcast " + id + " did not finish: " + broadcasts.report(id));
    }

    void assertAccounted(DeliveryBroadcastReport r) {
      assertThat(r.listed())
          .isEqualTo(
              r.pending()
                  + r.delivered()
                  + r.gone()
                  + r.failed()
                  + r.unknown()
                  + r.dead()
                  + r.cancelled()
                  + r.unreadable()
                  + r.missing());
      assertThat(r.pending()).isZero();
      assertThat(r.segmentsFailed()).isZero();
      assertThat(r.segmentsDone()).isEqualTo(r.segments());
    }

    @Test
    @Timeout(120)
    @DisplayName("submitted once by id; every reference sent once, counted, reported anywhere")
    void submitOnceAccountForEveryReference() throws Exception {
      List<ReferenceKey> keys = save(broadcastReferences(), 2, 1);
      DeliveryBroadcasts broadcasts = DeliveryBroadcasts.on(queue);
      assertThat(
              broadcasts.submit("bc-1", ListQuery.channel("msteams").withPageSize(4), message, 3))
          .isTrue();
      assertThat(broadcasts.submit("bc-1", ListQuery.all(), Activity.message("other"), 5))
          .as("the same id again: nothing new")
          .isFalse();
      DeliveryBroadcastReport early = broadcasts.report("bc-1").orElseThrow();
      assertThat(early.finished()).isFalse();
      assertThat(early.segments()).isEqualTo(3);
      assertThat(broadcasts.report("never-submitted")).isEmpty();

      DeliveryBroadcastReport r = drive("bc-1", List.of(worker(queue, "w1")));

      assertAccounted(r);
      assertThat(r.listed()).isEqualTo(keys.size());
      assertThat(r.delivered()).isEqualTo(keys.size() - 3);
      assertThat(r.gone()).isEqualTo(2);
      assertThat(r.failed()).isEqualTo(1);
      assertThat(sender.sends).hasSize(keys.size());
      assertThat(sender.maxSendsToOne()).isEqualTo(1);
      assertThat(sender.texts.values()).containsOnly("Beckon 1.0 is out");
      // another instance reads the stored report
      assertThat(DeliveryBroadcasts.on(queue).report("bc-1")).contains(r);
      assertThat(queue.activity("beckon.broadcast/bc-1/report")).isPresent();
      DeliveryStatus one =
          queue.status(DeliveryBroadcasts.deliveryKey("bc-1", keys.get(5))).orElseThrow();
      assertThat(one.state()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(references.find(keys.get(0))).as("gone references are removed").isEmpty();
    }

    @Test
    @Timeout(120)
    @DisplayName("a worker that dies mid-segment loses nothing and nothing is sent twice")
    void workerDiesMidSegment() throws Exception {
      List<ReferenceKey> keys = save(broadcastReferences(), 0, 0);
      DeliveryBroadcasts broadcasts = DeliveryBroadcasts.on(queue);
      broadcasts.submit("bc-2", ListQuery.all().withPageSize(4), message, 1);
      // the first worker writes two page records, schedules 9 deliveries and dies in page 3
      DeliveryWorker dying = worker(new BroadcastFixtures.DyingQueue(queue, 10), "dies");
      assertThatThrownBy(dying::runOnce).hasRootCauseInstanceOf(BroadcastFixtures.WorkerDied.class);
      DeliveryWorker next = worker(queue, "next");
      next.runOnce(); // sends what was scheduled; the segment is still leased to the dead worker
      assertThat(broadcasts.report("bc-2").orElseThrow().finished()).isFalse();
      clock.advance(LEASE.plusSeconds(1));

      DeliveryBroadcastReport r = drive("bc-2", List.of(next));

      assertAccounted(r);
      assertThat(r.listed()).isEqualTo(keys.size());
      assertThat(r.delivered()).isEqualTo(keys.size());
      assertThat(sender.sends).hasSize(keys.size());
      assertThat(sender.maxSendsToOne()).as("no reference sent twice").isEqualTo(1);
    }

    @Test
    @Timeout(120)
    @DisplayName("3 workers share 4 segments: all accounted, none sent twice")
    void severalWorkers() throws Exception {
      List<ReferenceKey> keys = save(broadcastReferences() + 10, 3, 0);
      DeliveryBroadcasts broadcasts = DeliveryBroadcasts.on(queue);
      broadcasts.submit("bc-3", ListQuery.all().withPageSize(3), message, 4);

      DeliveryBroadcastReport r =
          drive("bc-3", List.of(worker(queue, "a"), worker(queue, "b"), worker(queue, "c")));

      assertAccounted(r);
      assertThat(r.listed()).isEqualTo(keys.size());
      assertThat(r.delivered() + r.unknown()).isEqualTo(keys.size() - 3);
      assertThat(r.gone()).isEqualTo(3);
      assertThat(sender.maxSendsToOne()).as("no reference sent twice").isEqualTo(1);
      assertThat(sender.sends.size() + r.unknown()).isGreaterThanOrEqualTo(keys.size());
    }

    @Test
    @DisplayName("a hostile segment task is settled failed; the broadcast beside it still runs")
    void hostileSegmentTask() throws Exception {
      save(6, 0, 0);
      String key = "beckon.broadcast/evil/s/0";
      writeRaw(
          queue,
          new QueueRow(
              keyHashOf(key),
              key,
              "beckon.broadcast",
              "evil",
              "{\"type\":\"beckon.broadcast.segment\",\"v\":1,\"kind\":\"segment\","
                  + "\"broadcast\":\"evil\",\"segments\":\"all\"}",
              "PENDING",
              0,
              0,
              0,
              0,
              0,
              null,
              0,
              null,
              null));
      DeliveryBroadcasts.on(queue).submit("good", ListQuery.all(), message, 1);

      DeliveryBroadcastReport r = drive("good", List.of(worker(queue, "w")));

      assertAccounted(r);
      assertThat(r.delivered()).isEqualTo(6);
      assertThat(status(key).state()).isEqualTo(DeliveryState.FAILED);
      assertThat(status(key).lastOutcome()).startsWith("UnreadableSegment");
      assertThat(sender.sends).doesNotContainKey("evil");
    }
  }

  /**
   * How many references the distributed-broadcast tests store (the multi-worker one 10 more).
   * Defaults to 16; at least 12 (the dying worker dies in its third page of 4).
   *
   * @return the number
   */
  protected int broadcastReferences() {
    return 16;
  }

  /**
   * How many deliveries the racing-workers test schedules. Defaults to 400.
   *
   * @return the number
   */
  protected int racingDeliveries() {
    return 400;
  }

  /**
   * Whether claims take due deliveries oldest {@code notBefore} first across the whole queue
   * (default {@code true}). A backend that hands out in its own order (a cloud queue: Amazon SQS)
   * returns {@code false}; it must still return each claim's deliveries sorted by due time and
   * never one before it is due, which the other tests check for every backend.
   *
   * @return whether claims are globally oldest first
   */
  protected boolean claimsOldestFirst() {
    return true;
  }

  /**
   * Whether the backend answers {@link DeliveryQueue#counts()} (default {@code true}). A backend
   * that cannot count cheaply returns {@code false}, and the kit then checks that it answers empty.
   *
   * @return whether counts are supported
   */
  protected boolean countsDeliveries() {
    return true;
  }

  /** Counts for monitoring. */
  @Nested
  @DisplayName("counts")
  class Counts {
    @Test
    @DisplayName("pending, dead and the oldest free due delivery's wait, on the queue's clock")
    void counts() {
      if (!countsDeliveries()) {
        schedule("k");
        assertThat(queue.counts()).isEmpty();
        return;
      }
      assertThat(queue.counts()).contains(new DeliveryCounts(0, 0, Duration.ZERO));
      schedule("a");
      clock.advance(Duration.ofSeconds(10));
      schedule("b");
      queue.schedule(TO, Activity.message("later"), now().plusSeconds(60), "later");
      clock.advance(Duration.ofSeconds(5));
      assertThat(queue.counts()).contains(new DeliveryCounts(3, 0, Duration.ofSeconds(15)));
      Delivery a = claimOne(); // held: no longer waiting, still pending
      assertThat(queue.counts()).contains(new DeliveryCounts(3, 0, Duration.ofSeconds(5)));
      queue.complete(a, DeliveryState.DEAD, 10, "THROTTLED 429", null);
      queue.complete(claimOne(), DeliveryState.DELIVERED, 1, "ok", "a1");
      assertThat(queue.counts()).contains(new DeliveryCounts(1, 1, Duration.ZERO));
    }
  }

  /** Status, cancel, retry and purge. */
  @Nested
  @DisplayName("states")
  class States {
    @Test
    @DisplayName("status: unknown key, pending, then delivered with attempts, outcome and id")
    void transitions() {
      assertThat(queue.status("none")).isEmpty();
      schedule("k");
      DeliveryStatus p = status("k");
      assertThat(p.state()).isEqualTo(DeliveryState.PENDING);
      assertThat(p.deliveryKey()).isEqualTo("k");
      assertThat(p.to()).isEqualTo(TO);
      assertThat(p.attempts()).isZero();
      assertThat(p.inFlight()).isFalse();
      assertThat(p.lastOutcome()).isNull();
      assertThat(p.createdAt()).isEqualTo(now());
      Delivery d = claimOne();
      clock.advance(Duration.ofSeconds(2));
      assertThat(queue.complete(d, DeliveryState.DELIVERED, 3, "DELIVERED 201", "act-1")).isTrue();
      DeliveryStatus s = status("k");
      assertThat(s.state()).isEqualTo(DeliveryState.DELIVERED);
      assertThat(s.attempts()).isEqualTo(3);
      assertThat(s.lastOutcome()).isEqualTo("DELIVERED 201");
      assertThat(s.activityId()).isEqualTo("act-1");
      assertThat(s.inFlight()).isFalse();
      assertThat(s.updatedAt()).isEqualTo(now());
      assertThat(queue.complete(d, DeliveryState.FAILED, 4, "again", null)).isFalse();
    }

    @Test
    @DisplayName("every final state is kept as recorded; an outcome is bounded to 500 characters")
    void finalStates() {
      for (DeliveryState st :
          List.of(
              DeliveryState.GONE,
              DeliveryState.FAILED,
              DeliveryState.UNKNOWN,
              DeliveryState.DEAD)) {
        schedule(st.name());
        assertThat(queue.complete(claimOne(), st, 2, "o".repeat(900), null)).isTrue();
        assertThat(status(st.name()).state()).isEqualTo(st);
        assertThat(status(st.name()).lastOutcome()).hasSize(500);
      }
      assertThatThrownBy(() -> queue.complete(claimOneOf("x"), DeliveryState.PENDING, 1, "", null))
          .isInstanceOf(IllegalArgumentException.class);
    }

    Delivery claimOneOf(String key) {
      schedule(key);
      return claimOne();
    }

    @Test
    @DisplayName("cancel: a pending delivery only, and never while it is being sent")
    void cancel() {
      assertThat(queue.cancel("none")).isFalse();
      schedule("k");
      assertThat(queue.cancel("k")).isTrue();
      assertThat(status("k").state()).isEqualTo(DeliveryState.CANCELLED);
      assertThat(queue.claim("w", 1, LEASE)).isEmpty();
      assertThat(queue.cancel("k")).isFalse();

      schedule("busy");
      Delivery d = claimOne();
      assertThat(queue.cancel("busy")).isFalse();
      queue.reschedule(d, Duration.ofMinutes(5), 1, "THROTTLED");
      assertThat(queue.cancel("busy")).isTrue();
      assertThat(status("busy").attempts()).isEqualTo(1);
    }

    @Test
    @DisplayName("a cancel after an expired lease wins over the late settle")
    void cancelAfterExpiry() {
      schedule("k");
      Delivery d = claimOne();
      clock.advance(LEASE);
      assertThat(queue.cancel("k")).isTrue();
      assertThat(queue.complete(d, DeliveryState.DELIVERED, 1, "late", "a")).isFalse();
      assertThat(status("k").state()).isEqualTo(DeliveryState.CANCELLED);
    }

    @Test
    @DisplayName("retry: final failures become pending with no attempts; delivered ones do not")
    void retry() {
      schedule("dead");
      queue.complete(claimOne(), DeliveryState.DEAD, 10, "gave up", null);
      assertThat(queue.retry("dead", now().plusSeconds(5))).isTrue();
      DeliveryStatus s = status("dead");
      assertThat(s.state()).isEqualTo(DeliveryState.PENDING);
      assertThat(s.attempts()).isZero();
      assertThat(s.notBefore()).isEqualTo(now().plusSeconds(5));
      assertThat(queue.retry("dead", now())).as("pending already").isFalse();

      schedule("ok");
      clock.advance(Duration.ofSeconds(1));
      queue.complete(claimOne(), DeliveryState.DELIVERED, 1, "ok", "a");
      assertThat(queue.retry("ok", now())).isFalse();
      assertThat(queue.retry("none", now())).isFalse();
    }

    @Test
    @DisplayName("purge: exactly the final deliveries changed before the cut-off")
    void purge() {
      for (int i = 0; i < 5; i++) {
        schedule("old" + i);
        queue.complete(claimOne(), DeliveryState.DELIVERED, 1, "ok", "a");
      }
      schedule("pending");
      clock.advance(Duration.ofHours(1));
      schedule("recent");
      queue.complete(
          queue.claim("w", 10, LEASE).stream()
              .filter(d -> d.deliveryKey().equals("recent"))
              .findFirst()
              .orElseThrow(),
          DeliveryState.GONE,
          1,
          "gone",
          null);
      assertThat(queue.purge(now().minusSeconds(1))).isEqualTo(5);
      assertThat(queue.status("old0")).isEmpty();
      assertThat(queue.status("pending")).isPresent();
      assertThat(queue.status("recent")).isPresent();
      assertThat(queue.purge(now().minusSeconds(1))).isZero();
      assertThat(schedule("old0")).as("a purged key may be scheduled again").isTrue();
    }
  }

  /** Hostile stored rows: never handed to a worker, never stop the others. */
  @Nested
  @DisplayName("hostile rows")
  class HostileRows {
    @Test
    @DisplayName(
        "unreadable activity, ids, key or key hash: failed at claim time, the rest claimed")
    void hostileRowsDoNotStopTheRest() {
      schedule("good");
      String key = "bad";
      Set<String> hashes = new HashSet<>();
      List<QueueRow> rows =
          List.of(
              raw(keyHashOf("bad1"), "bad1", "PENDING", "{not json", "c"),
              raw(hex('2'), "bad2", "PENDING", "[1,2,3]", "c"),
              raw(hex('3'), "bad3", "PENDING", "{\"type\":\"message\"}", ""),
              raw(hex('4'), "bad\u0007key", "PENDING", "{\"type\":\"message\"}", "c"),
              raw(hex('5'), key, "PENDING", "{\"type\":\"message\"}", "c"),
              raw("../../etc", "bad6", "PENDING", "{\"type\":\"message\"}", "c"),
              raw(hex('7'), "bad7", "PENDING", "{\"a\":" + "[".repeat(5000) + "]}", "c"));
      for (QueueRow r : rows) {
        writeRaw(queue, r);
        hashes.add(r.keyHash());
      }
      List<Delivery> claimed = queue.claim("w", 20, LEASE);
      assertThat(claimed).extracting(Delivery::deliveryKey).containsExactly("good");
      assertThat(queue.complete(claimed.get(0), DeliveryState.DELIVERED, 1, "ok", "a")).isTrue();
      assertThat(queue.claim("w", 20, LEASE)).as("hostile rows are not handed out again").isEmpty();
      clock.advance(LEASE.multipliedBy(2));
      assertThat(queue.claim("w", 20, LEASE)).extracting(Delivery::deliveryKey).isEmpty();
      assertThat(hashes).hasSize(rows.size());
      assertThat(status("bad1").state()).isEqualTo(DeliveryState.FAILED);
      assertThat(status("bad1").lastOutcome()).startsWith("UnreadableRow");
    }

    @Test
    @DisplayName("a row with an unknown state: status raises for its key only")
    void unknownState() {
      schedule("good");
      writeRaw(queue, raw(keyHashOf("weird"), "weird", "EXPLODED", "{}", "c"));
      assertThatThrownBy(() -> queue.status("weird"))
          .isInstanceOf(dev.beckon.store.StoreException.class)
          .hasMessageNotContaining("EXPLODED");
      assertThat(status("good").state()).isEqualTo(DeliveryState.PENDING);
      assertThat(queue.claim("w", 5, LEASE))
          .extracting(Delivery::deliveryKey)
          .containsExactly("good");
    }
  }

  /** Listing: keyset pages, filters, cursors, hostile rows. */
  @Nested
  @DisplayName("listing")
  class Listing {

    List<String> listAll(@org.jspecify.annotations.Nullable DeliveryState state, int pageSize) {
      List<String> keys = new ArrayList<>();
      String cursor = null;
      for (int pages = 0; pages < 1000; pages++) {
        DeliveryPage page = queue.list(state, cursor, pageSize);
        assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
        page.items().forEach(st -> keys.add(st.deliveryKey()));
        cursor = page.next();
        if (cursor == null) {
          return keys;
        }
      }
      throw new AssertionError("the listing did not end in 1000 pages");
    }

    @Test
    @DisplayName("an empty queue lists nothing, and says it is the end")
    void empty() {
      DeliveryPage page = queue.list(null, null, 10);
      assertThat(page.items()).isEmpty();
      assertThat(page.next()).isNull();
      assertThat(page.unreadable()).isZero();
    }

    @Test
    @DisplayName("pages of 7 list every delivery exactly once, with its status")
    void pages() {
      Set<String> scheduled = new HashSet<>();
      for (int i = 0; i < 23; i++) {
        schedule("k" + i);
        scheduled.add("k" + i);
      }
      List<String> listed = listAll(null, 7);
      assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(scheduled);
      DeliveryStatus first = queue.list(null, null, 1).items().get(0);
      assertThat(first).isEqualTo(status(first.deliveryKey()));
      assertThat(listAll(null, AbstractDeliveryQueue.MAX_LIST)).hasSize(23);
    }

    @Test
    @DisplayName("a state filter lists the deliveries in that state only")
    void byState() {
      for (int i = 0; i < 9; i++) {
        schedule("p" + i);
      }
      for (int i = 0; i < 4; i++) {
        schedule("c" + i);
        assertThat(queue.cancel("c" + i)).isTrue();
      }
      assertThat(listAll(DeliveryState.CANCELLED, 3))
          .containsExactlyInAnyOrder("c0", "c1", "c2", "c3");
      assertThat(listAll(DeliveryState.PENDING, 2)).hasSize(9).allMatch(k -> k.startsWith("p"));
      assertThat(listAll(DeliveryState.DELIVERED, 5)).isEmpty();
    }

    @Test
    @DisplayName("deliveries settled or purged between pages do not disturb the others")
    void changesBetweenPages() {
      for (int i = 0; i < 12; i++) {
        schedule("k" + i);
      }
      DeliveryPage first = queue.list(null, null, 4);
      Set<String> seen = new HashSet<>();
      first.items().forEach(st -> seen.add(st.deliveryKey()));
      // every delivery is cancelled and purged but the first page's: the rest comes out empty
      List<String> others = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        if (!seen.contains("k" + i)) {
          queue.cancel("k" + i);
          others.add("k" + i);
        }
      }
      clock.advance(Duration.ofSeconds(1));
      assertThat(queue.purge(now())).isEqualTo(others.size());
      schedule("late");
      List<String> rest = new ArrayList<>();
      String cursor = first.next();
      while (cursor != null) {
        DeliveryPage page = queue.list(null, cursor, 4);
        page.items().forEach(st -> rest.add(st.deliveryKey()));
        cursor = page.next();
      }
      assertThat(rest).doesNotContainAnyElementsOf(others).doesNotContainAnyElementsOf(seen);
      // a delivery scheduled during a listing may or may not be listed; nothing else is left
      assertThat(rest).isSubsetOf(Set.of("late"));
    }

    @Test
    @DisplayName("an unreadable stored row is counted and skipped; the others are listed")
    void unreadable() {
      schedule("good1");
      schedule("good2");
      writeRaw(queue, raw(keyHashOf("weird"), "weird", "EXPLODED", "{}", "c"));
      writeRaw(queue, raw(hex('a'), "not-its-hash", "PENDING", "{}", "c"));
      int unreadable = 0;
      List<String> keys = new ArrayList<>();
      String cursor = null;
      do {
        DeliveryPage page = queue.list(null, cursor, 1);
        unreadable += page.unreadable();
        page.items().forEach(st -> keys.add(st.deliveryKey()));
        cursor = page.next();
      } while (cursor != null);
      assertThat(keys).containsExactlyInAnyOrder("good1", "good2");
      assertThat(unreadable).isEqualTo(2);
    }

    @Test
    @DisplayName("limits and cursors that are not the queue's are refused before the backend")
    void badArguments() {
      schedule("k");
      for (int limit : new int[] {0, -1, AbstractDeliveryQueue.MAX_LIST + 1, Integer.MAX_VALUE}) {
        assertThatThrownBy(() -> queue.list(null, null, limit))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("limit");
      }
      for (String cursor :
          new String[] {
            "",
            "d1.",
            "x",
            "d1." + "A".repeat(64),
            "d1." + "a".repeat(63),
            "d1." + "a".repeat(65),
            "d2." + "a".repeat(64),
            "d1." + "g".repeat(64),
            "d1.' OR 1=1 --" + "a".repeat(50),
            "c1.AAAA"
          }) {
        assertThatThrownBy(() -> queue.list(null, cursor, 5))
            .as(cursor)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cursor");
      }
      // a well-formed cursor naming no row is a position like any other (where it falls depends
      // on the backend's listing order)
      assertThat(queue.list(null, "d1." + "f".repeat(64), 5).items().size()).isLessThanOrEqualTo(1);
    }
  }

  private static String hex(char c) {
    return String.valueOf(c).repeat(64);
  }

  /**
   * The row key the queue uses for a delivery key (SHA-256, lowercase hex), for raw rows.
   *
   * @param deliveryKey the key
   * @return 64 hex characters
   */
  protected static String keyHashOf(String deliveryKey) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(deliveryKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
