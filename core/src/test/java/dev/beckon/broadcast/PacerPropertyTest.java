package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.jspecify.annotations.Nullable;

/**
 * Per-tenant pacing on a virtual clock, for random arrival patterns over random tenants: no tenant
 * (and not the global cap) ever exceeds its limit in any sliding window, neither in the schedule
 * the pacer hands out, nor in the sends it admits when timers fire late, nor on the server's clock,
 * where each send arrives at a random moment between its admission and its answer (round trips from
 * nothing to 1.5 s, as a new connection or a busy server makes them); and no tenant starves: a
 * reservation waits only for its own tenant's recent reservations (and the global cap's), never
 * behind another tenant's backlog.
 */
class PacerPropertyTest {

  /** One arrival: after {@code gapMicros}, a send to conversation {@code conv} of a tenant. */
  record Arrival(
      int gapMicros,
      int tenant,
      int conv,
      boolean throttle,
      int lateMicros,
      int roundTripMicros,
      int atServerPermille) {}

  @Provide
  Arbitrary<List<Arrival>> arrivals() {
    Arbitrary<Arrival> one =
        Combinators.combine(
                Arbitraries.frequencyOf(
                    List.of(
                        Tuple.of(6, Arbitraries.integers().between(0, 200)),
                        Tuple.of(3, Arbitraries.integers().between(0, 20_000)),
                        Tuple.of(1, Arbitraries.integers().between(0, 2_000_000)))),
                Arbitraries.integers().between(-1, 7), // -1: no tenant
                Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(0, 30).map(n -> n == 0),
                Arbitraries.integers().between(0, 50_000),
                Arbitraries.frequencyOf(
                    List.of(
                        Tuple.of(6, Arbitraries.integers().between(0, 5_000)),
                        Tuple.of(3, Arbitraries.integers().between(0, 200_000)),
                        Tuple.of(1, Arbitraries.integers().between(0, 1_500_000)))),
                Arbitraries.integers().between(0, 1000))
            .as(Arrival::new);
    return one.list().ofMinSize(1).ofMaxSize(300);
  }

  static int maxInAnyWindow(List<Long> times, long windowNanos) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    int max = 0;
    int start = 0;
    for (int end = 0; end < sorted.size(); end++) {
      while (sorted.get(end) - sorted.get(start) >= windowNanos) {
        start++;
      }
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  private static @Nullable String tenantName(int i) {
    return i < 0 ? null : "tenant-" + i;
  }

  private static long gap(RateLimit limit, double factor) {
    long base = (limit.window().toNanos() + limit.permits() - 1) / limit.permits();
    return factor >= 1.0 ? base : (long) Math.ceil(base / factor);
  }

  @Property(tries = 200)
  void noTenantExceedsItsLimitAndNoneStarves(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll @IntRange(min = 1, max = 20) int tenantPermits,
      @ForAll @IntRange(min = 50, max = 2000) int tenantWindowMillis,
      @ForAll @IntRange(min = 0, max = 60) int globalPermits, // 0: no global cap
      @ForAll boolean perConversation) {
    RateLimit perTenant = RateLimit.of(tenantPermits, Duration.ofMillis(tenantWindowMillis));
    RateLimit global =
        globalPermits == 0 ? null : RateLimit.of(globalPermits, Duration.ofSeconds(1));
    RateProfile profile =
        new RateProfile(
            global,
            perTenant,
            perConversation
                ? List.of(
                    RateLimit.of(2, Duration.ofMillis(500)), RateLimit.of(3, Duration.ofSeconds(2)))
                : List.of(),
            16);
    AtomicLong now = new AtomicLong(5_000_000_000L);
    Pacer pacer = new Pacer(profile, now::get);

    Map<Integer, List<Long>> reservedPerTenant = new HashMap<>();
    List<Long> reservedAll = new ArrayList<>();
    Map<Integer, List<Long>> sentPerTenant = new HashMap<>();
    List<Long> sentAll = new ArrayList<>();
    Map<Integer, List<Long>> serverPerTenant = new HashMap<>();
    List<Long> serverAll = new ArrayList<>();
    Sends sends = new Sends(arrivals, sentPerTenant, sentAll, serverPerTenant, serverAll);
    Set<Integer> seenConversations = new HashSet<>();
    // send attempts in time order: {time, tenant, id}
    PriorityQueue<long[]> attempts = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    long arrival = now.get();
    int id = 0;
    for (Arrival a : arrivals) {
      arrival += a.gapMicros() * 1000L;
      // deliver every send attempt due before this arrival, late by up to 50 ms
      drain(pacer, now, attempts, arrival, sends);
      now.set(Math.max(now.get(), arrival));
      String tenant = tenantName(a.tenant());
      long tNow = now.get();
      List<Long> mine = reservedPerTenant.computeIfAbsent(a.tenant(), k -> new ArrayList<>());
      long tenantGap = gap(perTenant, pacer.factor(tenant));
      long blockedByTenant =
          mine.stream().filter(p -> p > tNow - tenantGap).count() * 2 * tenantGap;
      long blockedByGlobal = 0;
      if (global != null) {
        long globalGap = gap(global, 1.0);
        blockedByGlobal =
            reservedAll.stream().filter(p -> p > tNow - globalGap).count() * 2 * globalGap;
      }
      int conv = a.conv() + 1000 * (a.tenant() + 1);
      boolean fresh = seenConversations.add(conv);
      long t = pacer.reserve("c" + conv, tenant);
      assertThat(t).isGreaterThanOrEqualTo(tNow);
      if (fresh) {
        // no starvation: the wait is bounded by this tenant's own recent reservations and the
        // global cap's, whatever the other tenants' backlog
        assertThat(t - tNow).isLessThanOrEqualTo(blockedByTenant + blockedByGlobal);
      }
      mine.add(t);
      reservedAll.add(t);
      attempts.add(new long[] {t + a.lateMicros() * 1000L, a.tenant(), id++, SEND});
      if (a.throttle()) {
        pacer.throttled(tenant);
      }
    }
    drain(pacer, now, attempts, Long.MAX_VALUE, sends);

    long tenantWindow = perTenant.window().toNanos();
    reservedPerTenant.forEach(
        (tenant, times) ->
            assertThat(maxInAnyWindow(times, tenantWindow))
                .as("tenant %s reserved", tenant)
                .isLessThanOrEqualTo(tenantPermits));
    sentPerTenant.forEach(
        (tenant, times) ->
            assertThat(maxInAnyWindow(times, tenantWindow))
                .as("tenant %s sent", tenant)
                .isLessThanOrEqualTo(tenantPermits));
    serverPerTenant.forEach(
        (tenant, times) ->
            assertThat(maxInAnyWindow(times, tenantWindow))
                .as("tenant %s as the server saw it", tenant)
                .isLessThanOrEqualTo(tenantPermits));
    if (global != null) {
      assertThat(maxInAnyWindow(reservedAll, 1_000_000_000L)).isLessThanOrEqualTo(globalPermits);
      assertThat(maxInAnyWindow(sentAll, 1_000_000_000L)).isLessThanOrEqualTo(globalPermits);
      assertThat(maxInAnyWindow(serverAll, 1_000_000_000L)).isLessThanOrEqualTo(globalPermits);
    }
    assertThat(sentAll).as("every reservation was sent").hasSize(arrivals.size());
  }

  private static final long SEND = 0;
  private static final long ANSWER = 1;

  /** What was sent, and when the server saw it. */
  record Sends(
      List<Arrival> arrivals,
      Map<Integer, List<Long>> sentPerTenant,
      List<Long> sentAll,
      Map<Integer, List<Long>> serverPerTenant,
      List<Long> serverAll) {}

  /**
   * Plays every event due before {@code until}: a send the pacer does not admit tries again when
   * told; an admitted one reaches the server somewhere within its round trip, and is answered at
   * its end.
   */
  private static void drain(
      Pacer pacer, AtomicLong now, PriorityQueue<long[]> attempts, long until, Sends sends) {
    while (!attempts.isEmpty() && attempts.peek()[0] < until) {
      long[] a = attempts.poll();
      now.set(Math.max(now.get(), a[0]));
      int tenant = (int) a[1];
      if (a[3] == ANSWER) {
        pacer.answered(tenantName(tenant));
        continue;
      }
      long wait = pacer.admit(tenantName(tenant));
      if (wait > 0) {
        attempts.add(new long[] {now.get() + wait, tenant, a[2], SEND});
        continue;
      }
      Arrival arrival = sends.arrivals().get((int) a[2]);
      long roundTrip = arrival.roundTripMicros() * 1000L;
      long atServer = now.get() + roundTrip * arrival.atServerPermille() / 1000;
      sends.sentPerTenant().computeIfAbsent(tenant, k -> new ArrayList<>()).add(now.get());
      sends.sentAll().add(now.get());
      sends.serverPerTenant().computeIfAbsent(tenant, k -> new ArrayList<>()).add(atServer);
      sends.serverAll().add(atServer);
      attempts.add(new long[] {now.get() + roundTrip, tenant, a[2], ANSWER});
    }
  }
}
