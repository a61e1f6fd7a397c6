package dev.beckon.benchmarks;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import dev.beckon.reference.ConversationReference;
import dev.beckon.storage.azuretable.AzureTableReferenceRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.testkit.SampleReferences;
import java.util.ArrayList;
import java.util.List;

/**
 * Azure Table store on Azurite ({@code 127.0.0.1:10002}): {@code save}/{@code find} vs a raw {@code
 * TableClient} upsert/get of the same entity (same keys, same properties, same client), alternating
 * within each round, one thread.
 */
public final class AzureTableBenchmark {

  private AzureTableBenchmark() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("azure-table", args);
    String cs =
        System.getenv()
            .getOrDefault(
                "BECKON_AZURE_CONNECTION_STRING",
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;");
    TableClient table =
        new TableClientBuilder()
            .connectionString(cs)
            .tableName("beckonbench" + System.nanoTime() % 100000)
            .httpClient(new JdkHttpClientBuilder().build())
            .buildClient();
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(table).build();
    repo.createTable();
    int keys = 500;
    List<ConversationReference> refs = new ArrayList<>();
    List<TableEntity> raw = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      ConversationReference r =
          SampleReferences.reference("msteams", "19:bench-" + i + "@thread.tacv2", "tenant-1");
      refs.add(r);
      ReferenceDocument d = ReferenceDocument.of(r);
      TableEntity e = new TableEntity("raw-" + (d.bucket() % 16), d.keyHash());
      e.addProperty("channelId", d.key().channelId())
          .addProperty("conversationId", d.key().conversationId())
          .addProperty("tenantId", d.tenantId())
          .addProperty("bucket", d.bucket())
          .addProperty("expiresAt", 0L)
          .addProperty("reference", d.json());
      raw.add(e);
    }
    for (int i = 0; i < keys; i++) {
      repo.save(refs.get(i));
      table.upsertEntity(raw.get(i));
    }
    new PairedJmh.Trial(report)
        .pair(
            "save_vs_raw_tableclient",
            "save ops/s",
            i -> repo.save(refs.get(i % keys)),
            "raw TableClient upsert",
            i ->
                table.upsertEntityWithResponse(
                    raw.get(i % keys),
                    TableEntityUpdateMode.REPLACE,
                    java.time.Duration.ofSeconds(10),
                    com.azure.core.util.Context.NONE))
        .pair(
            "find_vs_raw_tableclient",
            "find ops/s",
            i -> repo.find(refs.get(i % keys).key()).orElseThrow(),
            "raw TableClient get",
            i ->
                table.getEntity(raw.get(i % keys).getPartitionKey(), raw.get(i % keys).getRowKey()))
        .processCpu()
        .run();
    report.note(
        "one thread; Azurite in memory on 127.0.0.1; JDK HTTP transport for both. Client CPU is the"
            + " whole process's: the SDK runs a call with a timeout on a pool thread of its own and"
            + " does its I/O on the HttpClient's threads, so the calling thread's CPU would compare"
            + " different shares of the work");
    report.print();
    table.deleteTable();
  }
}
