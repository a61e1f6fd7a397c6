package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import dev.beckon.reference.ConversationReference;
import dev.beckon.spring.boot.BroadcastFactory;
import dev.beckon.storage.azuretable.AzureTableReferenceRepository;
import dev.beckon.storage.dynamodb.DynamoDbReferenceRepository;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.storage.redis.RedisReferenceRepository;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import java.net.URI;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Which store the auto-configuration builds from which bean of the user's: each client bean, the
 * order between them, beckon.store.type, the user's own repository, a missing module. Real clients
 * on loopback (H2 in memory and the Redis on 6379 are used; the Azure and DynamoDB clients are only
 * built, never called).
 */
class StoreAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BeckonAutoConfiguration.class))
          .withPropertyValues("beckon.anonymous=true");

  static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:boot-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  static UnifiedJedis redis() {
    return RedisClient.create("127.0.0.1", 6379);
  }

  static TableClient azureTable() {
    return new TableClientBuilder()
        .connectionString(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                + "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;")
        .tableName("bootstarter")
        .buildClient();
  }

  static DynamoDbClient dynamo() {
    return DynamoDbClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:4567"))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .build();
  }

  @Test
  void withoutAClientBeanReferencesAreKeptInMemory() {
    runner.run(
        c -> {
          assertThat(c).hasSingleBean(ReferenceRepository.class);
          assertThat(c.getBean(ReferenceRepository.class))
              .isInstanceOf(InMemoryReferenceRepository.class);
          assertThat(c).hasSingleBean(BroadcastFactory.class);
        });
  }

  @Test
  void aDataSourceGivesJdbcWithTheDialectDetectedAndTheConfiguredTable() {
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withPropertyValues("beckon.store.table=boot_refs", "beckon.store.initialize-schema=true")
        .run(
            c -> {
              JdbcReferenceRepository r = c.getBean(JdbcReferenceRepository.class);
              assertThat(r.dialect()).isEqualTo(JdbcReferenceRepository.Dialect.H2);
              assertThat(r.tableName()).isEqualTo("boot_refs");
              ConversationReference ref = SampleReferences.reference("msteams", "a:boot", "t");
              r.save(ref);
              assertThat(r.find(ref.key())).isPresent(); // the schema was created at startup
            });
  }

  @Test
  void aUnifiedJedisGivesRedisWithThePrefix() {
    String prefix = "boot-" + UUID.randomUUID();
    runner
        .withBean(UnifiedJedis.class, StoreAutoConfigurationTest::redis)
        .withPropertyValues("beckon.store.prefix=" + prefix)
        .run(
            c -> {
              RedisReferenceRepository r = c.getBean(RedisReferenceRepository.class);
              assertThat(r.hashTag()).contains(prefix);
              ConversationReference ref = SampleReferences.reference("msteams", "a:redis", "t");
              r.save(ref);
              assertThat(r.find(ref.key())).isPresent();
              r.delete(ref.key());
            });
  }

  @Test
  void aTableClientGivesAzureTable() {
    runner
        .withBean(TableClient.class, StoreAutoConfigurationTest::azureTable)
        .run(
            c ->
                assertThat(c.getBean(ReferenceRepository.class))
                    .isInstanceOf(AzureTableReferenceRepository.class));
  }

  @Test
  void aDynamoDbClientGivesDynamoDbWithTheConfiguredTable() {
    runner
        .withBean(DynamoDbClient.class, StoreAutoConfigurationTest::dynamo)
        .withPropertyValues("beckon.store.table=boot_refs")
        .run(
            c ->
                assertThat(c.getBean(DynamoDbReferenceRepository.class).tableName())
                    .isEqualTo("boot_refs"));
  }

  @Test
  void withSeveralClientsAutoTakesJdbcFirstAndTheTypeChoosesAnother() {
    ApplicationContextRunner both =
        runner
            .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
            .withBean(UnifiedJedis.class, StoreAutoConfigurationTest::redis)
            .withBean(DynamoDbClient.class, StoreAutoConfigurationTest::dynamo);
    both.run(
        c ->
            assertThat(c.getBean(ReferenceRepository.class))
                .isInstanceOf(JdbcReferenceRepository.class));
    both.withPropertyValues("beckon.store.type=redis")
        .run(
            c ->
                assertThat(c.getBean(ReferenceRepository.class))
                    .isInstanceOf(RedisReferenceRepository.class));
    both.withPropertyValues("beckon.store.type=dynamodb")
        .run(
            c ->
                assertThat(c.getBean(ReferenceRepository.class))
                    .isInstanceOf(DynamoDbReferenceRepository.class));
    both.withPropertyValues("beckon.store.type=memory")
        .run(
            c ->
                assertThat(c.getBean(ReferenceRepository.class))
                    .isInstanceOf(InMemoryReferenceRepository.class));
  }

  @Test
  void theUsersOwnRepositoryWins() {
    InMemoryReferenceRepository mine = new InMemoryReferenceRepository();
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withBean("myRepository", ReferenceRepository.class, () -> mine)
        .run(
            c -> {
              assertThat(c).hasSingleBean(ReferenceRepository.class);
              assertThat(c.getBean(ReferenceRepository.class)).isSameAs(mine);
              assertThat(c.getBean(BroadcastFactory.class).repository()).isSameAs(mine);
            });
  }

  @Test
  void twoDataSourcesAreNotGuessedBetween() {
    runner
        .withBean("one", DataSource.class, StoreAutoConfigurationTest::h2)
        .withBean("two", DataSource.class, StoreAutoConfigurationTest::h2)
        .run(
            c ->
                assertThat(c.getBean(ReferenceRepository.class))
                    .isInstanceOf(InMemoryReferenceRepository.class));
  }

  @Test
  void withoutTheStoreModuleTheClientBeanIsNotUsed() {
    runner
        .withClassLoader(new FilteredClassLoader(JdbcReferenceRepository.class))
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .run(
            c ->
                assertThat(c.getBean(ReferenceRepository.class))
                    .isInstanceOf(InMemoryReferenceRepository.class));
  }

  @Test
  void aNamedStoreWithoutItsClientFailsAtStartupSayingWhatIsMissing() {
    runner
        .withPropertyValues("beckon.store.type=azure-table")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("beckon.store.type=AZURE_TABLE")
                    .hasMessageContaining("TableClient"));
  }

  @Test
  void disabledByProperty() {
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withPropertyValues("beckon.enabled=false")
        .run(
            c -> {
              assertThat(c).doesNotHaveBean(ReferenceRepository.class);
              assertThat(c).doesNotHaveBean(BroadcastFactory.class);
              assertThat(c).doesNotHaveBean(dev.beckon.send.Sender.class);
            });
  }
}
