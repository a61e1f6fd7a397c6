package dev.beckon.store.spi;

import dev.beckon.store.StoreOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What every store's builder takes alike: the {@link StoreOptions} (TTL, clock, retries), and the
 * checks of the names and durations its setters take. A store's builder extends it, so that {@code
 * options} is written once and reads the same everywhere:
 *
 * <pre>{@code
 * public static final class Builder extends StoreBuilder<Builder> { ... }
 * MyRepository repository = MyRepository.builder(client).options(options).build();
 * }</pre>
 *
 * Not thread-safe: one builder per thread.
 *
 * @param <B> the store's builder
 */
public abstract class StoreBuilder<B extends StoreBuilder<B>> {

  private StoreOptions options = StoreOptions.defaults();

  /** Starts with {@link StoreOptions#defaults()}. */
  protected StoreBuilder() {}

  /**
   * Sets the TTL, the clock and the retries of the store's backend (default {@link
   * StoreOptions#defaults()}: no TTL, the system clock, {@link StoreOptions#DEFAULT_RETRY}).
   *
   * @param value the options
   * @return this builder
   */
  @SuppressWarnings("unchecked") // B is the subclass, by the class's contract
  public final B options(StoreOptions value) {
    this.options = Objects.requireNonNull(value, "options");
    return (B) this;
  }

  /**
   * The options set so far (what the store's constructor reads).
   *
   * @return the options
   */
  public final StoreOptions storeOptions() {
    return options;
  }

  /**
   * Checks a name a setter takes (a table, a key prefix) against the backend's rule, with the
   * message every store words alike: {@code keyPrefix must be 1-64 characters of [A-Za-z0-9_.:-]
   * but was 'x y'}.
   *
   * @param value the name given
   * @param rule what it must match, whole
   * @param setter the setter's name, e.g. {@code keyPrefix}
   * @param shape the rule in words, e.g. {@code 1-64 characters of [A-Za-z0-9_.:-]}
   * @return the value
   * @throws NullPointerException when the value is {@code null}
   * @throws IllegalArgumentException when it does not match
   */
  protected static String requireMatch(String value, Pattern rule, String setter, String shape) {
    if (!rule.matcher(Objects.requireNonNull(value, setter)).matches()) {
      throw new IllegalArgumentException(setter + " must be " + shape + " but was '" + value + "'");
    }
    return value;
  }

  /**
   * Checks a duration a setter takes (a timeout), zero allowed.
   *
   * @param value the duration given
   * @param setter the setter's name, for the message, e.g. {@code queryTimeout}
   * @return the value
   * @throws NullPointerException when the value is {@code null}
   * @throws IllegalArgumentException when it is negative
   */
  protected static Duration requireNonNegative(Duration value, String setter) {
    if (Objects.requireNonNull(value, setter).isNegative()) {
      throw new IllegalArgumentException(setter + " must not be negative but was " + value);
    }
    return value;
  }

  /**
   * Checks a duration a setter takes (a timeout), zero refused.
   *
   * @param value the duration given
   * @param setter the setter's name, for the message, e.g. {@code requestTimeout}
   * @return the value
   * @throws NullPointerException when the value is {@code null}
   * @throws IllegalArgumentException when it is zero or negative
   */
  protected static Duration requirePositive(Duration value, String setter) {
    if (Objects.requireNonNull(value, setter).isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setter + " must be positive but was " + value);
    }
    return value;
  }
}
