package dev.beckon.internal.json;

/**
 * Input {@link Json} cannot read: not UTF-8, not one JSON value, or beyond a limit. Its message is
 * the problem in words (e.g. {@code "not valid JSON: …"}), about the whole input; a codec turns it
 * into its own documented exception.
 */
public final class UnreadableJsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param problem what is wrong with the input
   */
  public UnreadableJsonException(String problem) {
    super(problem);
  }

  /**
   * Creates the exception with the parser's exception behind it.
   *
   * @param problem what is wrong with the input
   * @param cause the parser's exception
   */
  public UnreadableJsonException(String problem, Throwable cause) {
    super(problem, cause);
  }
}
