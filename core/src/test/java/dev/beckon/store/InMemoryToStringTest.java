package dev.beckon.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.codec.Capture;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InMemoryToStringTest {

  @Test
  void toStringNamesTheBackendAndItsSize() {
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    assertThat(repo).hasToString("InMemoryReferenceRepository[size 0]");
    repo.save(
        Capture.reference(
            ("{\"type\":\"message\",\"channelId\":\"msteams\","
                    + "\"serviceUrl\":\"https://smba.trafficmanager.net/amer/\",\"conversation\":{\"id\":\"a:1\"}}")
                .getBytes(StandardCharsets.UTF_8)));
    assertThat(repo).hasToString("InMemoryReferenceRepository[size 1]");
  }
}
