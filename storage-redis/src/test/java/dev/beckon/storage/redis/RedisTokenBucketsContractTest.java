package dev.beckon.storage.redis;

import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.testkit.TokenBucketsContract;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.RedisClient;

/** The token-bucket contract kit against the real Redis; every test's keys under its prefix. */
class RedisTokenBucketsContractTest extends TokenBucketsContract {

  private static final RedisClient REDIS = RedisServer.client();

  @AfterEach
  void clean() {
    RedisServer.deletePrefix(REDIS, prefix());
  }

  @Override
  protected TokenBuckets createBuckets() {
    return RedisTokenBuckets.over(REDIS);
  }

  @Override
  protected TokenBuckets sameStore(TokenBuckets buckets) {
    return RedisTokenBuckets.over(REDIS);
  }

  @Override
  protected Optional<byte[]> readState(TokenBuckets buckets, String name) {
    return Optional.ofNullable(REDIS.get(name.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  protected void writeState(TokenBuckets buckets, String name, byte[] state) {
    REDIS.set(name.getBytes(StandardCharsets.UTF_8), state);
  }
}
