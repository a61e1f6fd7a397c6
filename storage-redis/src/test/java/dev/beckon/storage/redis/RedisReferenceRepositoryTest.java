package dev.beckon.storage.redis;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.StoredPayloadContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** The contract kit on a real Redis (scripts/test.sh starts one on 127.0.0.1:6379). */
class RedisReferenceRepositoryTest extends StoredPayloadContract {

  static final RedisClient CLIENT = RedisServer.client();
  private final List<String> prefixes = new ArrayList<>();
  private final List<RedisClient> unreachable = new ArrayList<>();

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    String prefix = "beckon-test-" + UUID.randomUUID().toString().substring(0, 12);
    prefixes.add(prefix);
    return RedisReferenceRepository.builder(CLIENT).keyPrefix(prefix).options(options).build();
  }

  @Override
  protected void writeRawPayload(ReferenceKey key, String payload) {
    String value = ((RedisReferenceRepository) repository).hashTag() + ":r:" + key.hash();
    if (!CLIENT.exists(value)) {
      throw new IllegalStateException("no row for " + key);
    }
    CLIENT.hset(value, "j", payload);
  }

  @Override
  protected String readRawPayload(ReferenceKey key) {
    String value =
        CLIENT.hget(((RedisReferenceRepository) repository).hashTag() + ":r:" + key.hash(), "j");
    if (value == null) {
      throw new IllegalStateException("no row for " + key);
    }
    return value;
  }

  /** A key prefix needs no setup. */
  @Override
  protected Optional<ReferenceRepository> createRepositoryWithoutTable() {
    return Optional.empty();
  }

  @Override
  protected ReferenceRepository createUnreachableRepository(Duration timeout) {
    int millis = Math.toIntExact(timeout.toMillis());
    RedisClient down =
        RedisClient.builder()
            .hostAndPort("127.0.0.1", closedLoopbackPort())
            .clientConfig(
                DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(millis)
                    .socketTimeoutMillis(millis)
                    .build())
            .build();
    unreachable.add(down);
    return RedisReferenceRepository.builder(down).keyPrefix("beckon-unreachable").build();
  }

  @AfterEach
  void dropTestKeys() {
    for (String p : prefixes) {
      RedisServer.deletePrefix(CLIENT, "{" + p + "}");
    }
    prefixes.clear();
    unreachable.forEach(RedisClient::close);
    unreachable.clear();
  }

  @AfterAll
  static void close() {
    CLIENT.close();
  }
}
