package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.spring.boot.BeckonProperties;
import dev.beckon.storage.azuretable.AzureTableReferenceRepository;
import dev.beckon.storage.dynamodb.DynamoDbReferenceRepository;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.storage.redis.RedisReferenceRepository;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * One configuration per store, imported in this order by {@link BeckonAutoConfiguration}: the first
 * that matches defines {@code beckonReferenceRepository}, and each later one sees it and backs off.
 * Each needs its Beckon module on the classpath, exactly one client bean of yours, no {@link
 * ReferenceRepository} bean yet, and {@code beckon.store.type} AUTO or its own. The store borrows
 * your client (your pool, your credentials) and never closes it.
 */
final class StoreConfigurations {

  private static final Logger LOG = LoggerFactory.getLogger(StoreConfigurations.class);

  private StoreConfigurations() {}

  static StoreOptions options(BeckonProperties properties) {
    return StoreOptions.defaults().withTtl(properties.getStore().getTtl());
  }

  /** JDBC over your {@code DataSource}; the dialect is detected from the connection. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.beckon.storage.jdbc.JdbcReferenceRepository")
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnMissingBean(ReferenceRepository.class)
  @Conditional(StoreTypeCondition.Jdbc.class)
  static class Jdbc {
    @Bean
    JdbcReferenceRepository beckonReferenceRepository(
        DataSource dataSource, BeckonProperties properties) {
      JdbcReferenceRepository.Builder b =
          JdbcReferenceRepository.builder(dataSource).options(options(properties));
      String table = properties.getStore().getTable();
      if (table != null) {
        b.tableName(table);
      }
      JdbcReferenceRepository repository = b.build();
      if (properties.getStore().isInitializeSchema()) {
        repository.createSchema();
      }
      LOG.info(
          "Beckon keeps references in table {} ({}) of your DataSource",
          repository.tableName(),
          repository.dialect());
      return repository;
    }
  }

  /** Redis over your Jedis {@code UnifiedJedis} ({@code RedisClient}, a cluster client). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.beckon.storage.redis.RedisReferenceRepository")
  @ConditionalOnSingleCandidate(type = "redis.clients.jedis.UnifiedJedis")
  @ConditionalOnMissingBean(ReferenceRepository.class)
  @Conditional(StoreTypeCondition.Redis.class)
  static class Redis {
    @Bean
    RedisReferenceRepository beckonReferenceRepository(
        redis.clients.jedis.UnifiedJedis redis, BeckonProperties properties) {
      RedisReferenceRepository.Builder b =
          RedisReferenceRepository.builder(redis).options(options(properties));
      String prefix = properties.getStore().getPrefix();
      if (prefix != null) {
        b.keyPrefix(prefix);
      }
      RedisReferenceRepository repository = b.build();
      LOG.info("Beckon keeps references in Redis under {{}}", repository.hashTag());
      return repository;
    }
  }

  /** Azure Table over your {@code TableClient} (its table is the one the client names). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.beckon.storage.azuretable.AzureTableReferenceRepository")
  @ConditionalOnSingleCandidate(type = "com.azure.data.tables.TableClient")
  @ConditionalOnMissingBean(ReferenceRepository.class)
  @Conditional(StoreTypeCondition.AzureTable.class)
  static class AzureTable {
    @Bean
    AzureTableReferenceRepository beckonReferenceRepository(
        com.azure.data.tables.TableClient table, BeckonProperties properties) {
      AzureTableReferenceRepository repository =
          AzureTableReferenceRepository.builder(table).options(options(properties)).build();
      if (properties.getStore().isInitializeSchema()) {
        repository.createTable();
      }
      LOG.info("Beckon keeps references in Azure table {}", table.getTableName());
      return repository;
    }
  }

  /** DynamoDB over your {@code DynamoDbClient}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.beckon.storage.dynamodb.DynamoDbReferenceRepository")
  @ConditionalOnSingleCandidate(type = "software.amazon.awssdk.services.dynamodb.DynamoDbClient")
  @ConditionalOnMissingBean(ReferenceRepository.class)
  @Conditional(StoreTypeCondition.DynamoDb.class)
  static class DynamoDb {
    @Bean
    DynamoDbReferenceRepository beckonReferenceRepository(
        software.amazon.awssdk.services.dynamodb.DynamoDbClient client,
        BeckonProperties properties) {
      DynamoDbReferenceRepository.Builder b =
          DynamoDbReferenceRepository.builder(client).options(options(properties));
      String table = properties.getStore().getTable();
      if (table != null) {
        b.tableName(table);
      }
      DynamoDbReferenceRepository repository = b.build();
      if (properties.getStore().isInitializeSchema()) {
        repository.createTable();
      }
      LOG.info("Beckon keeps references in DynamoDB table {}", repository.tableName());
      return repository;
    }
  }

  /** In memory: no client bean was found (or {@code beckon.store.type=MEMORY}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(ReferenceRepository.class)
  @Conditional(StoreTypeCondition.Memory.class)
  static class Memory {
    @Bean
    InMemoryReferenceRepository beckonReferenceRepository(BeckonProperties properties) {
      LOG.warn(
          "Beckon keeps references in memory: they are NOT durable and are lost on restart, so "
              + "the bot cannot speak first after one. Define a DataSource, UnifiedJedis, "
              + "TableClient or DynamoDbClient bean (with its beckon-storage-* module), or a "
              + "ReferenceRepository bean of your own");
      return new InMemoryReferenceRepository(options(properties));
    }
  }

  /** {@code beckon.store.type} named a store that could not be built: fail with the reason. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(ReferenceRepository.class)
  @Conditional(StoreTypeCondition.Explicit.class)
  static class Missing {
    @Bean
    ReferenceRepository beckonReferenceRepository(BeckonProperties properties) {
      BeckonProperties.StoreType type = properties.getStore().getType();
      String needs =
          switch (type) {
            case JDBC -> "beckon-storage-jdbc and exactly one DataSource bean";
            case REDIS -> "beckon-storage-redis and exactly one UnifiedJedis bean";
            case AZURE_TABLE -> "beckon-storage-azure-table and exactly one TableClient bean";
            case DYNAMODB -> "beckon-storage-dynamodb and exactly one DynamoDbClient bean";
            case AUTO, MEMORY -> "nothing"; // never: the condition excludes them
          };
      throw new IllegalStateException(
          "beckon.store.type=" + type + " needs " + needs + " in the application context");
    }
  }
}
