package dev.beckon.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of a token request's Observation. Implement it (or extend {@link
 * DefaultTokenObservationConvention}) and pass it to {@link
 * BeckonObservations.Builder#tokenConvention}.
 */
public interface TokenObservationConvention extends ObservationConvention<TokenContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof TokenContext;
  }
}
