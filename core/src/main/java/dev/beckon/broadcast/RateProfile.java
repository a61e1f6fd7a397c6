package dev.beckon.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How fast a broadcast may send: a rate per tenant, an optional global cap over all tenants, limits
 * per conversation and a concurrency bound. Profiles are plain data: use {@link #teams()}, {@link
 * #unpaced(int)} or build your own.
 *
 * <pre>{@code
 * RateProfile mine = RateProfile.teams()
 *     .withPerTenant(RateLimit.of(20, Duration.ofSeconds(1)))   // each tenant
 *     .withGlobal(RateLimit.of(200, Duration.ofSeconds(1)));    // all tenants together
 * }</pre>
 *
 * <p>Tenants: a reference's tenant is its conversation's {@code tenantId}. Each tenant is paced on
 * its own, so a broadcast over N tenants may send up to N times the per-tenant rate (less if a
 * global cap is set). References without a tenant share one bucket, as if they were one tenant.
 * Tenant state is dropped once the tenant has nothing in flight, has been idle for its window and
 * is no longer slowed down, so memory does not grow with the number of tenants.
 *
 * <p>The limits hold as the server counts: a send counts against its tenant's rate (and the global
 * cap) from the moment it is sent until one window after its answer arrives, so sends delayed on
 * their way (a new connection, a busy server) cannot bunch above a limit on the server's clock. The
 * price is the round trip: {@code permits} per {@code window} sustain at most {@code permits} per
 * {@code window + round trip} (Teams' 50/s with 100 ms round trips: about 45/s).
 *
 * <p>On a 429 the throttled tenant slows down — or, without a per-tenant rate, the whole broadcast:
 * its rate drops to 80% of its current value, at most once a second so that a burst of 429s counts
 * once, and never below 1/64 of the configured rate. It recovers with time: 2% of the configured
 * rate every 200 ms without a 429 (back to the full rate within 10 s of the last 429, however few
 * sends the slowed rate made). The throttled send itself waits its {@code Retry-After}. Without
 * either rate there is nothing to adapt: only the throttled send waits.
 *
 * @param global a cap over all sends of the broadcast, every tenant together, or {@code null} for
 *     none
 * @param perTenant the rate each tenant is paced at on its own (Teams: 50 requests per second per
 *     app per tenant), or {@code null} for none
 * @param perConversation limits every single conversation must stay within (may be empty)
 * @param maxConcurrency how many sends may be in flight at once, 1 to 1024
 */
public record RateProfile(
    @Nullable RateLimit global,
    @Nullable RateLimit perTenant,
    List<RateLimit> perConversation,
    int maxConcurrency) {

  /**
   * Validates the bounds.
   *
   * @param global a cap over all sends of the broadcast, every tenant together, or {@code null} for
   *     none
   * @param perTenant the rate each tenant is paced at on its own, or {@code null} for none
   * @param perConversation limits every single conversation must stay within (may be empty)
   * @param maxConcurrency how many sends may be in flight at once, 1 to 1024
   */
  public RateProfile {
    perConversation = List.copyOf(Objects.requireNonNull(perConversation, "perConversation"));
    if (maxConcurrency < 1 || maxConcurrency > 1024) {
      throw new IllegalArgumentException(
          "maxConcurrency must be between 1 and 1024 but was " + maxConcurrency);
    }
  }

  /**
   * A profile without a per-tenant rate (the shape before per-tenant pacing): {@code global} caps
   * every send of the broadcast.
   *
   * @param global a cap over all sends, or {@code null} for none
   * @param perConversation limits every single conversation must stay within (may be empty)
   * @param maxConcurrency how many sends may be in flight at once, 1 to 1024
   */
  public RateProfile(
      @Nullable RateLimit global, List<RateLimit> perConversation, int maxConcurrency) {
    this(global, null, perConversation, maxConcurrency);
  }

  /**
   * Microsoft Teams' published limits: 50 requests per second per app per tenant, each tenant paced
   * on its own and no cap across tenants; per conversation 7 per second, 8 per 2 seconds, 60 per 30
   * seconds, 1800 per hour; 16 in flight.
   *
   * @return the Teams profile
   */
  public static RateProfile teams() {
    return new RateProfile(
        null,
        RateLimit.of(50, Duration.ofSeconds(1)),
        List.of(
            RateLimit.of(7, Duration.ofSeconds(1)),
            RateLimit.of(8, Duration.ofSeconds(2)),
            RateLimit.of(60, Duration.ofSeconds(30)),
            RateLimit.of(1800, Duration.ofHours(1))),
        16);
  }

  /**
   * No pacing at all, only a concurrency bound (for benchmarks and channels without limits).
   *
   * @param maxConcurrency sends in flight
   * @return the profile
   */
  public static RateProfile unpaced(int maxConcurrency) {
    return new RateProfile(null, null, List.of(), maxConcurrency);
  }

  /**
   * A copy with another global cap (over all tenants together).
   *
   * @param limit the global cap, or {@code null} for none
   * @return the copy
   */
  public RateProfile withGlobal(@Nullable RateLimit limit) {
    return new RateProfile(limit, perTenant, perConversation, maxConcurrency);
  }

  /**
   * A copy with another per-tenant rate.
   *
   * @param limit the rate of each tenant, or {@code null} for none
   * @return the copy
   */
  public RateProfile withPerTenant(@Nullable RateLimit limit) {
    return new RateProfile(global, limit, perConversation, maxConcurrency);
  }

  /**
   * A copy with another concurrency bound.
   *
   * @param value sends in flight
   * @return the copy
   */
  public RateProfile withMaxConcurrency(int value) {
    return new RateProfile(global, perTenant, perConversation, value);
  }
}
