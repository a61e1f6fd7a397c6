package dev.beckon.spring.boot;

import dev.beckon.auth.TokenProvider;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The health of a Beckon bot, without any Actuator type: the store answers a read, and a token can
 * be obtained. The actuator health indicator (Boot 3 or Boot 4) reports what this returns.
 *
 * <p>The store is read on every check (one {@code find} of a key that does not exist). The token
 * check is cached: a success for {@code tokenSuccessTtl} (default 5 minutes; the provider caches
 * the token itself, so a check seldom reaches the token endpoint), a failure for {@code
 * tokenFailureTtl} (default 30 seconds), so a health probe every second never hammers the token
 * endpoint. Details name the store's type and the failing exception's type only: never a token, a
 * secret, or an exception message (which could quote either). Thread-safe.
 */
public final class BeckonHealth {

  /** The key read to prove the store answers (never written). */
  public static final ReferenceKey PROBE_KEY = ReferenceKey.of("beckon-health", "probe");

  /**
   * One check's result.
   *
   * @param up whether everything checked is up
   * @param details what was checked (safe to show: no secret, no message text)
   */
  public record Report(boolean up, Map<String, Object> details) {

    /**
     * Copies the details.
     *
     * @param up whether everything checked is up
     * @param details what was checked
     */
    public Report {
      details = Map.copyOf(details);
    }
  }

  private record TokenCheck(boolean up, @Nullable String error, Instant at) {}

  private final ReferenceRepository repository;
  private final @Nullable TokenProvider tokens;
  private final Duration timeout;
  private final Duration successTtl;
  private final Duration failureTtl;
  private final Clock clock;
  private @Nullable TokenCheck last;

  /**
   * A check with the default timings (10 s timeout, success cached 5 minutes, failure 30 seconds).
   *
   * @param repository the store to read
   * @param tokens the token provider, or {@code null} when the bot sends anonymously
   */
  public BeckonHealth(ReferenceRepository repository, @Nullable TokenProvider tokens) {
    this(
        repository,
        tokens,
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        Clock.systemUTC());
  }

  /**
   * A check with other timings.
   *
   * @param repository the store to read
   * @param tokens the token provider, or {@code null} when the bot sends anonymously
   * @param timeout the longest a token check waits
   * @param tokenSuccessTtl how long a successful token check is reused
   * @param tokenFailureTtl how long a failed token check is reused
   * @param clock the clock of the cache
   */
  public BeckonHealth(
      ReferenceRepository repository,
      @Nullable TokenProvider tokens,
      Duration timeout,
      Duration tokenSuccessTtl,
      Duration tokenFailureTtl,
      Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.tokens = tokens;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.successTtl = Objects.requireNonNull(tokenSuccessTtl, "tokenSuccessTtl");
    this.failureTtl = Objects.requireNonNull(tokenFailureTtl, "tokenFailureTtl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks the store and (cached) the token. Never throws.
   *
   * @return the report
   */
  public Report check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("store", repository.getClass().getSimpleName());
    boolean storeUp;
    try {
      repository.find(PROBE_KEY);
      storeUp = true;
      details.put("storeStatus", "UP");
    } catch (RuntimeException e) {
      storeUp = false;
      details.put("storeStatus", "DOWN");
      details.put("storeError", e.getClass().getSimpleName());
    }
    boolean tokenUp = true;
    if (tokens == null) {
      details.put("token", "not checked (no TokenProvider: anonymous, or a sender of your own)");
    } else {
      TokenCheck t = tokenCheck(tokens);
      tokenUp = t.up();
      details.put("token", t.up() ? "UP" : "DOWN");
      if (t.error() != null) {
        details.put("tokenError", t.error());
      }
      details.put("tokenCheckedAt", t.at().toString());
    }
    return new Report(storeUp && tokenUp, details);
  }

  private synchronized TokenCheck tokenCheck(TokenProvider provider) {
    Instant now = clock.instant();
    TokenCheck c = last;
    if (c != null && now.isBefore(c.at().plus(c.up() ? successTtl : failureTtl))) {
      return c;
    }
    TokenCheck fresh;
    try {
      provider.token().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      fresh = new TokenCheck(true, null, now);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      fresh = new TokenCheck(false, cause.getClass().getSimpleName(), now);
    } catch (TimeoutException e) {
      fresh = new TokenCheck(false, "timeout after " + timeout.toMillis() + " ms", now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fresh = new TokenCheck(false, "interrupted", now);
    } catch (RuntimeException e) {
      fresh = new TokenCheck(false, e.getClass().getSimpleName(), now);
    }
    last = fresh;
    return fresh;
  }
}
