package dev.beckon.ratelimit.bucket4j;

import dev.beckon.broadcast.TokenBucket;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.ConfigurationBuilder;
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
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a bucket's stored state must look like before Bucket4j reads it: the stored value is hostile
 * input (anyone who can write the store can put anything in it), and Bucket4j's reader trusts the
 * counts it finds (a 12-byte state claiming two billion limits makes it allocate a two-billion-slot
 * list) and the configuration it finds (a stored capacity of a billion grants a billion sends).
 *
 * <p>A readable state is at most {@link Bucket4jTokenBuckets#MAX_STATE_BYTES} bytes, exactly as
 * long as the state this limiter writes for these limits, byte for byte the same in its structure
 * (Bucket4j's versions, the limits themselves, the state's kind and sizes: everything but the
 * numbers that change), with every limit's tokens between 0 and its capacity, its refill remainder
 * between 0 and its refill period, its last refill at most {@link Bucket4jTokenBuckets#CLOCK_SKEW}
 * of Bucket4j's clock ahead of this process's clock, and full again once its slowest limit has
 * refilled from empty, plus that skew (so no rounding remainder keeps it from refilling). Bucket4j
 * then reads only fixed-width numbers.
 *
 * <p>The layout is learnt from Bucket4j itself (a state it serializes for these limits), so a
 * Bucket4j upgrade that changes it makes old states unreadable once (they are then deleted and
 * start full), never misread.
 */
final class StoredBucketState {

  private static final int MAX_BYTES = Bucket4jTokenBuckets.MAX_STATE_BYTES;
  private static final long MAX_AHEAD = Bucket4jTokenBuckets.CLOCK_SKEW.toNanos();

  /** A distinctive refill time for the template, to find where each limit's numbers start. */
  private static final long MARK = 0x0123456789ABCDEFL;

  private final BucketConfiguration config;
  private final long[] capacities;
  private final long[] periods;
  private final long fullNanos;
  private final byte[] template;
  private final int structure;
  private final boolean refillTimesFound;

  /**
   * Learns what the states of one list of limits look like.
   *
   * @param limits the limits
   * @param version the serialization version the proxy manager writes
   */
  StoredBucketState(List<TokenBucket> limits, Version version) {
    ConfigurationBuilder b = BucketConfiguration.builder();
    long full = 0;
    this.capacities = new long[limits.size()];
    this.periods = new long[limits.size()];
    for (int i = 0; i < limits.size(); i++) {
      TokenBucket t = limits.get(i);
      b.addLimit(
          BandwidthBuilder.builder()
              .capacity(t.capacity())
              .refillGreedy(t.refillTokens(), t.refillPeriod())
              .build());
      capacities[i] = t.capacity();
      periods[i] = t.refillPeriod().toNanos();
      // capacity * period / refill, rounded up, saturated
      double nanos =
          Math.ceil((double) t.capacity() * t.refillPeriod().toNanos() / t.refillTokens());
      full = Math.max(full, nanos >= Long.MAX_VALUE / 4.0 ? Long.MAX_VALUE / 4 : (long) nanos);
    }
    this.config = b.build();
    this.fullNanos = full + 1_000_000;
    BucketState fresh = BucketState.createInitialState(config, MathType.INTEGER_64_BITS, MARK);
    this.template =
        InternalSerializationHelper.serializeState(
            new RemoteBucketState(fresh, new RemoteStat(0), null), version);
    // the remote state's version, the configuration, then the state's kind, version, array length
    this.structure = 4 + configBytes(config, version) + 12;
    boolean found = structure + 24L * capacities.length <= template.length;
    for (int i = 0; found && i < capacities.length; i++) {
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
   * Why a stored state cannot be read, or {@code null} when it can. Never throws.
   *
   * @param stored the bytes read
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
      long remainder = state.getState().getRoundingError(i);
      if (remainder < 0 || remainder >= periods[i]) {
        return "limit "
            + i
            + " has a refill remainder of "
            + remainder
            + " ns (period "
            + periods[i]
            + ")";
      }
    }
    try {
      BucketState later = state.copyBucketState();
      later.refillAllBandwidth(saturatedAdd(nowNanos, fullNanos + MAX_AHEAD));
      for (int i = 0; i < capacities.length; i++) {
        if (later.getCurrentSize(i) != capacities[i]) {
          return "limit " + i + " does not refill to its capacity";
        }
      }
    } catch (RuntimeException e) {
      return "limit does not refill: " + e;
    }
    return null;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /** A stored bucket failed {@link #problem}: the bucket is deleted and named in the error. */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }
}
