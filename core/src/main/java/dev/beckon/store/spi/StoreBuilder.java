package dev.beckon.store.spi;

import dev.beckon.store.StoreOptions;
import java.util.Objects;

/**
 * What every store's builder takes alike: the {@link StoreOptions} (TTL, clock, retries). A store's
 * builder extends it, so that {@code options} is written once and reads the same everywhere:
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
}
