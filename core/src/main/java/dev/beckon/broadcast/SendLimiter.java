package dev.beckon.broadcast;

import dev.beckon.reference.ReferenceKey;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The rate limiter a sender of many messages consults before each send: the {@link
 * dev.beckon.delivery.DeliveryWorker} before every delivery attempt (retries after a 429 included),
 * and a {@link Broadcast} before every send. One limiter shared by every process of a fleet makes
 * the {@link RateProfile}'s limits hold across the fleet rather than per process.
 *
 * <table>
 *   <caption>Implementations</caption>
 *   <tr><th>limiter</th><th>holds the limits</th></tr>
 *   <tr><td>{@link #unlimited()}</td><td>none (the default)</td></tr>
 *   <tr><td>{@link Pacer} ({@link #local(RateProfile)})</td><td>in this process only: exact sliding
 *       windows in memory</td></tr>
 *   <tr><td>{@link #fleet} over {@code RedisTokenBuckets} ({@code beckon-storage-redis})</td>
 *       <td>across every process using the same Redis (single node or cluster): Bucket4j token
 *       buckets</td></tr>
 *   <tr><td>{@link #fleet} over {@code JdbcTokenBuckets} ({@code beckon-storage-jdbc})</td>
 *       <td>across every process using the same database table: Bucket4j token buckets</td></tr>
 *   <tr><td>{@link #fleet} over {@code DynamoDbTokenBuckets} ({@code beckon-storage-dynamodb})</td>
 *       <td>across every process using the same DynamoDB table (e.g. beside an SQS queue): Bucket4j
 *       token buckets</td></tr>
 * </table>
 *
 * <p>The caller asks once per send and sends only when granted; a denial says how long to wait
 * before asking again, and nothing was counted. A limiter whose backend fails raises {@code
 * dev.beckon.store.StoreException}; the callers then send nothing and try again later.
 *
 * <p>Implementations are thread-safe.
 */
public interface SendLimiter {

  /**
   * Asks for one send into a conversation of a tenant, now. When granted, the send is counted
   * against every limit (the conversation's, the tenant's and the global one); when denied, nothing
   * is counted.
   *
   * @param conversation the conversation the send goes to
   * @param tenant the conversation's tenant id, or {@code null}: conversations without one share
   *     one tenant's limit
   * @return {@link Duration#ZERO} when granted, else how long to wait before asking again
   *     (positive)
   */
  Duration tryAcquire(ReferenceKey conversation, @Nullable String tenant);

  /**
   * A send this limiter granted was throttled (HTTP 429) anyway, for example by a sender outside
   * the fleet. The default does nothing: the throttled send waits its {@code Retry-After} and asks
   * again. The {@link Pacer} slows the tenant down.
   *
   * @param conversation the conversation
   * @param tenant its tenant id, or {@code null}
   * @param retryAfter the {@code Retry-After} the connector asked for, or {@code null}
   */
  default void throttled(
      ReferenceKey conversation, @Nullable String tenant, @Nullable Duration retryAfter) {}

  /**
   * A limiter that grants every send at once.
   *
   * @return the unlimited limiter
   */
  static SendLimiter unlimited() {
    return (conversation, tenant) -> Duration.ZERO;
  }

  /**
   * The in-process limiter: a {@link Pacer} over {@code profile} on {@link System#nanoTime()}. Its
   * limits hold in this process only; share one instance between the workers and broadcasts of one
   * process.
   *
   * @param profile the limits
   * @return a new pacer
   */
  static SendLimiter local(RateProfile profile) {
    return new Pacer(profile, System::nanoTime);
  }

  /**
   * A fleet-wide limiter: the profile's limits held in shared token buckets, so that they hold
   * across every process using the same buckets. Each send takes a token from its conversation's
   * bucket (all {@link RateProfile#perConversation()} limits at once), then its tenant's, then the
   * global one, and gives the earlier ones back when a later one says no. Each {@link RateLimit}
   * becomes the {@link TokenBucket#of(RateLimit, double) token bucket} that never grants more than
   * its permits in any window, with {@code headroom} for the delay between a grant and its arrival.
   * {@link RateProfile#maxConcurrency()} is not used (each worker has its own).
   *
   * @param buckets the shared buckets (e.g. {@code RedisTokenBuckets}, {@code JdbcTokenBuckets},
   *     {@code DynamoDbTokenBuckets})
   * @param prefix the first part of every bucket name, 1 to 12 characters of {@code [A-Za-z0-9_-]}:
   *     limiters with the same prefix on the same backend share their limits
   * @param profile the limits
   * @param headroom 0 to 1, see {@link TokenBucket#of(RateLimit, double)}; 0.1 is a good default
   * @return the limiter
   */
  static SendLimiter fleet(
      TokenBuckets buckets, String prefix, RateProfile profile, double headroom) {
    return new FleetLimiter(
        java.util.Objects.requireNonNull(buckets, "buckets"), prefix, profile, headroom);
  }
}
