package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata IDEs complete from (generated from BeckonProperties' comments by
 * Boot's processor): every beckon.* property has a description, the delivery ones their defaults,
 * and beckon.cloud its values.
 */
class ConfigurationMetadataTest {

  static JsonNode metadata() throws Exception {
    try (InputStream in =
        ConfigurationMetadataTest.class
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the generated metadata").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void everyBeckonPropertyIsDescribedAndTheDeliveryOnesHaveTheirDefaults() throws Exception {
    JsonNode m = metadata();
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode p : m.get("properties")) {
      byName.put(p.get("name").asText(), p);
    }
    for (Map.Entry<String, JsonNode> e : byName.entrySet()) {
      if (e.getKey().startsWith("beckon.")) {
        assertThat(e.getValue().path("description").asText()).as(e.getKey()).isNotBlank();
      }
    }
    assertThat(byName)
        .containsKeys(
            "beckon.cloud",
            "beckon.delivery.enabled",
            "beckon.delivery.concurrency",
            "beckon.delivery.lease",
            "beckon.delivery.poll-interval",
            "beckon.delivery.shutdown-grace",
            "beckon.delivery.resend-unknown",
            "beckon.delivery.table",
            "beckon.delivery.prefix",
            "beckon.delivery.initialize-schema",
            "beckon.delivery.name");
    assertThat(byName.get("beckon.delivery.enabled").path("defaultValue").asBoolean(true))
        .isFalse();
    assertThat(byName.get("beckon.delivery.concurrency").path("defaultValue").asInt()).isEqualTo(4);
    assertThat(byName.get("beckon.delivery.name").path("defaultValue").asText())
        .isEqualTo("deliveries");
    List<String> clouds = new java.util.ArrayList<>();
    for (JsonNode h : m.get("hints")) {
      if (h.get("name").asText().equals("beckon.cloud")) {
        h.get("values").forEach(v -> clouds.add(v.get("value").asText()));
      }
    }
    assertThat(clouds).containsExactly("PUBLIC", "US_GOV", "US_DOD", "CHINA", "CUSTOM");
  }
}
