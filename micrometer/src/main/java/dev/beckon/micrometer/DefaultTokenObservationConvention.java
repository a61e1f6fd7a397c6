package dev.beckon.micrometer;

import dev.beckon.micrometer.BeckonObservationDocumentation.TokenKeys;
import io.micrometer.common.KeyValues;

/**
 * The default names and keys of a token request ({@link BeckonObservationDocumentation#TOKEN}):
 * name and span name {@value #NAME}. Thread-safe.
 */
public class DefaultTokenObservationConvention implements TokenObservationConvention {

  /** The observation's (and timer's) name. */
  public static final String NAME = "beckon.token";

  /** Creates the convention. */
  public DefaultTokenObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(TokenContext context) {
    return NAME;
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(TokenContext context) {
    if (!context.finished()) {
      return KeyValues.empty();
    }
    return KeyValues.of(
        TokenKeys.OUTCOME.withValue(context.getError() == null ? "success" : "error"));
  }
}
