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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The contract kit on a real Redis: the single node on 127.0.0.1:6379 and the 3-master cluster on
 * 127.0.0.1:7101-7103 (scripts/test.sh starts both).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTopology.class)
class RedisReferenceRepositoryTest extends StoredPayloadContract {

  private final UnifiedJedis client;
  private final RedisTopology topology;
  private final List<String> prefixes = new ArrayList<>();
  private final List<RedisClient> unreachable = new ArrayList<>();

  RedisReferenceRepositoryTest(RedisTopology topology) {
    this.client = topology.client();
    this.topology = topology;
  }

  /**
   * 10,000 on the cluster instead of 100,000: a store's keys share one hash tag, so they live in
   * one slot of one master and the cluster run pages exactly as the single node does; the
   * single-node run keeps the full volume. This keeps the cluster run's added time near 10 s.
   */
  @Override
  protected int streamVolume() {
    return topology == RedisTopology.CLUSTER ? 10_000 : super.streamVolume();
  }

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    String prefix = "beckon-test-" + UUID.randomUUID().toString().substring(0, 12);
    prefixes.add(prefix);
    return RedisReferenceRepository.builder(client).keyPrefix(prefix).options(options).build();
  }

  @Override
  protected void writeRawPayload(ReferenceKey key, String payload) {
    String value = ((RedisReferenceRepository) repository).hashTag() + ":r:" + key.hash();
    if (!client.exists(value)) {
      throw new IllegalStateException("no row for " + key);
    }
    client.hset(value, "j", payload);
  }

  @Override
  protected String readRawPayload(ReferenceKey key) {
    String value =
        client.hget(((RedisReferenceRepository) repository).hashTag() + ":r:" + key.hash(), "j");
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
      RedisTopology.deleteTag(client, "{" + p + "}");
    }
    prefixes.clear();
    unreachable.forEach(RedisClient::close);
    unreachable.clear();
  }
}
