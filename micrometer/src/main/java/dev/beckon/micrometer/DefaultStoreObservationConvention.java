package dev.beckon.micrometer;

import dev.beckon.micrometer.BeckonObservationDocumentation.StoreKeys;
import io.micrometer.common.KeyValues;

/**
 * The default names and keys of a repository call ({@link BeckonObservationDocumentation#STORE}):
 * name {@value #NAME}, span name {@code beckon.store.} + the operation. Thread-safe.
 */
public class DefaultStoreObservationConvention implements StoreObservationConvention {

  /** The observation's (and timer's) name. */
  public static final String NAME = "beckon.store";

  /** Creates the convention. */
  public DefaultStoreObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(StoreContext context) {
    return NAME + "." + context.operation().value();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(StoreContext context) {
    KeyValues kv =
        KeyValues.of(
            StoreKeys.OPERATION.withValue(context.operation().value()),
            StoreKeys.STORE.withValue(context.store()));
    StoreContext.Outcome outcome = context.outcome();
    return outcome == null ? kv : kv.and(StoreKeys.OUTCOME.withValue(outcome.value()));
  }
}
