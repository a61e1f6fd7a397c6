package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The repository names its backend and key prefix, never the server or a password. */
class RedisToStringTest {

  @Test
  void toStringNamesTheBackendAndTheKeyPrefix() {
    try (RedisClient client = RedisServer.client()) {
      RedisReferenceRepository repo =
          RedisReferenceRepository.builder(client).keyPrefix("mybot").build();
      assertThat(repo).hasToString("RedisReferenceRepository[keys {mybot}:*]");
      assertThat(repo.toString())
          .doesNotContain(RedisServer.host())
          .doesNotContain(Integer.toString(RedisServer.port()));
    }
  }
}
