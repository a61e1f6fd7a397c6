package dev.beckon.cli;

import dev.beckon.codec.CompactReference;
import dev.beckon.codec.MalformedReferenceException;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.codec.ResumptionCookies;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.ReferenceTooLargeException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One line of an import file turned into a reference, or into a clear per-line error: the unit
 * {@code beckon import} validates a whole file with before it writes anything.
 *
 * <p>A line is accepted only if a store would accept its reference too: it must decode ({@link
 * ReferenceJson}, {@link ResumptionCookies} or {@link CompactReference}) and its canonical JSON
 * must fit {@link ReferenceDocument#MAX_JSON_BYTES} (checked by {@link ReferenceDocument#of}, the
 * check every store's write makes).
 *
 * <p>{@link Reader} splits the file into lines: UTF-8 only (a byte sequence that is not UTF-8 is an
 * error naming the line and byte, never a U+FFFD), an optional UTF-8 byte order mark at the start,
 * {@code \n} or {@code \r\n} line ends, at most {@link #MAX_LINE_BYTES} bytes per line (a longer
 * line is an error, read no further than the limit, so memory stays bounded).
 */
final class ImportLine {

  /** The longest line accepted, in bytes without its line end: 1 MiB. */
  static final int MAX_LINE_BYTES = 1024 * 1024;

  private ImportLine() {}

  /** What a file holds, as {@code --format} says. */
  enum Format {
    /**
     * Detect per line: {@code b1.} compact, a v3 cookie (has {@code "address"}), else a v4
     * reference.
     */
    AUTO,
    /** v3 ResumptionCookies only. */
    V3,
    /** botbuilder v4 ConversationReference JSON only. */
    REFERENCE,
    /** Beckon's compact form ({@code b1.…}) only. */
    COMPACT,
    /**
     * Not lines: the Agents SDK's stored Proactive conversations, the whole file ({@code
     * state.json} of a FileStorage, a storage dump or an array of items; {@link
     * dev.beckon.codec.AgentsConversations}).
     */
    AGENTS;

    /** The {@code --format} value, e.g. {@code auto}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a line was. */
  enum Kind {
    /** A v3 ResumptionCookie. */
    V3,
    /** A v4 ConversationReference. */
    REFERENCE,
    /** A compact reference. */
    COMPACT
  }

  /**
   * A line's reference.
   *
   * @param reference the reference
   * @param kind what the line was
   */
  record Parsed(ConversationReference reference, Kind kind) {}

  /** Why a line (or the file at a line) cannot be imported; the message does not name the line. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /**
   * Parses one line (without its line end).
   *
   * @param line the line, not blank
   * @param format what the file holds
   * @return the reference
   * @throws Invalid when the line is not a reference of the format, or too large to store
   */
  static Parsed parse(String line, Format format) throws Invalid {
    String s = line.strip();
    Kind kind =
        switch (format) {
          case V3 -> Kind.V3;
          case REFERENCE -> Kind.REFERENCE;
          case COMPACT -> Kind.COMPACT;
          case AGENTS -> throw new Invalid("--format agents reads the whole file, not lines");
          case AUTO ->
              s.startsWith(CompactReference.PREFIX)
                  ? Kind.COMPACT
                  : s.contains("\"address\"") || s.contains("\"Address\"")
                      ? Kind.V3
                      : Kind.REFERENCE;
        };
    ConversationReference r;
    try {
      r =
          switch (kind) {
            case V3 -> ResumptionCookies.read(s);
            case REFERENCE -> ReferenceJson.read(s);
            case COMPACT -> CompactReference.decode(s);
          };
      ReferenceDocument.of(r);
    } catch (MalformedReferenceException | ReferenceTooLargeException e) {
      throw new Invalid(e.getMessage());
    } catch (IllegalArgumentException e) {
      // ReferenceKey.of's documented refusal of an id (blank, too long, not well-formed)
      throw new Invalid("not a valid reference: " + e.getMessage());
    }
    return new Parsed(r, kind);
  }

  /** The lines of an import file, checked as the class says. Not thread-safe. */
  static final class Reader implements AutoCloseable {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final InputStream in;
    private final int maxLineBytes;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buf = new byte[8192];
    private long number;
    private boolean end;

    /**
     * Reads lines of at most {@link #MAX_LINE_BYTES}.
     *
     * @param in the file's bytes (closed by {@link #close})
     */
    Reader(InputStream in) {
      this(in, MAX_LINE_BYTES);
    }

    Reader(InputStream in, int maxLineBytes) {
      this.in = new BufferedInputStream(in, 65_536);
      this.maxLineBytes = maxLineBytes;
    }

    /**
     * The number of the line {@link #next} returned last (the first line is 1).
     *
     * @return the line number
     */
    long number() {
      return number;
    }

    /**
     * The next line, without its line end ({@code \n} or {@code \r\n}).
     *
     * @return the line, or {@code null} at the end of the file
     * @throws Invalid when the line is longer than the limit or not UTF-8 ({@link #number} names
     *     it)
     * @throws IOException when the file cannot be read
     */
    @Nullable String next() throws Invalid, IOException {
      if (end) {
        return null;
      }
      int len = 0;
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        if (len == maxLineBytes) {
          number++;
          end = true;
          throw new Invalid(
              "the line is longer than " + maxLineBytes + " bytes, the limit of one line");
        }
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(maxLineBytes, 2L * buf.length));
        }
        buf[len++] = (byte) b;
      }
      if (b < 0) {
        end = true;
        if (len == 0) {
          return null;
        }
      }
      number++;
      int start = 0;
      if (len >= 3 && Arrays.equals(buf, 0, 3, BOM, 0, 3)) {
        if (number > 1) {
          // the decoders skip one leading BOM of any text, so the file reader is where a stray one
          // is refused
          throw new Invalid(
              "a byte order mark (EF BB BF) is allowed only at the start of the file");
        }
        start = 3;
      }
      if (len > start && buf[len - 1] == '\r') {
        len--;
      }
      return decode(start, len);
    }

    private String decode(int start, int len) throws Invalid {
      ByteBuffer bytes = ByteBuffer.wrap(buf, start, len - start);
      CharBuffer chars = CharBuffer.allocate(len - start);
      decoder.reset();
      CoderResult r = decoder.decode(bytes, chars, true);
      if (!r.isError()) {
        r = decoder.flush(chars);
      }
      if (r.isError()) {
        throw new Invalid(
            "not valid UTF-8 at byte "
                + (bytes.position() - start + 1)
                + " of the line (0x"
                + String.format(Locale.ROOT, "%02X", buf[bytes.position()] & 0xff)
                + "): the file must be UTF-8; convert it first, e.g. iconv -f latin1 -t utf-8");
      }
      chars.flip();
      return chars.toString();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
