package dev.beckon.testkit;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryCounts;
import dev.beckon.delivery.DeliveryPage;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** What the contract's distributed-broadcast tests send with and how a worker "dies". */
final class BroadcastFixtures {

  private BroadcastFixtures() {}

  /**
   * A sender answering in process by the conversation id: {@code gone-…} 403 blocked, {@code bad-…}
   * 400 rejected, anything else delivered. It counts the sends per conversation.
   */
  static final class CountingSender implements Sender {
    final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    final Map<String, String> texts = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<SendOutcome> sendAsync(ConversationReference to, Activity activity) {
      String id = to.conversation().id();
      sends.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      if (activity.text() != null) {
        texts.put(id, activity.text());
      }
      SendOutcome o;
      if (id.startsWith("gone-")) {
        o =
            SendOutcome.builder(SendOutcome.Kind.CONVERSATION_GONE)
                .status(403)
                .errorCode("ConversationBlockedByUser")
                .attempts(1)
                .build();
      } else if (id.startsWith("bad-")) {
        o =
            SendOutcome.builder(SendOutcome.Kind.REJECTED)
                .status(400)
                .errorCode("BadArgument")
                .attempts(1)
                .build();
      } else {
        o =
            SendOutcome.builder(SendOutcome.Kind.DELIVERED)
                .status(201)
                .id("a-" + id)
                .attempts(1)
                .build();
      }
      return CompletableFuture.completedFuture(o);
    }

    @Override
    public CompletableFuture<SendOutcome> replyAsync(
        ConversationReference to, String replyToId, Activity activity) {
      throw new UnsupportedOperationException("not in this test");
    }

    @Override
    public CompletableFuture<SendOutcome> updateAsync(
        ConversationReference to, String activityId, Activity activity) {
      throw new UnsupportedOperationException("not in this test");
    }

    @Override
    public CompletableFuture<SendOutcome> deleteAsync(ConversationReference to, String activityId) {
      throw new UnsupportedOperationException("not in this test");
    }

    @Override
    public CompletableFuture<SendOutcome> createConversationAsync(
        ConversationReference from, ConversationParameters parameters) {
      throw new UnsupportedOperationException("not in this test");
    }

    int maxSendsToOne() {
      return sends.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }
  }

  /** Thrown where a worker "dies": an Error, so nothing in the worker catches it. */
  static final class WorkerDied extends Error {
    private static final long serialVersionUID = 1L;

    WorkerDied() {
      super("the worker died here (test)", null, false, false);
    }
  }

  /**
   * The real queue, seen by a worker that dies at its {@code dieAt}-th schedule of a reference's
   * delivery: in the middle of a page, after its record was written.
   */
  static final class DyingQueue implements DeliveryQueue {
    private final DeliveryQueue queue;
    private final int dieAt;
    private final AtomicInteger schedules = new AtomicInteger();

    DyingQueue(DeliveryQueue queue, int dieAt) {
      this.queue = queue;
      this.dieAt = dieAt;
    }

    @Override
    public boolean schedule(ReferenceKey to, Activity what, Instant notBefore, String key) {
      if (key.contains("/r/") && schedules.incrementAndGet() >= dieAt) {
        throw new WorkerDied();
      }
      return queue.schedule(to, what, notBefore, key);
    }

    @Override
    public boolean cancel(String deliveryKey) {
      return queue.cancel(deliveryKey);
    }

    @Override
    public Optional<DeliveryStatus> status(String deliveryKey) {
      return queue.status(deliveryKey);
    }

    @Override
    public Optional<Activity> activity(String deliveryKey) {
      return queue.activity(deliveryKey);
    }

    @Override
    public DeliveryPage list(@Nullable DeliveryState state, @Nullable String cursor, int limit) {
      return queue.list(state, cursor, limit);
    }

    @Override
    public Optional<DeliveryCounts> counts() {
      return queue.counts();
    }

    @Override
    public boolean retry(String deliveryKey, Instant notBefore) {
      return queue.retry(deliveryKey, notBefore);
    }

    @Override
    public long purge(Instant finishedBefore) {
      return queue.purge(finishedBefore);
    }

    @Override
    public List<Delivery> claim(String worker, int max, Duration lease) {
      return queue.claim(worker, max, lease);
    }

    @Override
    public boolean complete(
        Delivery claim,
        DeliveryState state,
        int attempts,
        String outcome,
        @Nullable String activityId) {
      return queue.complete(claim, state, attempts, outcome, activityId);
    }

    @Override
    public boolean reschedule(Delivery claim, Duration delay, int attempts, String outcome) {
      return queue.reschedule(claim, delay, attempts, outcome);
    }

    @Override
    public boolean release(Delivery claim) {
      return queue.release(claim);
    }
  }
}
