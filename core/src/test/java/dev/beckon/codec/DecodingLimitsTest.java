package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.activity.Activity;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #15 item 8: every decoder raises only {@link MalformedReferenceException}, and what it
 * accepts reads back equal from its own canonical JSON.
 */
class DecodingLimitsTest {

  private static String ref(String extraField) {
    return "{\"conversation\":{\"id\":\"c\"},\"channelId\":\"msteams\",\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\""
        + extraField
        + "}";
  }

  private static String withConversationId(String escapedId) {
    return "{\"conversation\":{\"id\":\""
        + escapedId
        + "\"},\"channelId\":\"msteams\","
        + "\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\"}";
  }

  private static String cookie(String extraField) {
    return "{\"address\":{\"channelId\":\"emulator\",\"conversationId\":\"c\",\"serviceUrl\":\"http://localhost:8546\"}"
        + extraField
        + "}";
  }

  private static String activity(String channelId) {
    return "{\"type\":\"message\",\"id\":\"1\",\"conversation\":{\"id\":\"c\"},\"channelId\":\""
        + channelId
        + "\",\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\"}";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"1e9999999999", "82969e2147483646", "-1E-2147483648", "1e10000", "1.5e-9999"})
  void numbersThatCannotReadBackAreRefusedByEveryDecoder(String number) {
    // before: NumberFormatException, or accepted and written as 8.2969E+2147483650 (unreadable)
    assertMalformed(() -> ReferenceJson.read(ref(",\"n\":" + number)));
    assertMalformed(
        () -> ReferenceJson.read(ref(",\"n\":" + number).getBytes(StandardCharsets.UTF_8)));
    assertMalformed(
        () ->
            Capture.reference(
                "{\"type\":\"message\",\"n\":"
                    + number
                    + ",\"conversation\":{\"id\":\"c\"},\"channelId\":\"x\",\"serviceUrl\":\"https://s/\"}"));
    assertMalformed(
        () -> ActivityJson.read("{\"type\":\"message\",\"channelData\":{\"n\":[" + number + "]}}"));
  }

  @Test
  void aCookieWithANumberJavaCannotHoldIsMalformed() {
    // the cookie reader ignores unknown fields, but the parser must still end in the one exception
    assertMalformed(() -> ResumptionCookies.read(cookie(",\"n\":1e9999999999")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-0",
        "1.50",
        "-0.0",
        "1e2",
        "1E+2",
        "1e9999",
        "2.5e-9990",
        "0.1",
        "9223372036854775807",
        "9223372036854775808",
        "-123456789012345678901234567890",
        "12345678901234567890.12345678901234567890"
      })
  void acceptedNumbersKeepTheirExactValueAndReadBackEqual(String number) {
    ConversationReference once =
        ReferenceJson.read(ref(",\"n\":" + number + ",\"a\":[" + number + "]"));
    String written = ReferenceJson.write(once);
    assertThat(ReferenceJson.read(written)).isEqualTo(once);
    assertThat(ReferenceJson.write(ReferenceJson.read(written))).isEqualTo(written);
    Object n = once.extra().get("n");
    assertThat(n).isNotInstanceOf(Double.class);
    if (n instanceof BigDecimal bd) {
      assertThat(bd).isEqualTo(new BigDecimal(number)); // scale kept: 1.50 stays 1.50
    }
  }

  @Test
  void aNumberWhoseCanonicalFormIsTooLongIsRefused() {
    // 254 characters of input, but 258 in canonical (scientific) form: it would not read back
    String number = "1".repeat(252) + "e5";
    assertMalformed(() -> ReferenceJson.read(ref(",\"n\":" + number)));
  }

  @Test
  void overLongIdsAreMalformedNotIllegalArguments() {
    String longId = "x".repeat(4097);
    assertMalformedAt("channelId", () -> Capture.reference(activity(longId)));
    assertMalformedAt("channelId", () -> ActivityJson.read(activity(longId)));
    assertMalformedAt(
        "channelId",
        () ->
            ReferenceJson.read(
                "{\"conversation\":{\"id\":\"c\"},\"channelId\":\""
                    + longId
                    + "\",\"serviceUrl\":\"https://s/\"}"));
    assertMalformedAt(
        "address.conversationId",
        () ->
            ResumptionCookies.read(
                "{\"address\":{\"channelId\":\"e\",\"conversationId\":\""
                    + longId
                    + "\",\"serviceUrl\":\"http://localhost:1\"}}"));
    assertMalformedAt(
        "address.botId",
        () ->
            ResumptionCookies.read(
                "{\"address\":{\"botId\":\""
                    + longId
                    + "\",\"channelId\":\"e\",\"conversationId\":\"c\",\"serviceUrl\":\"http://localhost:1\"}}"));
    assertMalformedAt(
        "user.id",
        () ->
            ReferenceJson.read(
                ref(",\"user\":{\"id\":\"" + longId + "\"}").replace(",\"user\"", ",\"user\"")));
    assertMalformedAt(
        "activityId",
        () ->
            ReferenceJson.read(
                ref(",\"activityId\":\"" + longId + "\"")
                    .replace("\"activityId\"", "\"activityId\"")));
    // an Activity built by hand (not read) is refused by capture as malformed too
    Activity byHand = Activity.message("hi").withConversation(ConversationAccount.of("c"));
    Activity longChannel =
        new Activity(
            "message",
            null,
            null,
            longId,
            "https://s/",
            null,
            null,
            ConversationAccount.of("c"),
            null,
            null,
            null,
            null,
            null,
            java.util.List.of(),
            java.util.List.of(),
            null,
            null,
            null,
            Map.of());
    assertMalformedAt("channelId", () -> Capture.reference(longChannel));
    assertMalformedAt("channelId", () -> Capture.reference(byHand));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dup\\ud800", "dup\\udbff", "\\udc00dup", "a\\ude00\\ud83d"})
  void idsThatAreNotWellFormedUtf16AreRefused(String escaped) {
    // before: accepted, and "dup\uD800", "dup\uDBFF" and "dup?" shared one key hash
    assertMalformedAt("conversation.id", () -> ReferenceJson.read(withConversationId(escaped)));
    assertMalformedAt("channelId", () -> Capture.reference(activity(escaped)));
    assertMalformedAt(
        "address.channelId",
        () ->
            ResumptionCookies.read(
                "{\"address\":{\"channelId\":\""
                    + escaped
                    + "\",\"conversationId\":\"c\",\"serviceUrl\":\"http://localhost:1\"}}"));
  }

  @Test
  void loneSurrogatesAreRefusedInEveryStringAndFieldName() {
    assertMalformedAt(
        "user.name",
        () -> ReferenceJson.read(ref(",\"user\":{\"id\":\"u\",\"name\":\"\\ud800\"}")));
    assertMalformedAt(
        "x.y[1]", () -> ReferenceJson.read(ref(",\"x\":{\"y\":[\"ok\",\"\\udfff\"]}")));
    assertMalformedAt("x", () -> ReferenceJson.read(ref(",\"x\":{\"\\ud800\":1}")));
    assertMalformedAt("$", () -> ReferenceJson.read(ref(",\"\\ud800\":1")));
    assertMalformedAt(
        "text", () -> ActivityJson.read("{\"type\":\"message\",\"text\":\"cut \\ud83d\"}"));
    // a well-formed pair is fine, escaped or not
    assertThat(ReferenceJson.read(withConversationId("\\ud83d\\ude00")).conversation().id())
        .isEqualTo("😀");
  }

  @Test
  void nulIsRefusedInIdsButKeptInOtherText() {
    assertMalformedAt("conversation.id", () -> ReferenceJson.read(withConversationId("a\\u0000b")));
    assertMalformedAt("channelId", () -> Capture.reference(activity("a\\u0000b")));
    ConversationReference r =
        ReferenceJson.read(ref(",\"user\":{\"id\":\"u\",\"name\":\"a\\u0000b\"}"));
    assertThat(r.user().name()).isEqualTo("a\0b");
    assertThat(ReferenceJson.read(ReferenceJson.write(r))).isEqualTo(r);
  }

  @Test
  void bytesMustBeUtf8AndAreNeverReplaced() {
    byte[] latin1 = withConversationId("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    // before: read as "caf\uFFFD"
    assertMalformedAt("$", () -> ReferenceJson.read(latin1));
    assertMalformedAt(
        "$", () -> Capture.reference(activity("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1)));
    assertMalformedAt(
        "$", () -> ActivityJson.read(activity("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1)));
    byte[] bom = ("\uFEFF" + withConversationId("caf\u00e9")).getBytes(StandardCharsets.UTF_8);
    assertThat(ReferenceJson.read(bom).conversation().id()).isEqualTo("caf\u00e9");
    // found by fuzzing: the same BOM as text was refused while the bytes were accepted
    assertThat(ReferenceJson.read("\uFEFF" + withConversationId("c")))
        .isEqualTo(ReferenceJson.read(withConversationId("c")));
    assertThat(Capture.reference("\uFEFF" + activity("c")).channelId()).isEqualTo("c");
  }

  @Test
  void structuralLimitsAreJacksonsReadConstraints() {
    assertMalformed(() -> ReferenceJson.read(ref(",\"a\":1,\"a\":2")));
    assertMalformed(
        () ->
            ReferenceJson.read(
                "{\"conversation\":{\"id\":\"c\",\"id\":\"d\"},\"channelId\":\"c\",\"serviceUrl\":\"https://s/\"}"));
    assertMalformed(
        () -> ReferenceJson.read(ref(",\"deep\":" + "[".repeat(200) + "]".repeat(200))));
    // a huge array in an unknown field: bounded by the token count, not by memory
    assertThatThrownBy(() -> ReferenceJson.read(ref(",\"big\":[" + "0,".repeat(300_000) + "0]")))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("Token count");
    assertMalformed(() -> ReferenceJson.read(ref(",\"s\":\"" + "x".repeat(1_000_001) + "\"")));
    assertMalformed(() -> ReferenceJson.read(ref(",\"n\":" + "9".repeat(257))));
  }

  @Test
  void treesFromTheCallerAreCheckedToo() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.putObject("conversation").put("id", "c");
    root.put("channelId", "c").put("serviceUrl", "https://s/");
    ObjectNode nan = root.deepCopy().put("n", Double.NaN);
    // before: NumberFormatException
    assertMalformedAt("n", () -> ReferenceJson.read(nan));
    ObjectNode pojo = root.deepCopy();
    pojo.putPOJO("p", new Object());
    assertMalformedAt("p", () -> ReferenceJson.read(pojo));
    ObjectNode dbl = root.deepCopy().put("d", 0.1);
    assertThat(ReferenceJson.read(dbl).extra().get("d")).isEqualTo(new BigDecimal("0.1"));
  }

  @Test
  void compactDecodingIsBoundedAndStrictAboutItsAlphabet() throws Exception {
    ConversationReference r = ReferenceJson.read(ref(""));
    String token = CompactReference.encode(r);
    assertThat(
            CompactReference.decode(token + "==".substring(0, (4 - (token.length() - 3) % 4) % 4)))
        .isEqualTo(r);
    assertThat(CompactReference.decode("  " + token + "\n")).isEqualTo(r);
    String body = token.substring(3);
    String standard =
        "b1." + Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(body));
    if (!standard.substring(3).equals(body)) {
      assertMalformed(() -> CompactReference.decode(standard));
    }
    assertMalformed(
        () -> CompactReference.decode("b1." + body.substring(0, 10) + "\n" + body.substring(10)));
    // a gzip bomb: 64 MiB of zeros, refused after reading at most the bound
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    String bomb = "b1." + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    assertThatThrownBy(() -> CompactReference.decode(bomb))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("decompresses to more than");
    // gzip of bytes that are not UTF-8
    ByteArrayOutputStream latin = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(latin)) {
      gz.write(withConversationId("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1));
    }
    assertMalformed(
        () ->
            CompactReference.decode(
                "b1." + Base64.getUrlEncoder().encodeToString(latin.toByteArray())));
  }

  @Test
  void aHugeNonJsonCookieIsRefusedBeforeItIsDecoded() {
    // before: the whole string went through the base64 MIME decoder first
    assertThatThrownBy(() -> ResumptionCookies.read("A".repeat(5 * 1024 * 1024)))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("the limit is");
  }

  @Test
  void cookiesReadBackEqualAndRefuseAmbiguousNames() {
    ConversationReference noGroup = ResumptionCookies.read(cookie(""));
    assertThat(noGroup.conversation().isGroup()).isNull();
    // before: written as isGroup false, read back unequal
    assertThat(ResumptionCookies.read(ResumptionCookies.write(noGroup))).isEqualTo(noGroup);
    assertMalformedAt(
        "channelId",
        () ->
            ResumptionCookies.read(
                    "{\"address\":{\"channelId\":\"a\",\"ChannelId\":\"b\",\"conversationId\":\"c\",\"serviceUrl\":\"http://localhost:1\"}}")
                .channelId()
                .length());
    assertMalformedAt(
        "conversationId",
        () ->
            ResumptionCookies.read(
                "{\"address\":{\"channelId\":\"a\",\"ConversationID\":\"b\",\"conversationid\":\"c\",\"serviceUrl\":\"http://localhost:1\"}}"));
  }

  @Test
  void constructorsRefuseWhatTheReaderWouldRefuse() {
    assertThatThrownBy(() -> ConversationAccount.of("dup\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conversation.id")
        .hasMessageContaining("U+D800");
    assertThatThrownBy(() -> new ChannelAccount("u", "cut \uD83D", null, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("account.name");
    assertThatThrownBy(
            () ->
                ConversationReference.builder()
                    .conversationId("c")
                    .channelId("c")
                    .serviceUrl("https://s/")
                    .extra(Map.of("channelId", "other"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channelId");
    assertThatThrownBy(
            () ->
                new ConversationAccount(
                    "c", null, null, null, null, null, null, Map.of("group", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group");
    assertThatThrownBy(
            () ->
                ConversationReference.builder()
                    .conversationId("c")
                    .channelId("c")
                    .serviceUrl("https://s/")
                    .extra(Map.of("n", new BigDecimal("1E+2147483000")))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extra.n");
    // numbers are normalised to the reader's form, so writing and reading gives an equal reference
    ConversationReference r =
        ConversationReference.builder()
            .conversationId("c")
            .channelId("c")
            .serviceUrl("https://s/")
            .extra(Map.of("l", 5L, "d", 0.5d, "f", 0.1f, "b", new BigDecimal("7")))
            .build();
    assertThat(ReferenceJson.read(ReferenceJson.write(r))).isEqualTo(r);
  }

  private static void assertMalformed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(MalformedReferenceException.class);
  }

  private static void assertMalformedAt(
      String path, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(MalformedReferenceException.class)
        .satisfies(e -> assertThat(((MalformedReferenceException) e).path()).isEqualTo(path));
  }
}
