package dev.beckon.store;

import dev.beckon.codec.BotField;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options every store honours alike: an optional time-to-live and the clock it is measured by, and
 * the name(s) the bot account is written under.
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
 * <pre>{@code
 * StoreOptions.defaults().withTtl(Duration.ofDays(90))
 * StoreOptions.defaults().withBotField(BotField.BOTH)   // shared with Agents SDK bots
 * }</pre>
 *
 * @param ttl time-to-live of a write, or {@code null} for references that never expire
 * @param clock the clock expiry is measured by
 * @param botField under which name(s) the bot account is written
 */
public record StoreOptions(@Nullable Duration ttl, Clock clock, BotField botField) {

  /**
   * Validates the TTL.
   *
   * @param ttl time-to-live of a write, or {@code null} for references that never expire
   * @param clock the clock expiry is measured by
   * @param botField under which name(s) the bot account is written
   */
  public StoreOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(botField, "botField");
    if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.toMillis() < 1000)) {
      throw new IllegalArgumentException("ttl must be at least one second but was " + ttl);
    }
  }

  /**
   * Options that write the bot account as {@code bot} (the canonical form).
   *
   * @param ttl time-to-live of a write, or {@code null} for references that never expire
   * @param clock the clock expiry is measured by
   */
  public StoreOptions(@Nullable Duration ttl, Clock clock) {
    this(ttl, clock, BotField.BOT);
  }

  /**
   * No TTL, system UTC clock, the bot account written as {@code bot}.
   *
   * @return the defaults
   */
  public static StoreOptions defaults() {
    return new StoreOptions(null, Clock.systemUTC(), BotField.BOT);
  }

  /**
   * Sets the TTL.
   *
   * @param value at least one second, or {@code null} for none
   * @return the copy
   */
  public StoreOptions withTtl(@Nullable Duration value) {
    return new StoreOptions(value, clock, botField);
  }

  /**
   * Sets the clock.
   *
   * @param value the clock
   * @return the copy
   */
  public StoreOptions withClock(Clock value) {
    return new StoreOptions(ttl, value, botField);
  }

  /**
   * Sets under which name(s) the bot account is written.
   *
   * @param value {@link BotField#BOTH} for a store shared with Agents SDK bots
   * @return the copy
   */
  public StoreOptions withBotField(BotField value) {
    return new StoreOptions(ttl, clock, value);
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
