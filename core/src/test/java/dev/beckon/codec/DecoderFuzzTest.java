package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.Fixtures;
import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every decoder, fed random bytes, mutated fixtures, truncations, deep nesting, huge strings and
 * numbers, ends in a value or a {@link MalformedReferenceException} — never another exception —
 * within a bounded time. Seeded, so a failure reproduces; the volume is printed.
 */
class DecoderFuzzTest {

  private static final int ITERATIONS = Integer.getInteger("beckon.fuzz.iterations", 100_000);
  private static final long SEED = Long.getLong("beckon.fuzz.seed", 20261125L);

  private final List<String> seeds = new ArrayList<>();

  DecoderFuzzTest() {
    for (String f : List.of("js/01-emulator-message", "js/02-teams-personal-message",
        "java/03-teams-channel-thread-message", "js/07-directline-conversation-update")) {
      seeds.add(Fixtures.read("conversation-reference/" + f + ".json"));
    }
    seeds.add(Fixtures.read("incoming/03-teams-channel-thread-message.json"));
    seeds.add(Fixtures.read("incoming/02-teams-personal-message.json"));
    seeds.add(Fixtures.read("resumption-cookie/v3-emulator.camelCase.json"));
    seeds.add(Fixtures.read("resumption-cookie/v3-emulator.PascalCase.json"));
    ConversationReference r = ReferenceJson.read(seeds.get(1));
    seeds.add(CompactReference.encode(r));
  }

  private static final List<Function<String, Object>> DECODERS = List.of(
      ReferenceJson::read,
      ConversationReference::capture,
      Activity::fromJson,
      ResumptionCookies::read,
      CompactReference::decode);

  @Test
  @Timeout(300)
  void decodersNeverThrowAnythingElse() {
    Random rnd = new Random(SEED);
    long inputs = 0;
    long values = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      String input = mutate(rnd, seeds.get(rnd.nextInt(seeds.size())));
      for (Function<String, Object> d : DECODERS) {
        inputs++;
        values += decode(d, input) ? 1 : 0;
      }
    }
    for (String special : specials(rnd)) {
      for (Function<String, Object> d : DECODERS) {
        inputs++;
        values += decode(d, special) ? 1 : 0;
      }
    }
    System.out.printf("fuzz: %d decoder inputs (seed %d), %d decoded to a value, the rest refused cleanly%n",
        inputs, SEED, values);
    assertThat(inputs).isGreaterThanOrEqualTo(ITERATIONS * (long) DECODERS.size());
    assertThat(values).as("the fuzzer also produced valid inputs").isPositive();
  }

  private static boolean decode(Function<String, Object> decoder, String input) {
    try {
      return decoder.apply(input) != null;
    } catch (MalformedReferenceException expected) {
      return false;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw new AssertionError("decoder threw " + e + " for input of length " + input.length()
          + ": " + abbreviate(input), e);
    }
  }

  private static String mutate(Random rnd, String seed) {
    StringBuilder s = new StringBuilder(seed);
    int ops = 1 + rnd.nextInt(4);
    for (int k = 0; k < ops && s.length() > 0; k++) {
      int pos = rnd.nextInt(s.length());
      switch (rnd.nextInt(9)) {
        case 0 -> s.setLength(pos); // truncate
        case 1 -> s.deleteCharAt(pos);
        case 2 -> s.setCharAt(pos, (char) rnd.nextInt(128));
        case 3 -> s.insert(pos, TOKENS[rnd.nextInt(TOKENS.length)]);
        case 4 -> s.setCharAt(pos, (char) (s.charAt(pos) ^ (1 << rnd.nextInt(7))));
        case 5 -> s.insert(pos, (char) rnd.nextInt(0xD800));
        case 6 -> {
          int end = Math.min(s.length(), pos + rnd.nextInt(40));
          s.insert(rnd.nextInt(s.length()), s.substring(pos, end));
        }
        case 7 -> s.replace(pos, Math.min(s.length(), pos + 6), "null");
        default -> { } // keep: some inputs stay valid
      }
    }
    return s.toString();
  }

  private static final String[] TOKENS = {
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "1e999999",
    "-", "0x1F", "NaN", "\"group\":true,", "\"isGroup\":\"x\",", "\"id\":{},", "\"conversation\":null,",
    "\"address\":[],", "b1.", "H4sI", "\uFEFF", "\u2028", "😀"
  };

  private static List<String> specials(Random rnd) {
    List<String> out = new ArrayList<>();
    out.add("");
    out.add("[".repeat(200_000));
    out.add("{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000));
    out.add("{\"conversation\":{\"id\":\"" + "x".repeat(2_000_000) + "\"},\"channelId\":\"c\",\"serviceUrl\":\"https://s/\"}");
    out.add("{\"conversation\":{\"id\":\"c\"},\"channelId\":\"c\",\"serviceUrl\":\"https://s/\",\"n\":" + "9".repeat(100_000) + "}");
    out.add("{\"conversation\":{\"id\":\"c\"},\"channelId\":\"c\",\"serviceUrl\":\"https://s/\",\"n\":1e999999999}");
    out.add("x".repeat(5_000_000));
    byte[] random = new byte[4096];
    for (int i = 0; i < 200; i++) {
      rnd.nextBytes(random);
      out.add(new String(random, StandardCharsets.UTF_8));
      out.add(new String(random, StandardCharsets.ISO_8859_1));
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

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}
