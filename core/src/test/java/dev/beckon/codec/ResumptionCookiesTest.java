package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.Fixtures;
import dev.beckon.reference.ConversationReference;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumptionCookiesTest {

  private final ConversationReference expected =
      ReferenceJson.read(
          Fixtures.read("resumption-cookie/v3-emulator.expected-conversation-reference.json"));

  @ParameterizedTest
  @ValueSource(strings = {"v3-emulator.camelCase.json", "v3-emulator.PascalCase.json"})
  void importsBothCasings(String file) {
    assertThat(ResumptionCookies.read(Fixtures.read("resumption-cookie/" + file)))
        .isEqualTo(expected);
  }

  @Test
  void missingLocaleIsFine() {
    // the seed article's exact failure
    String cookie =
        "{\"address\":{\"botId\":\"b\",\"channelId\":\"emulator\",\"userId\":\"u\","
            + "\"conversationId\":\"c\",\"serviceUrl\":\"http://localhost:8546\"},\"userName\":\"User\","
            + "\"isTrustedServiceUrl\":true,\"isGroup\":false}";
    ConversationReference r = ResumptionCookies.read(cookie);
    assertThat(r.locale()).isNull();
    assertThat(r.user().name()).isEqualTo("User");
    assertThat(r.conversation().isGroup()).isFalse();
  }

  @Test
  void exportsWhatItImports() {
    ConversationReference r =
        ResumptionCookies.read(Fixtures.read("resumption-cookie/v3-emulator.camelCase.json"));
    assertThat(ResumptionCookies.read(ResumptionCookies.write(r))).isEqualTo(r);
  }

  @Test
  void failuresNameTheField() {
    assertThatThrownBy(() -> ResumptionCookies.read("{\"userName\":\"x\"}"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("address");
    assertThatThrownBy(
            () ->
                ResumptionCookies.read(
                    "{\"address\":{\"channelId\":\"e\",\"serviceUrl\":\"https://s/\"}}"))
        .isInstanceOf(MalformedReferenceException.class)
        .satisfies(
            e ->
                assertThat(((MalformedReferenceException) e).path())
                    .isEqualTo("address.conversationId"));
    assertThatThrownBy(
            () ->
                ResumptionCookies.read(
                    "{\"address\":{\"channelId\":\"e\",\"conversationId\":\"c\"}}"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("address.serviceUrl");
    assertThatThrownBy(
            () ->
                ResumptionCookies.read(
                    "{\"address\":{\"channelId\":\"e\",\"conversationId\":\"c\",\"serviceUrl\":\"https://s/\"},\"isGroup\":\"no\"}"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("isGroup");
    assertThatThrownBy(() -> ResumptionCookies.read("not a cookie"))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("JSON");
  }

  @Test
  void binaryFormatterGzipFormIsRecognisedAndRefused() throws Exception {
    // BinaryFormatter stream header (SerializationHeaderRecord) followed by junk, gzipped, base64.
    byte[] bf = {
      0x00,
      0x01,
      0x00,
      0x00,
      0x00,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      0x01,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x0C,
      0x02
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bf);
    }
    String cookie = Base64.getEncoder().encodeToString(out.toByteArray());
    assertThatThrownBy(() -> ResumptionCookies.read(cookie))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("GZipSerialize")
        .hasMessageContaining("BinaryFormatter")
        .hasMessageContaining("remote-code-execution");
  }
}
