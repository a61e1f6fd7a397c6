package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.spring.boot.BeckonProperties;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.storage.redis.RedisDeliveryQueue;
import dev.beckon.store.ReferenceRepository;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The delivery queue and its worker, imported in this order by {@link BeckonAutoConfiguration}
 * after the stores: the first queue configuration that matches defines {@code beckonDeliveryQueue}
 * and the later ones back off. The queue borrows your client and never closes it; it exists
 * whenever its client does (a process without a worker schedules through it). The worker runs only
 * with {@code beckon.delivery.enabled=true}.
 */
final class DeliveryConfigurations {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryConfigurations.class);

  private DeliveryConfigurations() {}

  /** {@code JdbcDeliveryQueue} over your {@code DataSource}; the dialect is detected. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.beckon.storage.jdbc.JdbcDeliveryQueue")
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnMissingBean(DeliveryQueue.class)
  static class Jdbc {
    @Bean
    JdbcDeliveryQueue beckonDeliveryQueue(DataSource dataSource, BeckonProperties properties) {
      JdbcDeliveryQueue.Builder b = JdbcDeliveryQueue.builder(dataSource);
      String table = properties.getDelivery().getTable();
      if (table != null) {
        b.tableName(table);
      }
      JdbcDeliveryQueue queue = b.build();
      if (properties.getDelivery().isInitializeSchema()) {
        queue.createSchema();
      }
      LOG.info(
          "Beckon's delivery queue is table {} ({}) of your DataSource",
          queue.tableName(),
          queue.dialect());
      return queue;
    }
  }

  /** {@code RedisDeliveryQueue} (Redis Streams) over your Jedis {@code UnifiedJedis}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.beckon.storage.redis.RedisDeliveryQueue")
  @ConditionalOnSingleCandidate(type = "redis.clients.jedis.UnifiedJedis")
  @ConditionalOnMissingBean(DeliveryQueue.class)
  static class Redis {
    @Bean
    RedisDeliveryQueue beckonDeliveryQueue(
        redis.clients.jedis.UnifiedJedis redis, BeckonProperties properties) {
      RedisDeliveryQueue.Builder b = RedisDeliveryQueue.builder(redis);
      String prefix = properties.getDelivery().getPrefix();
      if (prefix != null) {
        b.keyPrefix(prefix);
      }
      RedisDeliveryQueue queue = b.build();
      LOG.info("Beckon's delivery queue is in Redis under {{}}", queue.hashTag());
      return queue;
    }
  }

  /** In memory, only for a worker of this process: no client bean was found. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(DeliveryQueue.class)
  @ConditionalOnProperty(prefix = "beckon.delivery", name = "enabled", havingValue = "true")
  static class Memory {
    @Bean
    InMemoryDeliveryQueue beckonDeliveryQueue() {
      LOG.warn(
          "Beckon's delivery queue is in memory: scheduled deliveries are NOT durable and are "
              + "lost on restart, and no other process sees them. Define a DataSource or "
              + "UnifiedJedis bean (with beckon-storage-jdbc or beckon-storage-redis), or a "
              + "DeliveryQueue bean of your own");
      return new InMemoryDeliveryQueue();
    }
  }

  /** The worker, with {@code beckon.delivery.enabled=true}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "beckon.delivery", name = "enabled", havingValue = "true")
  static class Worker {
    @Bean
    DeliveryWorkerLifecycle beckonDeliveryWorker(
        DeliveryQueue queue,
        ReferenceRepository references,
        Sender sender,
        BeckonProperties properties,
        ObjectProvider<BeckonDecorator> decorators) {
      return new DeliveryWorkerLifecycle(
          queue, references, sender, properties.getDelivery(), decorators.orderedStream().toList());
    }
  }
}
