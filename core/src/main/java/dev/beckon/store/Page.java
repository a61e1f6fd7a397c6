package dev.beckon.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * <p>A page may hold fewer items than the page size — even none — and still have a next cursor
 * (stores that filter after reading, such as scans with a TTL filter, do that). The listing is
 * complete only when {@link #next()} is {@code null}.
 *
 * <p>Rows of this page whose payload cannot be read are in {@link #unreadable()}, not in {@link
 * #items()} (a store may count them towards the page size). A listing goes on past them.
 *
 * @param items the references of this page
 * @param next the opaque cursor of the next page, or {@code null} when this is the last one
 * @param unreadable the rows of this page that matched the query but cannot be read, usually none
 */
public record Page(
    List<StoredReference> items, @Nullable String next, List<UnreadableReference> unreadable) {

  /**
   * Freezes the lists.
   *
   * @param items the references of this page
   * @param next the opaque cursor of the next page, or {@code null} when this is the last one
   * @param unreadable the rows of this page that matched the query but cannot be read, usually none
   */
  public Page {
    items = List.copyOf(items);
    unreadable = List.copyOf(unreadable);
  }

  /**
   * A page without unreadable rows.
   *
   * @param items the references of this page
   * @param next the cursor of the next page, or {@code null} when this is the last one
   */
  public Page(List<StoredReference> items, @Nullable String next) {
    this(items, next, List.of());
  }
}
