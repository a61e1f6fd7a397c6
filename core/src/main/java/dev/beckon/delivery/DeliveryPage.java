package dev.beckon.delivery;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@link DeliveryQueue#list}: the deliveries, how many stored rows were skipped as
 * unreadable, and the cursor of the next page.
 *
 * @param items the deliveries of this page, in the queue's listing order (perhaps fewer than asked
 *     for, even when there is a next page: a backend bounds the work of one page)
 * @param unreadable how many stored rows of this page were skipped because they cannot be read
 *     (their keys' statuses raise; nothing else is affected)
 * @param next the cursor to pass to {@link DeliveryQueue#list} for the next page, or {@code null}
 *     when this is the last one
 */
public record DeliveryPage(List<DeliveryStatus> items, int unreadable, @Nullable String next) {

  /**
   * Copies the items.
   *
   * @param items the deliveries
   * @param unreadable rows skipped, zero or more
   * @param next the next page's cursor, or {@code null}
   */
  public DeliveryPage {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
    if (unreadable < 0) {
      throw new IllegalArgumentException("unreadable must not be negative but was " + unreadable);
    }
  }
}
