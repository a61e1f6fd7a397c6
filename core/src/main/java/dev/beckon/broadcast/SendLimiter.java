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
 *   <tr><td>{@code RedisSendLimiter} ({@code beckon-storage-redis})</td><td>across every process
 *       using the same Redis (single node or cluster): Bucket4j token buckets</td></tr>
 *   <tr><td>{@code JdbcSendLimiter} ({@code beckon-storage-jdbc})</td><td>across every process
 *       using the same database table: Bucket4j token buckets</td></tr>
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
}
