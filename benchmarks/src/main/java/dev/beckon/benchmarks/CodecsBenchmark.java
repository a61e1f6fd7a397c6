package dev.beckon.benchmarks;

import com.microsoft.bot.schema.Serialization;
import dev.beckon.codec.CompactReference;
import dev.beckon.codec.ReferenceJson;
import dev.beckon.reference.ConversationReference;
import dev.beckon.testkit.SampleReferences;
import java.nio.charset.StandardCharsets;

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
    new PairedJmh.Trial(report)
        .batch(20)
        .pair(
            "read_vs_botbuilder_java",
            "read ops/s",
            i -> ReferenceJson.read(canonical),
            "botbuilder-java Serialization",
            i -> readBotbuilder(bbJson))
        .pair(
            "write_vs_botbuilder_java",
            "write ops/s",
            i -> ReferenceJson.write(beckonRef),
            "botbuilder-java Serialization",
            i -> toStringBotbuilder(bbRef))
        .single(
            "compact encode+decode ops/s",
            "beckon CompactReference",
            i -> CompactReference.decode(CompactReference.encode(beckonRef)))
        .run();
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
}
