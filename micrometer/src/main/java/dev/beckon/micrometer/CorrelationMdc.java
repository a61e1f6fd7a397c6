package dev.beckon.micrometer;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts a send's correlation id into the SLF4J MDC for a scope and restores what was there before (a
 * send completing inside another's callback keeps the outer one's value afterwards).
 */
final class CorrelationMdc implements AutoCloseable {

  private final @Nullable String previous;
  private final boolean set;

  private CorrelationMdc(@Nullable String value) {
    this.previous = value == null ? null : MDC.get(BeckonObservations.MDC_CORRELATION_ID);
    this.set = value != null;
    if (value != null) {
      MDC.put(BeckonObservations.MDC_CORRELATION_ID, value);
    }
  }

  /**
   * Opens a scope.
   *
   * @param value a validated correlation id ({@link dev.beckon.send.SendOutcome#correlationId()}),
   *     or {@code null} to change nothing
   */
  static CorrelationMdc put(@Nullable String value) {
    return new CorrelationMdc(value);
  }

  @Override
  public void close() {
    if (!set) {
      return;
    }
    if (previous == null) {
      MDC.remove(BeckonObservations.MDC_CORRELATION_ID);
    } else {
      MDC.put(BeckonObservations.MDC_CORRELATION_ID, previous);
    }
  }
}
