package dev.beckon.micrometer;

import dev.beckon.retry.RetryEvent;
import dev.beckon.retry.RetryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts retries as {@value BeckonMeters#RETRIES}. The event's {@code reason} (a status, an error
 * code the service chose) is never a tag. Thread-safe and allocation-free once each counter exists.
 */
final class MeteredRetryListener implements RetryListener {

  /** Operations are names chosen in code; past this many distinct ones, the rest count as other. */
  private static final int MAX_OPERATIONS = 64;

  private final MeterRegistry meters;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  MeteredRetryListener(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void onRetry(RetryEvent event) {
    String operation = TagValues.nameOrOther(event.operation());
    String key = operation + '\u0000' + event.cause().name();
    Counter c = counters.get(key);
    if (c == null) {
      if (counters.size() >= MAX_OPERATIONS * 2 && !"other".equals(operation)) {
        operation = "other";
        key = operation + '\u0000' + event.cause().name();
      }
      String op = operation;
      c =
          counters.computeIfAbsent(
              key,
              k ->
                  Counter.builder(BeckonMeters.RETRIES)
                      .description("Retries a Beckon retry strategy allowed")
                      .tag(BeckonMeters.OPERATION, op)
                      .tag(BeckonMeters.RETRY_CAUSE, event.cause().name())
                      .register(meters));
    }
    c.increment();
  }
}
