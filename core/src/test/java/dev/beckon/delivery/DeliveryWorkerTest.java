package dev.beckon.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.FakeSender;
import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.broadcast.SendLimiter;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.SendOutcome;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeliveryWorkerTest {

  private final TestClock clock = new TestClock();
  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock);
  private final InMemoryReferenceRepository references = new InMemoryReferenceRepository();
  private final Deque<SendOutcome> script = new ArrayDeque<>();
  private final AtomicInteger sends = new AtomicInteger();
  private final ConcurrentHashMap<String, String> lastServiceUrl = new ConcurrentHashMap<>();
  private final FakeSender sender =
      new FakeSender(
          (to, activity) -> {
            sends.incrementAndGet();
            lastServiceUrl.put(to.conversation().id(), to.serviceUrl());
            synchronized (script) {
              SendOutcome o = script.poll();
              return o == null ? FakeSender.delivered("act-" + sends.get()) : o;
            }
          });

  private ReferenceKey saved(String conversation) {
    ConversationReference ref = ref("https://smba.trafficmanager.net/amer/", conversation);
    references.save(ref);
    return ref.key();
  }

  private static ConversationReference ref(String serviceUrl, String conversation) {
    return ConversationReference.builder()
        .channelId("msteams")
        .serviceUrl(serviceUrl)
        .conversationId(conversation)
        .build();
  }

  private DeliveryWorker.Builder worker() {
    return DeliveryWorker.builder(queue, references, sender).name("w1").concurrency(4);
  }

  private void answer(SendOutcome... outcomes) {
    synchronized (script) {
      script.addAll(List.of(outcomes));
    }
  }

  private DeliveryStatus status(String key) {
    return queue.status(key).orElseThrow();
  }

  @Test
  void deliversOnceAndRecordsTheActivityId() {
    ReferenceKey to = saved("c1");
    assertThat(queue.schedule(to, Activity.message("hi"), clock.now(), "k1")).isTrue();
    assertThat(queue.schedule(to, Activity.message("other"), clock.now(), "k1")).isFalse();
    DeliveryWorker w = worker().build();
    assertThat(w.runOnce()).isEqualTo(1);
    assertThat(w.runOnce()).isZero();
    DeliveryStatus s = status("k1");
    assertThat(s.state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.activityId()).isEqualTo("act-1");
    assertThat(s.lastOutcome()).startsWith("DELIVERED 201");
    assertThat(sends).hasValue(1);
  }

  @Test
  void looksTheReferenceUpAtSendTime() {
    ReferenceKey to = saved("moved");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    references.save(ref("https://smba.trafficmanager.net/emea/", "moved"));
    worker().build().runOnce();
    assertThat(lastServiceUrl.get("moved")).isEqualTo("https://smba.trafficmanager.net/emea/");
  }

  @Test
  void throttledIsRescheduledWithPersistedAttemptsAndRetryAfterHonoured() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    answer(FakeSender.throttled(Duration.ofMinutes(3)));
    DeliveryWorker w = worker().build();
    w.runOnce();
    DeliveryStatus s = status("k");
    assertThat(s.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(s.attempts()).isEqualTo(1);
    assertThat(s.lastOutcome()).startsWith("THROTTLED 429");
    assertThat(s.notBefore()).isAfterOrEqualTo(clock.now().plus(Duration.ofMinutes(3)));
    clock.advance(Duration.ofMinutes(2));
    assertThat(w.runOnce()).as("not due before Retry-After").isZero();
    clock.advance(Duration.ofMinutes(12));
    assertThat(w.runOnce()).isEqualTo(1);
    assertThat(status("k").state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(status("k").attempts()).isEqualTo(2);
  }

  @Test
  void transientFailuresEndDeadAfterTheAttemptCap() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    for (int i = 0; i < 5; i++) {
      answer(FakeSender.failed(SendOutcome.Kind.FAILED, 503, "ServiceUnavailable"));
    }
    DeliveryWorker w =
        worker()
            .retry(
                RetryStrategy.builder()
                    .maxAttempts(3)
                    .backoff(Backoff.fixed(Duration.ofSeconds(10)))
                    .build())
            .build();
    for (int i = 0; i < 3; i++) {
      assertThat(w.runOnce()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(11));
    }
    assertThat(status("k").state()).isEqualTo(DeliveryState.DEAD);
    assertThat(status("k").attempts()).isEqualTo(3);
    assertThat(w.runOnce()).isZero();
    assertThat(sends).hasValue(3);
  }

  @Test
  void deadWhenTheDeadlineWouldPass() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    answer(FakeSender.failed(SendOutcome.Kind.FAILED, 503, "x"));
    DeliveryWorker w =
        worker()
            .retry(
                RetryStrategy.builder()
                    .maxAttempts(10)
                    .backoff(Backoff.fixed(Duration.ofMinutes(10)))
                    .deadline(Duration.ofMinutes(5))
                    .build())
            .build();
    w.runOnce();
    assertThat(status("k").state()).isEqualTo(DeliveryState.DEAD);
  }

  @Test
  void goneDeletesTheReference() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    answer(FakeSender.failed(SendOutcome.Kind.CONVERSATION_GONE, 403, "ConversationBlockedByUser"));
    worker().build().runOnce();
    assertThat(status("k").state()).isEqualTo(DeliveryState.GONE);
    assertThat(references.find(to)).isEmpty();
  }

  @Test
  void aMissingReferenceEndsGoneWithoutASend() {
    queue.schedule(ReferenceKey.of("msteams", "nobody"), Activity.message("hi"), clock.now(), "k");
    worker().build().runOnce();
    assertThat(status("k").state()).isEqualTo(DeliveryState.GONE);
    assertThat(status("k").attempts()).isZero();
    assertThat(sends).hasValue(0);
  }

  @Test
  void refusalsFailForGood() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    answer(FakeSender.failed(SendOutcome.Kind.REJECTED, 400, "BadArgument"));
    worker().build().runOnce();
    assertThat(status("k").state()).isEqualTo(DeliveryState.FAILED);
    assertThat(status("k").lastOutcome()).contains("BadArgument");
  }

  @Test
  void unknownIsRecordedNotResentUnlessOptedIn() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("a"), clock.now(), "a");
    answer(FakeSender.failed(SendOutcome.Kind.UNKNOWN, 0, "Timeout"));
    worker().build().runOnce();
    assertThat(status("a").state()).isEqualTo(DeliveryState.UNKNOWN);

    queue.schedule(to, Activity.message("b"), clock.now(), "b");
    answer(FakeSender.failed(SendOutcome.Kind.UNKNOWN, 0, "Timeout"));
    DeliveryWorker resending = worker().resendUnknown(true).build();
    resending.runOnce();
    assertThat(status("b").state()).isEqualTo(DeliveryState.PENDING);
    clock.advance(Duration.ofMinutes(1));
    resending.runOnce();
    assertThat(status("b").state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(status("b").attempts()).isEqualTo(2);
  }

  @Test
  void aDeadWorkersClaimIsTakenAfterTheLeaseAndRecordedUnknown() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    List<Delivery> lost = queue.claim("dead", 1, Duration.ofMinutes(1));
    assertThat(lost).hasSize(1);
    DeliveryWorker w = worker().build();
    assertThat(w.runOnce()).as("held by the lease").isZero();
    assertThat(status("k").inFlight()).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(w.runOnce()).isEqualTo(1);
    assertThat(status("k").state()).isEqualTo(DeliveryState.UNKNOWN);
    assertThat(status("k").lastOutcome()).startsWith("WorkerLost");
    assertThat(sends).hasValue(0);
    assertThat(queue.complete(lost.get(0), DeliveryState.DELIVERED, 1, "late", "x"))
        .as("the dead worker's late settle is refused")
        .isFalse();
  }

  @Test
  void aDeadWorkersClaimIsResentWhenOptedIn() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    queue.claim("dead", 1, Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(2));
    worker().resendUnknown(true).build().runOnce();
    assertThat(status("k").state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(status("k").attempts()).isEqualTo(2);
  }

  @Test
  void notBeforeIsHonoured() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now().plusSeconds(60), "k");
    DeliveryWorker w = worker().build();
    assertThat(w.runOnce()).isZero();
    clock.advance(Duration.ofSeconds(60));
    assertThat(w.runOnce()).isEqualTo(1);
  }

  @Test
  void concurrencyBoundsEachRound() {
    for (int i = 0; i < 10; i++) {
      queue.schedule(saved("c" + i), Activity.message("hi"), clock.now(), "k" + i);
    }
    DeliveryWorker w = worker().concurrency(4).build();
    assertThat(w.runOnce()).isEqualTo(4);
    assertThat(w.runOnce()).isEqualTo(4);
    assertThat(w.runOnce()).isEqualTo(2);
  }

  @Test
  void aSenderThatThrowsIsRecordedUnknown() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    DeliveryWorker w =
        DeliveryWorker.builder(
                queue,
                references,
                new FakeSender(
                    (r, a) -> {
                      throw new IllegalStateException("boom");
                    }))
            .build();
    w.runOnce();
    assertThat(status("k").state()).isEqualTo(DeliveryState.UNKNOWN);
    assertThat(status("k").lastOutcome()).contains("boom");
  }

  @Test
  void anUnreadableRowFailsAndTheOthersAreSent() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "good");
    String hash = "0".repeat(64);
    queue.putRaw(
        new QueueRow(
            hash,
            "bad",
            "msteams",
            "c",
            "{not json",
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
    assertThat(worker().build().runOnce()).isEqualTo(1);
    assertThat(status("good").state()).isEqualTo(DeliveryState.DELIVERED);
  }

  @Test
  void startAndStopRunTheLoop() throws InterruptedException {
    ReferenceKey to = saved("c");
    for (int i = 0; i < 20; i++) {
      queue.schedule(to, Activity.message("hi"), clock.now(), "k" + i);
    }
    DeliveryWorker w = worker().pollInterval(Duration.ofMillis(5)).build().start();
    assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class);
    while (sends.get() < 20) {
      Thread.sleep(5);
    }
    assertThat(w.stop(Duration.ofSeconds(10))).isTrue();
    for (int i = 0; i < 20; i++) {
      assertThat(status("k" + i).state()).isEqualTo(DeliveryState.DELIVERED);
    }
  }

  @Test
  void aClaimTakenWhileStoppingIsReleased() {
    ReferenceKey to = saved("c");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    DeliveryWorker w = worker().build();
    w.stop(Duration.ofMillis(1));
    assertThat(w.runOnce()).isEqualTo(1);
    assertThat(status("k").state()).isEqualTo(DeliveryState.PENDING);
    assertThat(status("k").inFlight()).isFalse();
    assertThat(status("k").attempts()).isZero();
    assertThat(sends).hasValue(0);
  }

  /** A limiter that answers from a script (ZERO when empty) and records what it was asked. */
  private static final class ScriptedLimiter implements SendLimiter {
    final Deque<Object> answers = new ArrayDeque<>();
    final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Duration> throttles = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public synchronized Duration tryAcquire(ReferenceKey conversation, String tenant) {
      asked.add(conversation.conversationId() + "/" + tenant);
      Object a = answers.poll();
      if (a instanceof RuntimeException e) {
        throw e;
      }
      return a == null ? Duration.ZERO : (Duration) a;
    }

    @Override
    public void throttled(ReferenceKey conversation, String tenant, Duration retryAfter) {
      throttles.add(retryAfter);
    }
  }

  private ReferenceKey savedInTenant(String conversation, String tenant) {
    ConversationReference r =
        ConversationReference.builder()
            .channelId("msteams")
            .serviceUrl("https://smba.trafficmanager.net/amer/")
            .conversation(
                dev.beckon.reference.ConversationAccount.builder(conversation)
                    .tenantId(tenant)
                    .build())
            .build();
    references.save(r);
    return r.key();
  }

  @Test
  void aLongPaceGoesBackToTheQueueWithoutAnAttempt() {
    ReferenceKey to = savedInTenant("c", "t1");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    ScriptedLimiter limiter = new ScriptedLimiter();
    limiter.answers.add(Duration.ofMinutes(2));
    DeliveryWorker w = worker().limiter(limiter).lease(Duration.ofMinutes(5)).build();
    assertThat(w.runOnce()).isEqualTo(1);
    DeliveryStatus s = status("k");
    assertThat(s.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(s.attempts()).isZero();
    assertThat(s.lastOutcome()).startsWith("Paced");
    assertThat(s.notBefore()).isAfterOrEqualTo(clock.now().plus(Duration.ofMinutes(2)));
    assertThat(sends).hasValue(0);
    assertThat(limiter.asked).containsExactly("c/t1");
    clock.advance(Duration.ofMinutes(3));
    assertThat(w.runOnce()).isEqualTo(1);
    assertThat(status("k").state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(status("k").attempts()).isEqualTo(1);
    assertThat(limiter.asked).hasSize(2);
  }

  @Test
  void aShortPaceIsWaitedOutHoldingTheClaim() {
    ReferenceKey to = savedInTenant("c", "t1");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    ScriptedLimiter limiter = new ScriptedLimiter();
    limiter.answers.add(Duration.ofMillis(20));
    limiter.answers.add(Duration.ofMillis(20));
    DeliveryWorker w = worker().limiter(limiter).lease(Duration.ofMinutes(5)).build();
    assertThat(w.runOnce()).isEqualTo(1);
    assertThat(status("k").state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(status("k").attempts()).isEqualTo(1);
    assertThat(limiter.asked).hasSize(3);
    assertThat(sends).hasValue(1);
  }

  @Test
  void aRetryAfterA429AsksTheLimiterAgainAndTheThrottleIsReported() {
    ReferenceKey to = savedInTenant("c", "t1");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    ScriptedLimiter limiter = new ScriptedLimiter();
    answer(FakeSender.throttled(Duration.ofMinutes(3)));
    DeliveryWorker w = worker().limiter(limiter).build();
    w.runOnce();
    assertThat(status("k").notBefore()).isAfterOrEqualTo(clock.now().plus(Duration.ofMinutes(3)));
    assertThat(limiter.throttles).containsExactly(Duration.ofMinutes(3));
    clock.advance(Duration.ofMinutes(15));
    w.runOnce();
    assertThat(status("k").state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(limiter.asked).hasSize(2);
  }

  @Test
  void aFailingLimiterSendsNothingAndCountsNoAttempt() {
    ReferenceKey to = savedInTenant("c", "t1");
    queue.schedule(to, Activity.message("hi"), clock.now(), "k");
    ScriptedLimiter limiter = new ScriptedLimiter();
    limiter.answers.add(new IllegalStateException("limiter down"));
    DeliveryWorker w = worker().limiter(limiter).build();
    w.runOnce();
    DeliveryStatus s = status("k");
    assertThat(s.state()).isEqualTo(DeliveryState.PENDING);
    assertThat(s.attempts()).isZero();
    assertThat(s.lastOutcome()).startsWith("LimiterUnavailable");
    assertThat(sends).hasValue(0);
  }

  @Test
  void theLocalPacerHoldsAConversationsLimitAcrossRounds() {
    ReferenceKey to = savedInTenant("c", "t1");
    for (int i = 0; i < 3; i++) {
      queue.schedule(to, Activity.message("hi"), clock.now(), "k" + i);
    }
    SendLimiter local =
        SendLimiter.local(
            new RateProfile(null, null, List.of(RateLimit.of(2, Duration.ofMinutes(10))), 4));
    DeliveryWorker w = worker().limiter(local).lease(Duration.ofMinutes(5)).build();
    assertThat(w.runOnce()).isEqualTo(3);
    assertThat(sends).as("2 per 10 minutes in that conversation").hasValue(2);
    long paced =
        List.of("k0", "k1", "k2").stream()
            .filter(k -> status(k).state() == DeliveryState.PENDING)
            .count();
    assertThat(paced).isEqualTo(1);
  }
}
