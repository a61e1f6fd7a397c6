package dev.beckon.spring.boot.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/** Reads a request body up to a limit, whatever its Content-Length says (or does not). */
final class BoundedBody {

  private BoundedBody() {}

  /**
   * Reads the whole stream if it holds at most {@code max} bytes; stops reading at {@code max + 1}.
   *
   * @return the bytes, or {@code null} when the stream holds more than {@code max}
   */
  static byte @Nullable [] read(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 16 * 1024));
    byte[] buf = new byte[8192];
    long total = 0;
    while (true) {
      int want = (int) Math.min(buf.length, (long) max + 1 - total);
      int n = in.read(buf, 0, want);
      if (n < 0) {
        return out.toByteArray();
      }
      total += n;
      if (total > max) {
        return null;
      }
      out.write(buf, 0, n);
    }
  }
}
