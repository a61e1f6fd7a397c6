package dev.beckon.testkit;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.spi.ForwardingDeliveryQueue;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
  static final class DyingQueue extends ForwardingDeliveryQueue {
    private final int dieAt;
    private final AtomicInteger schedules = new AtomicInteger();

    DyingQueue(DeliveryQueue queue, int dieAt) {
      super(queue);
      this.dieAt = dieAt;
    }

    @Override
    public boolean schedule(ReferenceKey to, Activity what, Instant notBefore, String key) {
      if (key.contains("/r/") && schedules.incrementAndGet() >= dieAt) {
        throw new WorkerDied();
      }
      return super.schedule(to, what, notBefore, key);
    }
  }
}
