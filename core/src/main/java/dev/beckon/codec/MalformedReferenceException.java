package dev.beckon.codec;

import dev.beckon.BeckonException;
import org.jspecify.annotations.Nullable;

/**
 * Input that cannot be decoded into a reference or an activity: not JSON, the wrong shape, a
 * missing required field, a field of the wrong type, or a format Beckon refuses to read.
 *
 * <p>The one exception every Beckon decoder raises for bad input — never a {@code
 * NullPointerException} or a raw Jackson exception. {@link #path()} names the offending field
 * ({@code conversation.id}, {@code address.serviceUrl}, {@code $} for the whole input).
 */
public class MalformedReferenceException extends BeckonException {
  private static final long serialVersionUID = 1L;

  /** The path of the offending field. */
  private final String path;

  /**
   * Creates the exception.
   *
   * @param path the offending field path, {@code $} for the whole input
   * @param problem what is wrong with it, e.g. {@code "is required"}
   */
  public MalformedReferenceException(String path, String problem) {
    this(path, problem, null);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param path the offending field path, {@code $} for the whole input
   * @param problem what is wrong with it
   * @param cause the parser exception behind it, or {@code null}
   */
  public MalformedReferenceException(String path, String problem, @Nullable Throwable cause) {
    super("Malformed input at '" + path + "': " + problem, cause);
    this.path = path;
  }

  /**
   * The offending field path.
   *
   * @return e.g. {@code conversation.id}; {@code $} for the whole input
   */
  public String path() {
    return path;
  }
}
