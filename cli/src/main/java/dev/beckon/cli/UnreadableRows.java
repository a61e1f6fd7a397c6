package dev.beckon.cli;

import dev.beckon.store.UnreadableReference;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Reports the stored rows that {@code refs list}, {@code export} and {@code migrate} skip because
 * they cannot be read: one warning line each on stderr (key and reason), and a count for the
 * summary. The command still exits 0: everything readable was processed, and the warnings name the
 * rows to repair (save a good reference under the key) or delete ({@code refs delete}).
 */
final class UnreadableRows implements Consumer<UnreadableReference> {

  private final PrintWriter err;
  private long count;

  UnreadableRows(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void accept(UnreadableReference u) {
    count++;
    err.println(
        "warning: skipped an unreadable stored reference (" + u.describe() + "): " + u.reason());
  }

  /**
   * The count for a summary line.
   *
   * @param what what happened to them, e.g. {@code skipped}
   * @return empty when none, else {@code ", N unreadable row(s) <what> (see the warnings)"}
   */
  String summary(String what) {
    return count == 0 ? "" : ", " + count + " unreadable row(s) " + what + " (see the warnings)";
  }
}
