package dev.beckon.micrometer;

import io.micrometer.observation.Observation;

/**
 * What a {@link TokenObservationConvention} sees of one token request: whether it failed ({@link
 * #getError()}). The token itself is never in the context.
 */
public final class TokenContext extends Observation.Context {

  private boolean finished;

  /** Creates the context of a token request about to start. */
  public TokenContext() {}

  /**
   * Whether the request ended (with a token or an error).
   *
   * @return true once ended
   */
  public boolean finished() {
    return finished;
  }

  /** Marks the request ended (the observed provider does, before stopping the observation). */
  public void finish() {
    this.finished = true;
  }
}
