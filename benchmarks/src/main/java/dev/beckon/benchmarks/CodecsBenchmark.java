package dev.beckon.benchmarks;

import com.microsoft.bot.schema.Serialization;
import dev.beckon.codec.CompactReference;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.testkit.SampleReferences;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Codecs: reading and writing a Teams channel-thread reference with Beckon's canonical JSON codec
 * vs botbuilder-java 4.14.3's own Jackson serialization of its {@code ConversationReference}, same
 * JVM, same input, alternating rounds. Also reports bytes per reference for each form.
 */
public final class CodecsBenchmark {

  private CodecsBenchmark() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("codecs", args);
    String json = SampleReferences.fixtureJson("java-03-teams-channel-thread-message");
    ConversationReference beckonRef = ReferenceJson.read(json);
    com.microsoft.bot.schema.ConversationReference bbRef =
        Serialization.treeToValue(
            Serialization.jsonToTree(json), com.microsoft.bot.schema.ConversationReference.class);
    String canonical = ReferenceJson.write(beckonRef);
    String bbJson = Serialization.toString(bbRef);
    long millis = report.quick() ? 1500 : 4000;

    // warm-up, then alternate subjects within each round so that noise hits both alike
    for (int i = 0; i < 2; i++) {
      opsPerSecond(() -> ReferenceJson.read(canonical), 500);
      opsPerSecond(() -> readBotbuilder(bbJson), 500);
      opsPerSecond(() -> ReferenceJson.write(beckonRef), 500);
      opsPerSecond(() -> toStringBotbuilder(bbRef), 500);
    }
    for (int round = 0; round < report.rounds(); round++) {
      report.add(
          "read ops/s",
          "beckon ReferenceJson",
          opsPerSecond(() -> ReferenceJson.read(canonical), millis));
      report.add(
          "read ops/s",
          "botbuilder-java Serialization",
          opsPerSecond(() -> readBotbuilder(bbJson), millis));
      report.add(
          "write ops/s",
          "beckon ReferenceJson",
          opsPerSecond(() -> ReferenceJson.write(beckonRef), millis));
      report.add(
          "write ops/s",
          "botbuilder-java Serialization",
          opsPerSecond(() -> toStringBotbuilder(bbRef), millis));
      report.add(
          "compact encode+decode ops/s",
          "beckon CompactReference",
          opsPerSecond(() -> CompactReference.decode(CompactReference.encode(beckonRef)), millis));
    }
    report.add(
        "bytes per reference",
        "beckon canonical JSON",
        canonical.getBytes(StandardCharsets.UTF_8).length);
    report.add(
        "bytes per reference",
        "botbuilder-java JSON",
        bbJson.getBytes(StandardCharsets.UTF_8).length);
    report.add(
        "bytes per reference", "beckon compact", CompactReference.encode(beckonRef).length());
    report.ratio(
        "read_vs_botbuilder_java",
        "read ops/s",
        "beckon ReferenceJson",
        "botbuilder-java Serialization");
    report.ratio(
        "write_vs_botbuilder_java",
        "write ops/s",
        "beckon ReferenceJson",
        "botbuilder-java Serialization");
    report.ratio(
        "bytes_vs_botbuilder_java",
        "bytes per reference",
        "beckon canonical JSON",
        "botbuilder-java JSON");
    report.note("input: the Teams channel-thread reference as botbuilder-java 4.14.3 wrote it");
    report.print();
  }

  private static Object readBotbuilder(String json) {
    try {
      return Serialization.treeToValue(
          Serialization.jsonToTree(json), com.microsoft.bot.schema.ConversationReference.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String toStringBotbuilder(Object o) {
    try {
      return Serialization.toString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static volatile Object sink;

  private static double opsPerSecond(Supplier<?> op, long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    long n = 0;
    long start = System.nanoTime();
    while (true) {
      for (int i = 0; i < 100; i++) {
        sink = op.get();
      }
      n += 100;
      long now = System.nanoTime();
      if (now >= end) {
        return n / ((now - start) / 1e9);
      }
    }
  }
}
