package dev.beckon.storage.dynamodb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The opaque listing cursor of {@link DynamoDbReferenceRepository}: which shard a channel listing
 * is in (or 0 for a scan) and DynamoDB's {@code LastEvaluatedKey} there, bound to the query that
 * produced it by a fingerprint, and sealed by a checksum so that a cursor this store never produced
 * is refused with {@link IllegalArgumentException} instead of being sent to DynamoDB.
 *
 * <p>Wire form: URL-safe Base64 (no padding) of {@code magic, mode, fingerprint, position, hasKey,
 * pk, sk} followed by the first 8 bytes of the SHA-256 of those bytes.
 *
 * @param mode {@code 'Q'} for a channel listing (Query per shard), {@code 'S'} for a Scan
 * @param fingerprint {@link #fingerprint} of the table and query the cursor belongs to
 * @param position the index of the shard being read (Query), 0 for a Scan
 * @param pk the partition key of the last evaluated item, or {@code null} to start the shard
 * @param sk the sort key of the last evaluated item, or {@code null} with {@code pk}
 */
record ListCursor(
    char mode, long fingerprint, int position, @Nullable String pk, @Nullable String sk) {

  private static final int MAGIC = 0x42444231; // "BDB1"
  private static final int CHECKSUM_BYTES = 8;

  /**
   * Checks the parts.
   *
   * @param mode {@code 'Q'} for a channel listing (Query per shard), {@code 'S'} for a Scan
   * @param fingerprint {@link #fingerprint} of the table and query the cursor belongs to
   * @param position the index of the shard being read (Query), 0 for a Scan
   * @param pk the partition key of the last evaluated item, or {@code null} to start the shard
   * @param sk the sort key of the last evaluated item, or {@code null} with {@code pk}
   */
  ListCursor {
    if (mode != 'Q' && mode != 'S') {
      throw new IllegalArgumentException("mode must be Q or S");
    }
    if ((pk == null) != (sk == null)) {
      throw new IllegalArgumentException("pk and sk go together");
    }
  }

  /**
   * Whether the cursor carries a DynamoDB start key.
   *
   * @return {@code true} when {@link #pk()} and {@link #sk()} are set
   */
  boolean hasStartKey() {
    return pk != null;
  }

  /**
   * Encodes the cursor.
   *
   * @return URL-safe text
   */
  String encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeByte(mode);
      out.writeLong(fingerprint);
      out.writeInt(position);
      out.writeBoolean(pk != null);
      if (pk != null) {
        out.writeUTF(pk);
        out.writeUTF(sk);
      }
      out.flush();
      byte[] payload = bytes.toByteArray();
      byte[] sealed = Arrays.copyOf(payload, payload.length + CHECKSUM_BYTES);
      System.arraycopy(sha256(payload), 0, sealed, payload.length, CHECKSUM_BYTES);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream failed", e);
    }
  }

  /**
   * Decodes and validates a cursor for a query.
   *
   * @param text the cursor text
   * @param expectedMode the mode of the query
   * @param expectedFingerprint the fingerprint of the query
   * @param positions how many positions the query has
   * @return the cursor
   * @throws IllegalArgumentException when the text is not a cursor of this store for this query
   */
  static ListCursor decode(
      String text, char expectedMode, long expectedFingerprint, int positions) {
    byte[] sealed;
    try {
      sealed = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid("it is not a cursor of this store");
    }
    if (sealed.length < 4 + 1 + 8 + 4 + 1 + CHECKSUM_BYTES) {
      throw invalid("it is not a cursor of this store");
    }
    byte[] payload = Arrays.copyOf(sealed, sealed.length - CHECKSUM_BYTES);
    byte[] sum = Arrays.copyOfRange(sealed, payload.length, sealed.length);
    if (!MessageDigest.isEqual(sum, Arrays.copyOf(sha256(payload), CHECKSUM_BYTES))) {
      throw invalid("it is not a cursor of this store (checksum mismatch)");
    }
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
      if (in.readInt() != MAGIC) {
        throw invalid("it is not a cursor of this store");
      }
      char mode = (char) in.readByte();
      long fingerprint = in.readLong();
      int position = in.readInt();
      String pk = null;
      String sk = null;
      if (in.readBoolean()) {
        pk = in.readUTF();
        sk = in.readUTF();
      }
      if (in.available() != 0) {
        throw invalid("it is not a cursor of this store");
      }
      if (mode != expectedMode || fingerprint != expectedFingerprint) {
        throw invalid(
            "it belongs to another table or another query (channel, tenant or segment differ)");
      }
      if (position < 0 || position >= positions) {
        throw invalid("its position is out of range");
      }
      return new ListCursor(mode, fingerprint, position, pk, sk);
    } catch (IOException e) {
      throw invalid("it is truncated");
    }
  }

  /**
   * The fingerprint binding a cursor to its table and query.
   *
   * @param parts table name, mode, filters and segment, in a fixed order
   * @return the first 8 bytes of their SHA-256
   */
  static long fingerprint(@Nullable Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      String s = String.valueOf(p);
      sb.append(s.length()).append(':').append(s).append('|');
    }
    byte[] d = sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v;
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(
        "Invalid listing cursor for the DynamoDB reference store: "
            + why
            + ". Pass back exactly the cursor of the previous page of the same query.");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
