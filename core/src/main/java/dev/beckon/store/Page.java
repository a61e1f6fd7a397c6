package dev.beckon.store;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * <p>A page may hold fewer items than the page size — even none — and still have a next
 * cursor (stores that filter after reading, such as scans with a TTL filter, do that). The
 * listing is complete only when {@link #nextCursor()} is empty.
 *
 * @param items the references of this page
 * @param next the opaque cursor of the next page, or {@code null} when this is the last one
 */
public record Page(List<StoredReference> items, @Nullable String next) {

  /** Freezes the items. */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * Where the next page starts.
   *
   * @return the cursor to pass to {@link ListQuery#withCursor(String)}, or empty at the end
   */
  public Optional<String> nextCursor() {
    return Optional.ofNullable(next);
  }
}
