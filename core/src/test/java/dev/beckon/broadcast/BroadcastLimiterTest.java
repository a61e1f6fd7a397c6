package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.SendOutcome;
import dev.beckon.store.ListQuery;
import dev.beckon.store.StoreException;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Broadcast.Builder#limiter}: the broadcast asks the limiter before every send (retries
 * included), waits out a denial, sends nothing while the limiter fails and asks again later, tells
 * the limiter of a 429, and a cancel ends the references still waiting for it.
 *
 * <p>Every wait asserted is a lower bound (a scheduled task never runs early), never an upper one.
 */
@Timeout(120)
class BroadcastLimiterTest {

  private final InMemoryReferenceRepository repo = new InMemoryReferenceRepository();

  /** Asks and sends of every conversation, in the order they happened. */
  private final List<String> events = new CopyOnWriteArrayList<>();

  private final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();

  private void fill(int n) {
    for (int i = 0; i < n; i++) {
      repo.save(
          ConversationReference.builder()
              .channelId("msteams")
              .serviceUrl("https://smba.trafficmanager.net/amer/")
              .conversation(ConversationAccount.builder("c" + i).tenantId("t" + (i % 2)).build())
              .build());
    }
  }

  /** A limiter answering each ask from a function of the conversation and its ask count. */
  private final class ScriptedLimiter implements SendLimiter {
    final Map<String, AtomicInteger> asks = new ConcurrentHashMap<>();
    final Map<String, List<Long>> askedAt = new ConcurrentHashMap<>();
    final List<String> tenants = new CopyOnWriteArrayList<>();
    final List<String> throttles = new CopyOnWriteArrayList<>();
    final java.util.function.BiFunction<String, Integer, Duration> answer;

    ScriptedLimiter(java.util.function.BiFunction<String, Integer, Duration> answer) {
      this.answer = answer;
    }

    @Override
    public Duration tryAcquire(ReferenceKey conversation, @Nullable String tenant) {
      String c = conversation.conversationId();
      int n = asks.computeIfAbsent(c, k -> new AtomicInteger()).incrementAndGet();
      askedAt.computeIfAbsent(c, k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
      tenants.add(c + "/" + tenant);
      events.add("ask " + c);
      return answer.apply(c, n);
    }

    @Override
    public void throttled(
        ReferenceKey conversation, @Nullable String tenant, @Nullable Duration retryAfter) {
      throttles.add(conversation.conversationId() + "/" + tenant + "/" + retryAfter);
    }
  }

  private FakeSender sender(Function<String, SendOutcome> answer) {
    return new FakeSender(
        (ref, activity) -> {
          String c = ref.conversation().id();
          sends.computeIfAbsent(c, k -> new AtomicInteger()).incrementAndGet();
          events.add("send " + c);
          return answer.apply(c);
        });
  }

  private Broadcast broadcast(FakeSender sender, SendLimiter limiter) {
    return Broadcast.builder(repo, sender)
        .id("limited")
        .query(ListQuery.all().withPageSize(10))
        .message(Activity.message("hello"))
        .profile(RateProfile.unpaced(4))
        .retry(BroadcastRunnerTest.QUICK)
        .limiter(limiter)
        .progressInterval(Duration.ofMillis(200))
        .build();
  }

  /** Every send of a conversation comes after one more ask for it than the sends before it. */
  private void assertEverySendWasGrantedFirst(int deniedAsksPerSend) {
    Map<String, Integer> asked = new java.util.HashMap<>();
    Map<String, Integer> sent = new java.util.HashMap<>();
    for (String e : new ArrayList<>(events)) {
      String c = e.substring(e.indexOf(' ') + 1);
      if (e.startsWith("ask ")) {
        asked.merge(c, 1, Integer::sum);
      } else {
        int s = sent.merge(c, 1, Integer::sum);
        assertThat(asked.getOrDefault(c, 0))
            .as("asks for %s before its send #%d", c, s)
            .isGreaterThanOrEqualTo(s * (1 + deniedAsksPerSend));
      }
    }
  }

  @Test
  void theLimiterIsAskedBeforeEverySendRetriesIncludedAndHearsOfThe429() {
    fill(12);
    ScriptedLimiter l = new ScriptedLimiter((c, n) -> Duration.ZERO);
    // c3 is throttled once: its retry must ask again
    AtomicInteger c3 = new AtomicInteger();
    BroadcastReport r =
        broadcast(
                sender(
                    c ->
                        c.equals("c3") && c3.getAndIncrement() == 0
                            ? FakeSender.throttled(Duration.ofMillis(20))
                            : FakeSender.delivered("a-" + c)),
                l)
            .start()
            .join();
    assertThat(r.delivered()).isEqualTo(12);
    assertThat(sends.get("c3")).hasValue(2);
    for (int i = 0; i < 12; i++) {
      String c = "c" + i;
      assertThat(l.asks.get(c)).as(c).hasValue(sends.get(c).get());
    }
    assertEverySendWasGrantedFirst(0);
    assertThat(l.tenants).contains("c0/t0", "c1/t1");
    assertThat(l.throttles).containsExactly("c3/t1/PT0.02S");
  }

  @Test
  void aDenialIsWaitedOutBeforeAskingAgainAndNothingIsSentMeanwhile() {
    fill(6);
    Duration denial = Duration.ofMillis(300);
    ScriptedLimiter l = new ScriptedLimiter((c, n) -> n == 1 ? denial : Duration.ZERO);
    BroadcastReport r = broadcast(sender(c -> FakeSender.delivered("a-" + c)), l).start().join();
    assertThat(r.delivered()).isEqualTo(6);
    for (int i = 0; i < 6; i++) {
      String c = "c" + i;
      assertThat(sends.get(c)).as(c).hasValue(1);
      List<Long> at = l.askedAt.get(c);
      assertThat(at).as(c).hasSize(2);
      assertThat(at.get(1) - at.get(0))
          .as("%s asked again no sooner than the denial said", c)
          .isGreaterThanOrEqualTo(denial.toNanos());
    }
    assertEverySendWasGrantedFirst(1);
  }

  @Test
  void aLimiterThatFailsSendsNothingForThatReferenceAndIsAskedAgainLater() {
    fill(3);
    ScriptedLimiter l =
        new ScriptedLimiter(
            (c, n) -> {
              if (n <= 2) {
                throw new StoreException(
                    "JdbcTokenBuckets tryTake failed: connection refused", null);
              }
              return Duration.ZERO;
            });
    BroadcastReport r = broadcast(sender(c -> FakeSender.delivered("a-" + c)), l).start().join();
    assertThat(r.delivered()).isEqualTo(3);
    assertThat(r.failed()).isZero();
    for (int i = 0; i < 3; i++) {
      String c = "c" + i;
      assertThat(sends.get(c)).as(c).hasValue(1);
      List<Long> at = l.askedAt.get(c);
      assertThat(at).as(c).hasSize(3);
      assertThat(at.get(1) - at.get(0)).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
      assertThat(at.get(2) - at.get(1)).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }
    assertEverySendWasGrantedFirst(2);
  }

  @Test
  void aCancelEndsTheReferencesWaitingForALimiterThatNeverRecovers() throws Exception {
    fill(3);
    CountDownLatch everyoneAsked = new CountDownLatch(3);
    ScriptedLimiter l =
        new ScriptedLimiter(
            (c, n) -> {
              if (n == 1) {
                everyoneAsked.countDown();
              }
              throw new StoreException("RedisTokenBuckets tryTake failed: down", null);
            });
    BroadcastRun run = broadcast(sender(c -> FakeSender.delivered("a-" + c)), l).start();
    assertThat(everyoneAsked.await(60, TimeUnit.SECONDS)).isTrue();
    run.cancel();
    BroadcastReport r = run.report().get(60, TimeUnit.SECONDS);
    assertThat(r.skipped()).isEqualTo(3);
    assertThat(r.delivered()).isZero();
    assertThat(r.notDelivered())
        .allSatisfy(o -> assertThat(o.kind()).isEqualTo(BroadcastOutcome.Kind.SKIPPED));
    assertThat(sends).isEmpty();
  }

  @Test
  void aLimiterThatFailsToHearOfThe429StillLetsTheReferenceBeRetried() {
    fill(4);
    SendLimiter failsOnThrottle =
        new SendLimiter() {
          @Override
          public Duration tryAcquire(ReferenceKey conversation, @Nullable String tenant) {
            return Duration.ZERO;
          }

          @Override
          public void throttled(
              ReferenceKey conversation, @Nullable String tenant, @Nullable Duration retryAfter) {
            events.add("throttled " + conversation.conversationId());
            throw new StoreException("RedisTokenBuckets throttled failed: down", null);
          }
        };
    AtomicInteger c1 = new AtomicInteger();
    BroadcastReport r =
        broadcast(
                sender(
                    c ->
                        c.equals("c1") && c1.getAndIncrement() == 0
                            ? FakeSender.throttled(Duration.ofMillis(20))
                            : FakeSender.delivered("a-" + c)),
                failsOnThrottle)
            .start()
            .join();
    assertThat(events).contains("throttled c1");
    assertThat(r.delivered()).isEqualTo(4);
    assertThat(r.failed()).isZero();
    assertThat(sends.get("c1")).hasValue(2);
  }
}
