package dev.beckon.delivery;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A durable queue of deliveries, shared by every process of an application: the application {@link
 * #schedule schedules}, {@link #cancel cancels} and asks the {@link #status status}; {@link
 * DeliveryWorker}s {@link #claim claim} due deliveries and settle them. Implementations are
 * thread-safe and extend {@link dev.beckon.delivery.spi.AbstractDeliveryQueue}.
 *
 * <pre>{@code
 * DeliveryQueue queue = JdbcDeliveryQueue.builder(dataSource).build(); // or InMemoryDeliveryQueue
 * queue.schedule(reference.key(), Activity.message("Your report is ready"),
 *     Instant.now(), "report-" + jobId);          // again with the same key: nothing new
 * queue.status("report-" + jobId);                // PENDING, then DELIVERED (or GONE, ...)
 * }</pre>
 *
 * <p><b>Keys.</b> A delivery key is the application's name for one promise ("report 42 for Alice"):
 * 1 to {@value dev.beckon.delivery.spi.AbstractDeliveryQueue#MAX_KEY_LENGTH} characters, no control
 * characters. Every operation raises {@link IllegalArgumentException} for a key that breaks these
 * rules and {@link StoreException} when the backend fails.
 */
public interface DeliveryQueue {

  /**
   * Schedules a delivery, once per key: when a delivery of this key exists (in any state, final
   * ones included until they are {@link #purge purged}), nothing changes.
   *
   * @param to the conversation; its reference is looked up when the delivery is sent, so a
   *     reference saved again in the meantime (a moved {@code serviceUrl}) is the one used
   * @param what the activity to send, as a new message
   * @param notBefore the earliest time to send it
   * @param deliveryKey the application's key of this delivery
   * @return true when this call scheduled it, false when the key already existed
   * @throws IllegalArgumentException when the key is invalid or the activity's JSON exceeds {@value
   *     dev.beckon.delivery.spi.AbstractDeliveryQueue#MAX_ACTIVITY_CHARS} characters
   */
  boolean schedule(ReferenceKey to, Activity what, Instant notBefore, String deliveryKey);

  /**
   * Cancels a delivery that is pending and not being sent right now.
   *
   * @param deliveryKey the key
   * @return true when it is now {@link DeliveryState#CANCELLED}; false when there is no such
   *     delivery, it is final already, or a worker is sending it (see {@link #status})
   */
  boolean cancel(String deliveryKey);

  /**
   * What the queue knows of a delivery.
   *
   * @param deliveryKey the key
   * @return the status, or empty when no delivery has this key (never scheduled, or purged)
   * @throws StoreException when its stored row is unreadable (the message names the key's hash,
   *     never the row's content); other keys are unaffected
   */
  Optional<DeliveryStatus> status(String deliveryKey);

  /**
   * The activity a delivery sends (or sent), as it is stored: for an operator's look at a delivery,
   * and for {@link DeliveryBroadcasts}, which keeps its records as deliveries.
   *
   * @param deliveryKey the key
   * @return the activity, or empty when no delivery has this key
   * @throws StoreException when its stored row is unreadable (the message names the key's hash,
   *     never the row's content)
   */
  Optional<Activity> activity(String deliveryKey);

  /**
   * One page of the deliveries the queue holds, for operators ({@code beckon deliveries list}): in
   * the backend's listing order (the order of the stored rows' keys, the SHA-256 of the delivery
   * keys; DynamoDB's scan order for the SQS queue), resumable with the page's {@link
   * DeliveryPage#next() cursor}. A delivery that exists for the whole listing and stays in the
   * state asked for is listed exactly once, whatever else is scheduled, settled or purged
   * meanwhile.
   *
   * @param state only deliveries in this state, or {@code null} for all
   * @param cursor {@code null} for the first page, else the {@link DeliveryPage#next()} of the page
   *     before (of this queue)
   * @param limit the most deliveries on the page, 1 to {@value
   *     dev.beckon.delivery.spi.AbstractDeliveryQueue#MAX_LIST}
   * @return the page
   * @throws IllegalArgumentException when the limit is out of range or the cursor was not made by a
   *     listing of a queue (the message says which)
   */
  DeliveryPage list(@Nullable DeliveryState state, @Nullable String cursor, int limit);

  /**
   * Schedules a final delivery again (an operator's decision, e.g. after checking that an {@link
   * DeliveryState#UNKNOWN} one did not arrive): it becomes {@link DeliveryState#PENDING} with no
   * attempts. A {@link DeliveryState#DELIVERED}, {@link DeliveryState#CANCELLED} or pending
   * delivery is left alone.
   *
   * @param deliveryKey the key
   * @param notBefore the earliest time to send it
   * @return true when it is pending again
   */
  boolean retry(String deliveryKey, Instant notBefore);

  /**
   * Removes final deliveries last changed before a time, in batches. Their keys may then be
   * scheduled again.
   *
   * @param finishedBefore the cut-off
   * @return how many were removed
   */
  long purge(Instant finishedBefore);

  /**
   * Claims up to {@code max} due deliveries for a worker, oldest due first, each held until the
   * lease ends. A claim whose lease expired unsettled is claimed again, {@link
   * Delivery#interrupted() marked} so. A stored row that cannot be read is settled {@link
   * DeliveryState#FAILED} here and not returned: one bad row never stops the rest.
   *
   * @param worker the worker's name, for logs
   * @param max 1 to {@value dev.beckon.delivery.spi.AbstractDeliveryQueue#MAX_CLAIM}
   * @param lease how long the claim is exclusive, 1 s to 1 h
   * @return the claimed deliveries, perhaps none
   */
  List<Delivery> claim(String worker, int max, Duration lease);

  /**
   * Settles a claimed delivery in a final state.
   *
   * @param claim the claim
   * @param state a final state
   * @param attempts the delivery's attempts now
   * @param outcome the outcome in words, at most 500 characters kept
   * @param activityId the new activity's id when delivered, else {@code null}
   * @return true when settled; false when the claim was lost (its lease expired and another worker
   *     took it, or it was cancelled): nothing changed
   */
  boolean complete(
      Delivery claim,
      DeliveryState state,
      int attempts,
      String outcome,
      @Nullable String activityId);

  /**
   * Puts a claimed delivery back, due again after a delay (a retry, with its attempts persisted).
   *
   * @param claim the claim
   * @param delay from the queue's now, zero or more
   * @param attempts the delivery's attempts now
   * @param outcome the outcome in words, at most 500 characters kept
   * @return true when rescheduled; false when the claim was lost
   */
  boolean reschedule(Delivery claim, Duration delay, int attempts, String outcome);

  /**
   * Gives a claimed delivery back untouched, due at once (a worker stopping before its send).
   *
   * @param claim the claim
   * @return true when released; false when the claim was lost
   */
  boolean release(Delivery claim);

  /**
   * Counts the queue's pending and dead deliveries and the oldest due delivery's wait, for
   * monitoring: one cheap query where the backend has one (an index range scan on JDBC), read when
   * a gauge is scraped. Not transactional with anything else.
   *
   * @return the counts, or empty when this backend cannot count cheaply (SQS in this version)
   * @throws dev.beckon.store.StoreException when the backend fails
   */
  default Optional<DeliveryCounts> counts() {
    return Optional.empty();
  }
}
