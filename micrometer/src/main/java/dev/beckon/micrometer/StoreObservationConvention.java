package dev.beckon.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of a repository call's Observation. Implement it (or extend {@link
 * DefaultStoreObservationConvention}) and pass it to {@link
 * BeckonObservations.Builder#storeConvention}.
 */
public interface StoreObservationConvention extends ObservationConvention<StoreContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof StoreContext;
  }
}
