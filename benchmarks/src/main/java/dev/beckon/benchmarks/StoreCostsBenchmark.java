package dev.beckon.benchmarks;

import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.testkit.SampleReferences;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a store call's own microseconds go: the CPU cost of each piece of work a Beckon store does
 * around its round trip and the raw baseline does not (JSON, hashing, versions), measured alone in
 * this JVM (no I/O). Their sum, next to the CPU difference a store suite reports between Beckon and
 * raw, tells how much of that difference each piece explains.
 */
public final class StoreCostsBenchmark {

  private StoreCostsBenchmark() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("store-costs", args);
    ConversationReference ref =
        SampleReferences.reference("msteams", "19:bench-1@thread.tacv2", "tenant-1");
    String json = ReferenceJson.write(ref);
    ReferenceKey key = ref.key();
    String version = "0123456789abcdef0123456789abcdef";
    SecureRandom secure = new SecureRandom();
    byte[] keyBytes =
        (key.channelId() + "\n" + key.conversationId()).getBytes(StandardCharsets.UTF_8);
    new PairedJmh.Trial(report)
        .batch(50)
        .single("ops/s", "ReferenceJson.write (canonical JSON)", i -> ReferenceJson.write(ref))
        .single(
            "ops/s",
            "ReferenceDocument.of (JSON + size + key hash)",
            i -> ReferenceDocument.of(ref))
        .single("ops/s", "ReferenceJson.read (parse)", i -> ReferenceJson.read(json))
        .single(
            "ops/s",
            "ReferenceDocument.read (parse + key check)",
            i -> ReferenceDocument.read(key, json, version))
        .single(
            "ops/s",
            "SHA-256 of a key (MessageDigest.getInstance + digest)",
            i -> MessageDigest.getInstance("SHA-256").digest(keyBytes))
        .single(
            "ops/s",
            "Redis version: SecureRandom 12 bytes + hex",
            i -> {
              byte[] b = new byte[12];
              secure.nextBytes(b);
              return HexFormat.of().formatHex(b);
            })
        .single(
            "ops/s",
            "Redis channel index: SHA-1 of the channel id + hex",
            i ->
                HexFormat.of()
                    .formatHex(
                        MessageDigest.getInstance("SHA-1")
                            .digest(key.channelId().getBytes(StandardCharsets.UTF_8))))
        .single(
            "ops/s",
            "JDBC version: ThreadLocalRandom 2 longs + hex",
            i -> {
              ThreadLocalRandom r = ThreadLocalRandom.current();
              return HexFormat.of().toHexDigits(r.nextLong())
                  + HexFormat.of().toHexDigits(r.nextLong());
            })
        .run();
    report.note(
        "each row: the calling thread's CPU µs per call (client CPU µs/op), 50 calls per timed call; "
            + "input: a Teams channel-thread reference ("
            + json.getBytes(StandardCharsets.UTF_8).length
            + " bytes of JSON)");
    report.print();
  }
}
