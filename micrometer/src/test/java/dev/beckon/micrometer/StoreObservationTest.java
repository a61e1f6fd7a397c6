package dev.beckon.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ListQuery;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import dev.beckon.store.VersionConflictException;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Store calls observed on the in-memory store, a real one (the contract kit's reference). */
class StoreObservationTest {

  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final StoppedContexts stopped = new StoppedContexts();

  StoreObservationTest() {
    registry.observationConfig().observationHandler(stopped);
  }

  private final InMemoryReferenceRepository memory = new InMemoryReferenceRepository();

  private List<String> calls() {
    return stopped.named("beckon.store").stream()
        .map(
            c ->
                c.getContextualName()
                    + " "
                    + c.getLowCardinalityKeyValue("beckon.store").getValue()
                    + " "
                    + c.getLowCardinalityKeyValue("beckon.outcome").getValue())
        .toList();
  }

  @Test
  void everyCallIsObservedWithItsOperationStoreAndOutcome() {
    PurgeableRepository repo = BeckonObservations.of(registry).repository(memory);
    ConversationReference a = SampleReferences.reference("msteams", "a:1", "t");
    StoredReference saved = repo.save(a);
    assertThat(repo.find(a.key())).isPresent();
    assertThat(repo.find(SampleReferences.reference("msteams", "a:none", "t").key())).isEmpty();
    assertThat(repo.insertIfAbsent(a)).isEmpty();
    assertThatThrownBy(() -> repo.replace(a, "not-" + saved.version()))
        .isInstanceOf(VersionConflictException.class);
    repo.replace(a, saved.version());
    assertThat(repo.list(ListQuery.channel("msteams")).items()).hasSize(1);
    assertThat(repo.stream(ListQuery.channel("msteams")).count()).isEqualTo(1);
    repo.saveAll(List.of(SampleReferences.reference("msteams", "a:2", "t")));
    assertThat(repo.delete(a.key())).isTrue();
    assertThat(repo.delete(a.key())).isFalse();
    assertThat(repo.purgeExpired()).isZero();

    assertThat(calls())
        .containsExactly(
            "beckon.store.save memory success",
            "beckon.store.find memory success",
            "beckon.store.find memory absent",
            "beckon.store.insert_if_absent memory exists",
            "beckon.store.replace memory conflict",
            "beckon.store.replace memory success",
            "beckon.store.list memory success",
            "beckon.store.list memory success",
            "beckon.store.save_all memory success",
            "beckon.store.delete memory success",
            "beckon.store.delete memory absent",
            "beckon.store.purge_expired memory success");
    Observation.Context conflict =
        stopped.named("beckon.store").stream()
            .filter(c -> "beckon.store.replace".equals(c.getContextualName()))
            .findFirst()
            .orElseThrow();
    assertThat(conflict.getError()).isInstanceOf(VersionConflictException.class);
    assertThat(conflict.getLowCardinalityKeyValue("beckon.operation").getValue())
        .isEqualTo("replace");
  }

  @Test
  void aStoreNameIsATagValueFromAClosedAlphabetAndPurgeabilityIsKept() {
    BeckonObservations obs = BeckonObservations.of(registry);
    ReferenceRepository named = obs.repository((ReferenceRepository) memory, "postgresql-eu");
    assertThat(named)
        .as("a purgeable store stays purgeable")
        .isInstanceOf(PurgeableRepository.class);
    named.find(SampleReferences.reference("msteams", "a:1", null).key());
    assertThat(calls()).containsExactly("beckon.store.find postgresql-eu absent");
    for (String bad : new String[] {"", "with space", "x".repeat(65), "é", "a\nb"}) {
      assertThatThrownBy(() -> obs.repository(memory, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("store");
    }
    assertThat(TagValues.storeOf(memory.getClass())).isEqualTo("memory");
    assertThat(TagValues.storeOf(ObservedRepository.class)).isEqualTo("observedrepository");
  }
}
