package dev.beckon.broadcast;

import dev.beckon.reference.ReferenceKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** {@link SendLimiter#fleet}: a profile's limits held in shared {@link TokenBuckets}. */
final class FleetLimiter implements SendLimiter {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,12}");

  private final TokenBuckets buckets;
  private final String prefix;
  private final List<TokenBucket> conversation;
  private final List<TokenBucket> tenant;
  private final List<TokenBucket> global;

  FleetLimiter(TokenBuckets buckets, String prefix, RateProfile profile, double headroom) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix must be 1 to 12 characters of [A-Za-z0-9_-]");
    }
    this.buckets = buckets;
    this.prefix = prefix;
    List<TokenBucket> c = new ArrayList<>();
    for (RateLimit l : profile.perConversation()) {
      c.add(TokenBucket.of(l, headroom));
    }
    this.conversation = List.copyOf(c);
    this.tenant =
        profile.perTenant() == null
            ? List.of()
            : List.of(TokenBucket.of(profile.perTenant(), headroom));
    this.global =
        profile.global() == null ? List.of() : List.of(TokenBucket.of(profile.global(), headroom));
  }

  @Override
  public Duration tryAcquire(ReferenceKey to, @Nullable String tenantId) {
    List<String> names = new ArrayList<>(3);
    List<List<TokenBucket>> limits = new ArrayList<>(3);
    if (!conversation.isEmpty()) {
      names.add(prefix + ":c:" + to.hash());
      limits.add(conversation);
    }
    if (!tenant.isEmpty()) {
      names.add(prefix + ":t:" + sha256(tenantId == null ? "" : "t" + tenantId));
      limits.add(tenant);
    }
    if (!global.isEmpty()) {
      names.add(prefix + ":g");
      limits.add(global);
    }
    for (int i = 0; i < names.size(); i++) {
      long wait = buckets.tryTake(names.get(i), limits.get(i));
      if (wait > 0) {
        for (int j = 0; j < i; j++) {
          buckets.giveBack(names.get(j), limits.get(j));
        }
        return Duration.ofNanos(wait);
      }
    }
    return Duration.ZERO;
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  @Override
  public String toString() {
    return "SendLimiter.fleet[" + prefix + " on " + buckets + "]";
  }
}
