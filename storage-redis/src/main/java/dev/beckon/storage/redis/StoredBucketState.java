package dev.beckon.storage.redis;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.MathType;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.RemoteStat;
import io.github.bucket4j.distributed.serialization.DataOutputSerializationAdapter;
import io.github.bucket4j.distributed.serialization.InternalSerializationHelper;
import io.github.bucket4j.distributed.serialization.Scope;
import io.github.bucket4j.distributed.versioning.Version;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a bucket's stored state must look like before Bucket4j reads it: the key is hostile input
 * (anyone who can write the key can put anything in it), and Bucket4j's reader trusts the counts it
 * finds (a 12-byte state claiming two billion limits makes it allocate a two-billion-slot list) and
 * the configuration it finds (a stored capacity of a billion grants a billion sends).
 *
 * <p>A readable state is at most {@value #MAX_BYTES} bytes, exactly as long as the state this
 * limiter writes for these limits, byte for byte the same in its structure (Bucket4j's versions,
 * the limits themselves, the state's kind and sizes: everything but the numbers that change), with
 * every limit's tokens between 0 and its capacity and its last refill at most {@link #MAX_AHEAD} of
 * Bucket4j's clock ahead of this process's clock. Bucket4j then reads only fixed-width numbers.
 *
 * <p>The layout is learnt from Bucket4j itself (a state it serializes for these limits), so a
 * Bucket4j upgrade that changes it makes old states unreadable once (they are then deleted and
 * start full), never misread.
 */
final class StoredBucketState {

  /** The largest state read; a state of 1 to 8 limits is 107 to 604 bytes. */
  static final int MAX_BYTES = 4096;

  /** How far ahead of this process a stored last refill may be (clock skew between processes). */
  static final long MAX_AHEAD = TimeUnit.MINUTES.toNanos(10);

  /** A distinctive refill time for the template, to find where each limit's numbers start. */
  private static final long MARK = 0x0123456789ABCDEFL;

  private final BucketConfiguration config;
  private final long[] capacities;
  private final byte[] template;
  private final int structure;
  private final boolean refillTimesFound;

  /**
   * Learns what the states of one configuration look like.
   *
   * @param config the limits
   * @param version the serialization version the proxy manager writes
   */
  StoredBucketState(BucketConfiguration config, Version version) {
    this.config = config;
    Bandwidth[] limits = config.getBandwidths();
    this.capacities = new long[limits.length];
    for (int i = 0; i < limits.length; i++) {
      capacities[i] = limits[i].getCapacity();
    }
    BucketState fresh = BucketState.createInitialState(config, MathType.INTEGER_64_BITS, MARK);
    this.template =
        InternalSerializationHelper.serializeState(
            new RemoteBucketState(fresh, new RemoteStat(0), null), version);
    // the remote state's version, the configuration, then the state's kind, version, array length
    this.structure = 4 + configBytes(config, version) + 12;
    boolean found = structure + 24L * limits.length <= template.length;
    for (int i = 0; found && i < limits.length; i++) {
      found = refillTime(template, i) == MARK;
    }
    this.refillTimesFound = found;
  }

  /** {@return the configuration whose states these are} */
  BucketConfiguration config() {
    return config;
  }

  private static int configBytes(BucketConfiguration config, Version version) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BucketConfiguration.SERIALIZATION_HANDLE.serialize(
          DataOutputSerializationAdapter.INSTANCE,
          new DataOutputStream(bytes),
          config,
          version,
          Scope.PERSISTED_STATE);
      return bytes.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long refillTime(byte[] state, int limit) {
    return ByteBuffer.wrap(state).getLong(structure + 24 * limit);
  }

  /**
   * Why a stored state cannot be read, or {@code null} when it can.
   *
   * @param stored the bytes read (at most {@link #MAX_BYTES}, or the caller says how many there
   *     were)
   * @param nowNanos Bucket4j's clock now
   * @return the reason, in words, or {@code null}
   */
  @Nullable String problem(byte[] stored, long nowNanos) {
    if (stored.length > MAX_BYTES) {
      return "it holds " + stored.length + " bytes (at most " + MAX_BYTES + " are read)";
    }
    if (stored.length != template.length
        || !Arrays.equals(stored, 0, structure, template, 0, structure)) {
      return "its "
          + stored.length
          + " bytes are not a Bucket4j state of this limiter's limits ("
          + template.length
          + " bytes)";
    }
    RemoteBucketState state;
    try {
      state = InternalSerializationHelper.deserializeState(stored);
    } catch (RuntimeException e) {
      return "Bucket4j cannot read it: " + e;
    }
    for (int i = 0; i < capacities.length; i++) {
      long tokens = state.getState().getCurrentSize(i);
      if (tokens < 0 || tokens > capacities[i]) {
        return "limit " + i + " holds " + tokens + " tokens (capacity " + capacities[i] + ")";
      }
      if (refillTimesFound && refillTime(stored, i) - nowNanos > MAX_AHEAD) {
        return "limit " + i + " was last refilled in the future";
      }
    }
    return null;
  }

  /** A stored bucket failed {@link #problem}; the store deletes it and names it in its error. */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }
}
