package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The endpoint's body reader, over any body, limit and chunking a client or a proxy may produce: it
 * returns the body exactly when it fits, refuses it otherwise, and never reads more than one byte
 * past the limit.
 */
class BoundedBodyPropertyTest {

  /** Hands out at most {@code chunk} bytes per read and counts what was taken. */
  static final class Chunked extends InputStream {
    private final ByteArrayInputStream in;
    private final int chunk;
    long consumed;

    Chunked(byte[] body, int chunk) {
      this.in = new ByteArrayInputStream(body);
      this.chunk = chunk;
    }

    @Override
    public int read() {
      int b = in.read();
      if (b >= 0) {
        consumed++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = in.read(b, off, Math.min(len, chunk));
      if (n > 0) {
        consumed += n;
      }
      return n;
    }
  }

  @Property(tries = 300)
  void returnsTheBodyIffItFitsAndReadsAtMostOneBytePastTheLimit(
      @ForAll @Size(max = 20_000) byte[] body,
      @ForAll @IntRange(min = 1, max = 16_384) int max,
      @ForAll @IntRange(min = 1, max = 10_000) int chunk)
      throws IOException {
    Chunked in = new Chunked(body, chunk);

    byte[] read = BoundedBody.read(in, max);

    if (body.length <= max) {
      assertThat(read).isEqualTo(body);
    } else {
      assertThat(read).isNull();
    }
    assertThat(in.consumed).isLessThanOrEqualTo((long) max + 1);
  }
}
