package dev.beckon.codec;

import dev.beckon.reference.ConversationReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The compact form of a reference, for cookies, queue messages and URL parameters: {@code "b1." +
 * base64url(gzip(canonical JSON))}, without padding, URL- and cookie-safe.
 *
 * <p>The {@code b1.} prefix is a version marker: every later Beckon release reads {@code b1}
 * values. Decoding is bounded (at most {@value #MAX_DECODED_BYTES} bytes after decompression, so a
 * "zip bomb" is refused, and the decompressed bytes are read only up to that bound) and every
 * failure is a {@link MalformedReferenceException}. Decoding accepts what {@link #encode} writes,
 * with or without {@code =} padding and surrounding whitespace; the standard base64 alphabet
 * ({@code +}, {@code /}) and line breaks inside are refused. The JSON inside follows the rules of
 * {@link ReferenceJson#read(byte[])}. Thread-safe.
 *
 * <pre>{@code
 * String token = CompactReference.encode(ref);   // "b1.H4sIAAAAAAAA…"
 * ConversationReference back = CompactReference.decode(token);
 * }</pre>
 */
public final class CompactReference {

  /** The version marker every compact value starts with. */
  public static final String PREFIX = "b1.";

  /** Largest decompressed payload accepted, in bytes. */
  public static final int MAX_DECODED_BYTES = 1024 * 1024;

  private static final int MAX_ENCODED_LENGTH = 2 * MAX_DECODED_BYTES;

  private CompactReference() {}

  /**
   * Encodes a reference.
   *
   * @param reference the reference
   * @return {@code b1.} followed by base64url characters
   */
  public static String encode(ConversationReference reference) {
    byte[] json = ReferenceJson.writeBytes(reference);
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 32);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
  }

  /**
   * Decodes a compact value.
   *
   * @param compact the value from {@link #encode}
   * @return the reference
   * @throws MalformedReferenceException when the value is not a compact reference of a version this
   *     release reads, is corrupt, or decompresses to more than {@value #MAX_DECODED_BYTES} bytes
   */
  public static ConversationReference decode(String compact) {
    if (compact == null) {
      throw new MalformedReferenceException("$", "input is null");
    }
    String s = compact.strip();
    if (!s.startsWith(PREFIX)) {
      throw new MalformedReferenceException(
          "$", "not a compact reference: it must start with '" + PREFIX + "'");
    }
    if (s.length() > MAX_ENCODED_LENGTH) {
      throw new MalformedReferenceException(
          "$", "compact reference is too long: " + s.length() + " characters");
    }
    byte[] gz;
    try {
      gz = Base64.getUrlDecoder().decode(s.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new MalformedReferenceException("$", "not base64url after '" + PREFIX + "'", e);
    }
    return ReferenceJson.read(gunzip(gz, MAX_DECODED_BYTES));
  }

  static byte[] gunzip(byte[] gz, int limit) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, gz.length * 4 + 64));
      byte[] buf = new byte[8192];
      int total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          throw new MalformedReferenceException(
              "$", "decompresses to more than " + limit + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (ZipException | java.io.EOFException e) {
      throw new MalformedReferenceException("$", "corrupt gzip data", e);
    } catch (IOException e) {
      throw new MalformedReferenceException("$", "unreadable gzip data", e);
    }
  }
}
