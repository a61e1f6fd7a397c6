package dev.beckon.store;

import dev.beckon.BeckonException;
import dev.beckon.reference.ReferenceKey;

/**
 * A reference whose canonical JSON is larger than a store accepts ({@link
 * ReferenceDocument#MAX_JSON_BYTES} in every Beckon store, lower where a backend demands it).
 * Nothing was written.
 */
public class ReferenceTooLargeException extends BeckonException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param key the reference's key
   * @param size its size in bytes
   * @param limit the limit in bytes
   */
  public ReferenceTooLargeException(ReferenceKey key, long size, long limit) {
    super(
        "Reference for channel '"
            + key.channelId()
            + "' is "
            + size
            + " bytes of JSON; the limit is "
            + limit
            + " bytes (conversation '"
            + abbreviate(key.conversationId())
            + "')");
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
