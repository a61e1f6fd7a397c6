package dev.beckon.store.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A row as the backend returned it, not yet trusted: the base class checks its expiry, applies the
 * query's filters and reads its payload, and reports a row it cannot read as unreadable instead of
 * failing.
 *
 * @param keyHash the key hash the row is stored under
 * @param channelId the row's channel id field, or {@code null} when the store keeps none
 * @param conversationId the row's conversation id field, or {@code null} when the store keeps none
 * @param json the stored payload, or {@code null} when the row has none
 * @param version the stored version, or {@code null} when the row has none
 * @param expiresAtMillis the stored expiry in epoch milliseconds, 0 (or less) for never
 */
public record StoredRow(
    String keyHash,
    @Nullable String channelId,
    @Nullable String conversationId,
    @Nullable String json,
    @Nullable String version,
    long expiresAtMillis) {

  /**
   * Checks the key hash.
   *
   * @param keyHash the key hash the row is stored under
   * @param channelId the row's channel id field, or {@code null} when the store keeps none
   * @param conversationId the row's conversation id field, or {@code null} when the store keeps
   *     none
   * @param json the stored payload, or {@code null} when the row has none
   * @param version the stored version, or {@code null} when the row has none
   * @param expiresAtMillis the stored expiry in epoch milliseconds, 0 (or less) for never
   */
  public StoredRow {
    Objects.requireNonNull(keyHash, "keyHash");
  }

  /**
   * Whether the row is live at a time: it never expires, or expires after it.
   *
   * @param nowMillis the time, epoch milliseconds
   * @return whether it is live
   */
  public boolean liveAt(long nowMillis) {
    return expiresAtMillis <= 0 || nowMillis < expiresAtMillis;
  }
}
