package dev.beckon.storage.redis;

import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.ReferenceRepositoryContract;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.RedisClient;

/** The contract kit on a real Redis (scripts/test.sh starts one on 127.0.0.1:6379). */
class RedisReferenceRepositoryTest extends ReferenceRepositoryContract {

  static final RedisClient CLIENT = RedisServer.client();
  private final List<String> prefixes = new ArrayList<>();

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    String prefix = "beckon-test-" + UUID.randomUUID().toString().substring(0, 12);
    prefixes.add(prefix);
    return RedisReferenceRepository.builder(CLIENT).keyPrefix(prefix).options(options).build();
  }

  @AfterEach
  void dropTestKeys() {
    for (String p : prefixes) {
      RedisServer.deletePrefix(CLIENT, "{" + p + "}");
    }
    prefixes.clear();
  }

  @AfterAll
  static void close() {
    CLIENT.close();
  }
}
