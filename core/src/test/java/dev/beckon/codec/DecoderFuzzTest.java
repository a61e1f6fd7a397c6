package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer fuzz targets for the four decoders (issue #15 item 8). Each asserts: bad input raises only
 * {@link MalformedReferenceException}; what is accepted round-trips ({@link RoundTrips}).
 *
 * <p>{@code mvn verify} replays the committed seeds under {@code
 * src/test/resources/dev/beckon/codec/DecoderFuzzTestInputs/<method>/}. To fuzz: {@code
 * JAZZER_FUZZ=1 mvn -pl core test -Dtest=DecoderFuzzTest#referenceJson}. A crash is written next to
 * the seeds; fix it and commit the input there under a descriptive name.
 */
class DecoderFuzzTest {

  /**
   * {@link ReferenceJson#read(String)} and {@link ReferenceJson#read(byte[])}: stored payloads,
   * imports.
   */
  @FuzzTest(maxDuration = "60s")
  void referenceJson(byte[] data) {
    ConversationReference fromBytes = decode(ReferenceJson::read, data);
    ConversationReference fromText =
        decode(ReferenceJson::read, new String(data, StandardCharsets.UTF_8));
    if (fromBytes != null) {
      RoundTrips.assertReference(fromBytes);
      assertThat(fromText).isEqualTo(fromBytes);
    }
    if (fromText != null) {
      RoundTrips.assertReference(fromText);
    }
  }

  /**
   * {@link CompactReference#decode}: cookies, queue messages, URL parameters. The input is tried as
   * the compact text itself and as the gzip bytes inside {@code b1.}, so the fuzzer reaches the
   * gzip and JSON layers too.
   */
  @FuzzTest(maxDuration = "60s")
  void compactReference(byte[] data) {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    ConversationReference asText = decode(CompactReference::decode, text);
    if (asText != null) {
      RoundTrips.assertReference(asText);
    }
    ConversationReference asGzip =
        decode(
            CompactReference::decode,
            CompactReference.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(data));
    if (asGzip != null) {
      RoundTrips.assertReference(asGzip);
    }
  }

  /** {@link ResumptionCookies#read}: v3 cookie JSON from legacy imports. */
  @FuzzTest(maxDuration = "60s")
  void resumptionCookies(byte[] data) {
    ConversationReference r =
        decode(ResumptionCookies::read, new String(data, StandardCharsets.UTF_8));
    if (r != null) {
      RoundTrips.assertReference(r);
      assertThat(ResumptionCookies.read(ResumptionCookies.write(r))).isEqualTo(r);
    }
  }

  /** {@link ActivityJson#read} and {@link Capture#reference}: inbound request bodies. */
  @FuzzTest(maxDuration = "60s")
  void capture(byte[] data) {
    Activity activity = decode(ActivityJson::read, data);
    String text = new String(data, StandardCharsets.UTF_8);
    Activity fromText = decode(ActivityJson::read, text);
    if (activity != null) {
      RoundTrips.assertActivity(activity);
      assertThat(fromText).isEqualTo(activity);
    }
    if (fromText != null) {
      RoundTrips.assertActivity(fromText);
      ConversationReference r =
          DecoderFuzzTest.<Activity, ConversationReference>decode(Capture::reference, fromText);
      ConversationReference fromString =
          DecoderFuzzTest.<String, ConversationReference>decode(Capture::reference, text);
      assertThat(fromString).isEqualTo(r);
      if (r != null) {
        RoundTrips.assertReference(r);
      }
    }
    ConversationReference fromBytes =
        DecoderFuzzTest.<byte[], ConversationReference>decode(Capture::reference, data);
    if (activity != null && fromBytes != null) {
      assertThat(fromBytes).isEqualTo(Capture.reference(activity));
    }
  }

  /** Calls a decoder: its value, or {@code null} after the one documented exception. */
  static <I, O> O decode(Function<I, O> decoder, I input) {
    try {
      O value = decoder.apply(input);
      assertThat(value).isNotNull();
      return value;
    } catch (MalformedReferenceException e) {
      RoundTrips.assertRefusal(e);
      return null;
    }
  }

  /**
   * Inputs too large to commit as seeds: deep nesting, huge strings, numbers and documents, and
   * gzip data that is not a reference. Each decoder ends in a value or the one exception.
   */
  @Test
  @Timeout(120)
  void generatedExtremesEndInTheOneException() throws IOException {
    List<Function<String, Object>> decoders =
        List.of(
            ReferenceJson::read,
            Capture::reference,
            ActivityJson::read,
            ResumptionCookies::read,
            CompactReference::decode);
    long refused = 0;
    for (String input : extremes()) {
      for (Function<String, Object> d : decoders) {
        refused += decode(d, input) == null ? 1 : 0;
      }
    }
    assertThat(refused).isPositive();
  }

  private static List<String> extremes() throws IOException {
    String head =
        "{\"type\":\"message\",\"conversation\":{\"id\":\"c\"},\"channelId\":\"c\",\"serviceUrl\":\"https://s/\"";
    List<String> out = new ArrayList<>();
    out.add("");
    out.add("[".repeat(200_000));
    out.add("{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000));
    out.add(
        "{\"conversation\":{\"id\":\""
            + "x".repeat(2_000_000)
            + "\"},\"channelId\":\"c\",\"serviceUrl\":\"https://s/\"}");
    out.add(head + ",\"n\":" + "9".repeat(100_000) + "}");
    out.add(head + ",\"n\":1e999999999}");
    out.add(head + ",\"n\":[" + "1e9999,".repeat(10_000) + "0]}");
    out.add(head + ",\"a\":[" + "0,".repeat(1_000_000) + "0]}");
    out.add(head + ",\"s\":\"" + "\\ud800".repeat(100_000) + "\"}");
    out.add("x".repeat(5_000_000));
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      byte[] spaces = new byte[1 << 20];
      java.util.Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 16; i++) {
        gz.write(spaces);
      }
    }
    out.add("b1." + Base64.getUrlEncoder().withoutPadding().encodeToString(bomb.toByteArray()));
    Random rnd = new Random(20261125L);
    byte[] random = new byte[4096];
    for (int i = 0; i < 50; i++) {
      rnd.nextBytes(random);
      out.add(new String(random, StandardCharsets.UTF_8));
      out.add("b1." + Base64.getUrlEncoder().encodeToString(random));
      byte[] gzipHeader = random.clone();
      gzipHeader[0] = 0x1f;
      gzipHeader[1] = (byte) 0x8b;
      gzipHeader[2] = 8;
      out.add("b1." + Base64.getUrlEncoder().withoutPadding().encodeToString(gzipHeader));
      out.add(Base64.getEncoder().encodeToString(gzipHeader));
    }
    return out;
  }
}
