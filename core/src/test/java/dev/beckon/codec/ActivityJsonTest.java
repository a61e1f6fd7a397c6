package dev.beckon.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.activity.Activity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Activity JSON in the codec package: the three inputs read alike, and bad input is one exception.
 */
class ActivityJsonTest {

  private static final String JSON =
      "{\"type\":\"message\",\"id\":\"a-1\","
          + "\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\",\"channelId\":\"msteams\","
          + "\"from\":{\"id\":\"u\"},\"conversation\":{\"id\":\"c\"},\"recipient\":{\"id\":\"b\"},"
          + "\"text\":\"hi\",\"valueType\":\"x\"}";

  @Test
  void textBytesAndTreeReadTheSameActivityAndItWritesBack() throws Exception {
    Activity a = ActivityJson.read(JSON);
    assertThat(ActivityJson.read(JSON.getBytes(StandardCharsets.UTF_8))).isEqualTo(a);
    JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(JSON);
    assertThat(ActivityJson.read(tree)).isEqualTo(a);
    assertThat(a.extra()).containsEntry("valueType", "x");
    assertThat(ActivityJson.write(a)).isEqualTo(JSON);
  }

  @Test
  void badInputIsAMalformedReferenceExceptionAtThePath() {
    assertThatThrownBy(() -> ActivityJson.read("{\"type\":\"message\""))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("not valid JSON")
        .extracting(e -> ((MalformedReferenceException) e).path())
        .isEqualTo("$");
    assertThatThrownBy(() -> ActivityJson.read(new byte[] {'{', (byte) 0xC3, '}'}))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(() -> ActivityJson.read((JsonNode) null))
        .isInstanceOf(MalformedReferenceException.class);
  }

  @Test
  void aTreeNestedTooDeeplyForTheStackIsRefusedNotThrownAsAnError() {
    // a tree built by the caller is not bounded by Beckon's parser
    ObjectNode root = JsonNodeFactory.instance.objectNode().put("type", "message");
    ArrayNode inner = root.putArray("entities");
    for (int i = 0; i < 200_000; i++) {
      inner = inner.addArray();
    }
    assertThatThrownBy(() -> ActivityJson.read(root))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("nested too deeply");
    assertThatThrownBy(() -> Capture.reference(root))
        .isInstanceOf(MalformedReferenceException.class)
        .hasMessageContaining("nested too deeply");
  }
}
