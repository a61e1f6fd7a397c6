package dev.beckon.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of a send's Observation. Implement it (or extend {@link
 * DefaultSendObservationConvention}) to change them, and pass it to {@link
 * BeckonObservations.Builder#sendConvention}; or register a global convention on the registry.
 */
public interface SendObservationConvention extends ObservationConvention<SendContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof SendContext;
  }
}
