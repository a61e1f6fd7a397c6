package dev.beckon.store.spi;

import dev.beckon.store.ReferenceDocument;
import java.util.Objects;

/**
 * One row to write: the document, the version token the base class chose for it, and when it
 * expires.
 *
 * @param document what to store: key hash, key fields, tenant, segment bucket and canonical JSON
 * @param version the new version token (opaque, 24 hex characters); store it as is
 * @param expiresAtMillis when the row expires in epoch milliseconds, or 0 for never
 * @param nowMillis the time of the write by the repository's clock; a row whose expiry is at or
 *     before it counts as absent
 */
public record RowWrite(
    ReferenceDocument document, String version, long expiresAtMillis, long nowMillis) {

  /**
   * Checks the parts.
   *
   * @param document what to store
   * @param version the new version token
   * @param expiresAtMillis when the row expires in epoch milliseconds, or 0 for never
   * @param nowMillis the time of the write by the repository's clock
   */
  public RowWrite {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(version, "version");
  }

  /**
   * Whether the row expires.
   *
   * @return {@code true} with a TTL
   */
  public boolean expires() {
    return expiresAtMillis > 0;
  }
}
