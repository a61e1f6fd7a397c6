package dev.beckon.delivery.memory;

import dev.beckon.delivery.spi.AbstractDeliveryQueue;
import dev.beckon.delivery.spi.Claim;
import dev.beckon.delivery.spi.ClaimedRow;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.delivery.spi.RowCounts;
import dev.beckon.delivery.spi.RowPage;
import dev.beckon.delivery.spi.RowUpdate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A delivery queue held in this process's memory: for tests, demos and single-process tools. It
 * keeps every semantic of {@link dev.beckon.delivery.DeliveryQueue} (it passes the queue contract
 * kit) but nothing survives the process, and workers of other processes cannot share it.
 * Thread-safe; each operation holds one lock.
 *
 * <pre>{@code
 * DeliveryQueue queue = new InMemoryDeliveryQueue();
 * }</pre>
 */
public final class InMemoryDeliveryQueue extends AbstractDeliveryQueue {

  private final TreeMap<String, QueueRow> rows = new TreeMap<>();

  /** An empty queue on the system clock. */
  public InMemoryDeliveryQueue() {
    this(Clock.systemUTC());
  }

  /**
   * An empty queue on a clock of your own (a test's).
   *
   * @param clock the queue's time
   */
  public InMemoryDeliveryQueue(Clock clock) {
    super(clock);
  }

  /**
   * Stores a row as given, bypassing every check: for tests of unreadable rows.
   *
   * @param row the raw row
   */
  public synchronized void putRaw(QueueRow row) {
    rows.put(row.keyHash(), row);
  }

  @Override
  protected synchronized boolean insert(QueueRow row) {
    return rows.putIfAbsent(row.keyHash(), row) == null;
  }

  @Override
  protected synchronized Optional<QueueRow> read(String keyHash) {
    return Optional.ofNullable(rows.get(keyHash));
  }

  @Override
  protected synchronized List<ClaimedRow> claimRows(Claim claim) {
    List<QueueRow> due = new ArrayList<>();
    for (QueueRow r : rows.values()) {
      boolean free = r.leaseToken() == null || r.leaseUntil() <= claim.nowMillis();
      if ("PENDING".equals(r.state()) && r.notBefore() <= claim.nowMillis() && free) {
        due.add(r);
      }
    }
    due.sort(Comparator.comparingLong(QueueRow::notBefore).thenComparing(QueueRow::keyHash));
    List<ClaimedRow> out = new ArrayList<>();
    for (QueueRow r : due.subList(0, Math.min(claim.limit(), due.size()))) {
      rows.put(
          r.keyHash(),
          new QueueRow(
              r.keyHash(),
              r.deliveryKey(),
              r.channelId(),
              r.conversationId(),
              r.payload(),
              r.state(),
              r.attempts(),
              r.notBefore(),
              r.firstDue(),
              r.createdAt(),
              claim.nowMillis(),
              claim.token(),
              claim.leaseUntilMillis(),
              r.lastOutcome(),
              r.activityId()));
      out.add(new ClaimedRow(r, claim.token(), r.leaseToken() != null));
    }
    return out;
  }

  @Override
  protected synchronized Optional<RowCounts> countRows(long nowMillis) {
    long pending = 0;
    long dead = 0;
    long oldest = Long.MAX_VALUE;
    for (QueueRow r : rows.values()) {
      if ("PENDING".equals(r.state())) {
        pending++;
        boolean free = r.leaseToken() == null || r.leaseUntil() <= nowMillis;
        if (free && r.notBefore() <= nowMillis) {
          oldest = Math.min(oldest, r.notBefore());
        }
      } else if ("DEAD".equals(r.state())) {
        dead++;
      }
    }
    return Optional.of(new RowCounts(pending, dead, oldest));
  }

  @Override
  protected synchronized boolean update(RowUpdate change) {
    QueueRow r = rows.get(change.keyHash());
    if (r == null || !change.appliesTo(r)) {
      return false;
    }
    rows.put(
        r.keyHash(),
        new QueueRow(
            r.keyHash(),
            r.deliveryKey(),
            r.channelId(),
            r.conversationId(),
            r.payload(),
            change.state(),
            change.attempts() == RowUpdate.KEEP_ATTEMPTS ? r.attempts() : change.attempts(),
            change.notBefore(),
            r.firstDue(),
            r.createdAt(),
            change.nowMillis(),
            null,
            0,
            change.lastOutcome() == null ? r.lastOutcome() : change.lastOutcome(),
            change.activityId() == null ? r.activityId() : change.activityId()));
    return true;
  }

  @Override
  protected synchronized int purgeRows(long beforeMillis, int limit) {
    int n = 0;
    var it = rows.values().iterator();
    while (it.hasNext() && n < limit) {
      QueueRow r = it.next();
      if (!"PENDING".equals(r.state()) && r.updatedAt() < beforeMillis) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  @Override
  protected synchronized RowPage listRows(
      @Nullable String state, @Nullable String afterKeyHash, int limit) {
    List<QueueRow> out = new ArrayList<>();
    var tail = afterKeyHash == null ? rows.values() : rows.tailMap(afterKeyHash, false).values();
    for (QueueRow r : tail) {
      if (state == null || state.equals(r.state())) {
        out.add(r);
        if (out.size() == limit) {
          return new RowPage(out, r.keyHash());
        }
      }
    }
    return new RowPage(out, null);
  }

  @Override
  protected String location() {
    return "memory";
  }
}
