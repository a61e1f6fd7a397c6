package dev.beckon.store;

import dev.beckon.codec.BotField;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options every store honours alike: an optional time-to-live and the clock it is measured by, the
 * name(s) the bot account is written under, and how a store retries a failure its backend asks to
 * retry.
 *
 * <p>With a TTL, every write sets the reference to expire {@code ttl} after the write; an expired
 * reference is invisible to every read and counts as absent for conditional writes, whether or not
 * the backend has deleted it yet. The clock is injectable for tests.
 *
 * <p>The stored payload is the canonical JSON with the bot account under {@code bot} ({@link
 * BotField#BOT}, the default). A store shared with Microsoft 365 Agents SDK bots writes {@link
 * BotField#BOTH}: the Agents SDK cannot send from a reference without {@code agent}, botbuilder
 * ignores it. Reading accepts either name whatever this option says.
 *
 * <p>The {@link #retry() retry strategy} is the one every store uses for the failures its backend
 * says to try again: JDBC deadlocks and serialization failures ({@link
 * dev.beckon.retry.RetryCause#TRANSIENT}, operation {@code jdbc.<operation>}, reason {@code
 * SQLState 40P01}, say) and DynamoDB batch items left unprocessed ({@link
 * dev.beckon.retry.RetryCause#THROTTLED}, operation {@code dynamodb.saveAll}). Its {@link
 * dev.beckon.retry.RetryListener} hears each retry: that is how metrics count them. Stores whose
 * client retries by itself (Redis, Azure Table, the AWS SDK's own retries) do not use it.
 *
 * <pre>{@code
 * StoreOptions.defaults()
 *     .withTtl(Duration.ofDays(90))
 *     .withBotField(BotField.BOTH)   // shared with Agents SDK bots
 *     .withRetry(StoreOptions.DEFAULT_RETRY.toBuilder().listener(e -> retries.increment()).build())
 * }</pre>
 *
 * @param ttl time-to-live of a write, or {@code null} for references that never expire
 * @param clock the clock expiry is measured by
 * @param botField under which name(s) the bot account is written
 * @param retry how a store retries what its backend says to retry ({@link #DEFAULT_RETRY})
 */
public record StoreOptions(
    @Nullable Duration ttl, Clock clock, BotField botField, RetryStrategy retry) {

  /**
   * The stores' default retry: 10 attempts within 10 s; a transient failure (a deadlock) waits 2 ms
   * doubling up to 100 ms, a throttle (unprocessed batch items) 50 ms doubling up to 2 s.
   */
  public static final RetryStrategy DEFAULT_RETRY =
      RetryStrategy.builder()
          .maxAttempts(10)
          .backoff(Backoff.exponential(Duration.ofMillis(2), Duration.ofMillis(100)))
          .throttlingBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2)))
          .deadline(Duration.ofSeconds(10))
          .build();

  /**
   * Validates the TTL.
   *
   * @param ttl time-to-live of a write, or {@code null} for references that never expire
   * @param clock the clock expiry is measured by
   * @param botField under which name(s) the bot account is written
   * @param retry how a store retries what its backend says to retry
   */
  public StoreOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(botField, "botField");
    Objects.requireNonNull(retry, "retry");
    if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.toMillis() < 1000)) {
      throw new IllegalArgumentException("ttl must be at least one second but was " + ttl);
    }
  }

  /**
   * Options that write the bot account as {@code bot} (the canonical form), with the {@link
   * #DEFAULT_RETRY}.
   *
   * @param ttl time-to-live of a write, or {@code null} for references that never expire
   * @param clock the clock expiry is measured by
   */
  public StoreOptions(@Nullable Duration ttl, Clock clock) {
    this(ttl, clock, BotField.BOT, DEFAULT_RETRY);
  }

  /**
   * No TTL, system UTC clock, the bot account written as {@code bot}, the {@link #DEFAULT_RETRY}.
   *
   * @return the defaults
   */
  public static StoreOptions defaults() {
    return new StoreOptions(null, Clock.systemUTC(), BotField.BOT, DEFAULT_RETRY);
  }

  /**
   * Sets the TTL.
   *
   * @param value at least one second, or {@code null} for none
   * @return the copy
   */
  public StoreOptions withTtl(@Nullable Duration value) {
    return new StoreOptions(value, clock, botField, retry);
  }

  /**
   * Sets the clock.
   *
   * @param value the clock
   * @return the copy
   */
  public StoreOptions withClock(Clock value) {
    return new StoreOptions(ttl, value, botField, retry);
  }

  /**
   * Sets under which name(s) the bot account is written.
   *
   * @param value {@link BotField#BOTH} for a store shared with Agents SDK bots
   * @return the copy
   */
  public StoreOptions withBotField(BotField value) {
    return new StoreOptions(ttl, clock, value, retry);
  }

  /**
   * Sets how the store retries what its backend says to retry.
   *
   * @param value the strategy, e.g. {@link #DEFAULT_RETRY} with a listener, or {@link
   *     RetryStrategy#none()} to never retry
   * @return the copy
   */
  public StoreOptions withRetry(RetryStrategy value) {
    return new StoreOptions(ttl, clock, botField, value);
  }

  /**
   * When a write made now expires.
   *
   * @return the expiry instant, or empty without a TTL
   */
  public Optional<Instant> expiryOfWriteNow() {
    return ttl == null ? Optional.empty() : Optional.of(clock.instant().plus(ttl));
  }

  /**
   * Whether something with this expiry is expired now.
   *
   * @param expiresAt the expiry, or {@code null} for never
   * @return {@code true} when expired
   */
  public boolean isExpired(@Nullable Instant expiresAt) {
    return expiresAt != null && !clock.instant().isBefore(expiresAt);
  }

  /**
   * Whether something with this expiry (epoch millis, 0 or negative = never) is expired now.
   *
   * @param expiresAtEpochMillis the expiry in epoch millis, 0 or less for never
   * @return {@code true} when expired
   */
  public boolean isExpired(long expiresAtEpochMillis) {
    return expiresAtEpochMillis > 0 && clock.millis() >= expiresAtEpochMillis;
  }
}
