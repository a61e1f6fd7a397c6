package dev.beckon.storage.azuretable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** What is particular to Azure Table: keys, layout, a missing table, the v3 cookie migration. */
class AzureTableSpecificTest {

  @Test
  void aRefusedAccountKeyIsAStoreExceptionNotALinkageError() {
    // Azurite answers a bad signature with an XML error body, which the Azure SDK reads with
    // jackson-dataformat-xml: without it on the class path the SDK threw NoClassDefFoundError.
    String wrongKey =
        Azurite.connectionString()
            .replaceAll(
                "AccountKey=[^;]*",
                "AccountKey=" + Base64.getEncoder().encodeToString(new byte[64]));
    TableClient t =
        new TableClientBuilder()
            .connectionString(wrongKey)
            .tableName(Azurite.newTableName())
            .httpClient(new JdkHttpClientBuilder().build())
            .buildClient();
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(t).build();
    assertThatThrownBy(() -> repo.find(ReferenceKey.of("msteams", "c")))
        .isInstanceOf(dev.beckon.store.StoreException.class)
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(new byte[64]));
  }

  @Test
  void createTableOnAnUnreachableServiceIsAStoreException() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    TableClient t =
        new TableClientBuilder()
            .connectionString(
                Azurite.connectionString()
                    .replaceFirst(
                        "TableEndpoint=[^;]*;?",
                        "TableEndpoint=http://127.0.0.1:" + closed + "/devstoreaccount1;"))
            .tableName("beckonunreachable")
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
            .httpClient(new JdkHttpClientBuilder().build())
            .buildClient();
    AzureTableReferenceRepository repo =
        AzureTableReferenceRepository.builder(t).timeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(repo::createTable)
        .isInstanceOf(dev.beckon.store.StoreException.class)
        .hasMessageContaining("createTable");
  }

  @Test
  void aMissingTableNamesItselfAndTheCallThatCreatesIt() {
    TableClient t = Azurite.table(Azurite.newTableName());
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(t).build();
    assertThatThrownBy(() -> repo.save(SampleReferences.reference("msteams", "c", null)))
        .isInstanceOf(TableMissingException.class)
        .hasMessageContaining(t.getTableName())
        .hasMessageContaining("createTable()");
    assertThatThrownBy(() -> repo.find(ReferenceKey.of("msteams", "c")))
        .isInstanceOf(TableMissingException.class)
        .hasMessageContaining("createTable()");
    assertThatThrownBy(() -> repo.list(dev.beckon.store.ListQuery.all()))
        .isInstanceOf(TableMissingException.class)
        .hasMessageContaining(t.getTableName())
        .hasMessageContaining("createTable()");
    assertThat(repo.createTable()).isTrue();
    assertThat(repo.createTable()).isFalse();
    t.deleteTable();
  }

  @Test
  void keysAreAlwaysValidAndIdsAreKeptAsProperties() {
    TableClient t = Azurite.table(Azurite.newTableName());
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(t).build();
    repo.createTable();
    String id = "with/slash\\back#hash?query\ttab";
    repo.save(SampleReferences.reference("msteams", id, "t1"));
    ReferenceKey key = ReferenceKey.of("msteams", id);
    TableEntity e =
        t.getEntity(AzureTableReferenceRepository.partition("msteams", key.bucket()), key.hash());
    assertThat(e.getPartitionKey()).matches("c[0-9a-f]{16}-[0-9]{2}");
    assertThat(e.getRowKey()).matches("[0-9a-f]{64}");
    assertThat(e.getProperty("conversationId")).isEqualTo(id);
    assertThat(e.getProperty("channelId")).isEqualTo("msteams");
    assertThat(e.getProperty("tenantId")).isEqualTo("t1");
    assertThat((String) e.getProperty("reference")).startsWith("{\"user\"");
    t.deleteTable();
  }

  @Test
  void handStoredCookiesMigrateWithAReport() throws Exception {
    TableClient old = Azurite.table(Azurite.newTableName());
    old.createTable();
    String camel =
        "{\"address\":{\"botId\":\"b\",\"channelId\":\"emulator\",\"userId\":\"u1\",\"conversationId\":\"c1\","
            + "\"serviceUrl\":\"http://localhost:8546\"},\"userName\":\"User\",\"isTrustedServiceUrl\":true,\"isGroup\":false,\"locale\":\"en-GB\"}";
    String pascalNoLocale =
        "{\"Address\":{\"BotId\":\"b\",\"ChannelId\":\"emulator\",\"UserId\":\"u2\",\"ConversationId\":\"c2\","
            + "\"ServiceUrl\":\"http://localhost:8546\"},\"UserName\":\"User\",\"IsTrustedServiceUrl\":false,\"IsGroup\":false}";
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(
          new byte[] {
            0x00, 0x01, 0x00, 0x00, 0x00, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01
          });
    }
    old.createEntity(new TableEntity("p", "1").addProperty("ResumptionCookie", camel));
    old.createEntity(new TableEntity("p", "2").addProperty("ResumptionCookie", pascalNoLocale));
    old.createEntity(new TableEntity("p", "3").addProperty("ResumptionCookie", "{not json"));
    old.createEntity(
        new TableEntity("p", "4")
            .addProperty("ResumptionCookie", Base64.getEncoder().encodeToString(gz.toByteArray())));
    old.createEntity(new TableEntity("p", "5").addProperty("Other", "x"));
    InMemoryReferenceRepository target = new InMemoryReferenceRepository();

    ResumptionCookieImport.Report r =
        ResumptionCookieImport.from(old, "ResumptionCookie").into(target);
    assertThat(r.read()).isEqualTo(5);
    assertThat(r.imported()).isEqualTo(2);
    assertThat(r.skippedCount()).isEqualTo(3);
    assertThat(r.skipped())
        .extracting(ResumptionCookieImport.Skipped::rowKey)
        .containsExactly("3", "4", "5");
    assertThat(r.skipped().get(1).reason()).contains("BinaryFormatter");
    assertThat(r.skipped().get(2).reason()).contains("no column 'ResumptionCookie'");
    assertThat(target.find(ReferenceKey.of("emulator", "c2")).orElseThrow().reference().locale())
        .isNull();
    assertThat(target.find(ReferenceKey.of("emulator", "c1")).orElseThrow().reference().locale())
        .isEqualTo("en-GB");
    old.deleteTable();
  }
}
