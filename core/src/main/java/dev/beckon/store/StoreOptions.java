package dev.beckon.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options every store honours alike: an optional time-to-live and the clock it is measured by.
 *
 * <p>With a TTL, every write sets the reference to expire {@code ttl} after the write; an expired
 * reference is invisible to every read and counts as absent for conditional writes, whether or not
 * the backend has deleted it yet. The clock is injectable for tests.
 *
 * <pre>{@code
 * StoreOptions.defaults().withTtl(Duration.ofDays(90))
 * }</pre>
 *
 * @param ttl time-to-live of a write, or {@code null} for references that never expire
 * @param clock the clock expiry is measured by
 */
public record StoreOptions(@Nullable Duration ttl, Clock clock) {

  /**
   * Validates the TTL.
   *
   * @param ttl time-to-live of a write, or {@code null} for references that never expire
   * @param clock the clock expiry is measured by
   */
  public StoreOptions {
    Objects.requireNonNull(clock, "clock");
    if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.toMillis() < 1000)) {
      throw new IllegalArgumentException("ttl must be at least one second but was " + ttl);
    }
  }

  /**
   * No TTL, system UTC clock.
   *
   * @return the defaults
   */
  public static StoreOptions defaults() {
    return new StoreOptions(null, Clock.systemUTC());
  }

  /**
   * Sets the TTL.
   *
   * @param value at least one second, or {@code null} for none
   * @return the copy
   */
  public StoreOptions withTtl(@Nullable Duration value) {
    return new StoreOptions(value, clock);
  }

  /**
   * Sets the clock.
   *
   * @param value the clock
   * @return the copy
   */
  public StoreOptions withClock(Clock value) {
    return new StoreOptions(ttl, value);
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
