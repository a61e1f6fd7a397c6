package dev.beckon.retry;

/**
 * Hears every retry a {@link RetryStrategy} allows, before its wait starts: the hook for metrics
 * and logs.
 *
 * <pre>{@code
 * RetryStrategy strategy = RetryStrategy.builder()
 *     .listener(e -> retries.labels(e.operation(), e.cause().name()).inc())
 *     .build();
 * }</pre>
 *
 * <p>Called on the thread that handles the failure: implementations must be thread-safe and quick.
 * An exception thrown by a listener is logged and ignored; it never changes the retry.
 */
@FunctionalInterface
public interface RetryListener {

  /** A listener that does nothing (the default). */
  RetryListener NONE = event -> {};

  /**
   * A retry is about to wait and try again.
   *
   * @param event what is retried, why and after how long
   */
  void onRetry(RetryEvent event);
}
