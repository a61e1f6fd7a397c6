package dev.beckon.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one forwarding base every decorator of a repository extends. */
class ForwardingReferenceRepositoryTest {

  @Test
  void itForwardsEveryMethodOfTheInterfaceButStream() {
    List<String> missing =
        Arrays.stream(ReferenceRepository.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(m -> !m.getName().equals("stream"))
            .filter(m -> !declares(m))
            .map(Method::getName)
            .collect(Collectors.toList());
    assertThat(missing).as("methods ForwardingReferenceRepository does not forward").isEmpty();
    assertThat(
            Arrays.stream(ForwardingReferenceRepository.class.getDeclaredMethods())
                .map(Method::getName))
        .doesNotContain("stream");
  }

  @Test
  void everyCallReachesTheDelegateAndStreamsGoThroughTheDecoratorsList() {
    InMemoryReferenceRepository memory = new InMemoryReferenceRepository();
    AtomicInteger pages = new AtomicInteger();
    ReferenceRepository r =
        new ForwardingReferenceRepository(memory) {
          @Override
          public Page list(ListQuery query) {
            pages.incrementAndGet();
            return super.list(query);
          }
        };
    ConversationReference a = reference("a:1");
    ConversationReference b = reference("b:1");
    StoredReference saved = r.save(a);
    assertThat(memory.find(saved.key())).isPresent();
    assertThat(r.find(saved.key())).isEqualTo(memory.find(saved.key()));
    assertThat(r.insertIfAbsent(a)).isEmpty();
    StoredReference replaced = r.replace(a, saved.version());
    assertThat(r.saveAll(List.of(b))).hasSize(1);
    assertThat(r.stream(ListQuery.all().withPageSize(1)).count()).isEqualTo(2);
    assertThat(pages.get()).isGreaterThanOrEqualTo(2);
    assertThat(r.delete(replaced.key(), replaced.version())).isTrue();
    assertThat(r.delete(reference("b:1").key())).isTrue();
    assertThat(memory.list(ListQuery.all()).items()).isEmpty();
    assertThat(r).hasToString(memory.toString());
  }

  @Test
  void aDelegateIsRequired() {
    assertThatThrownBy(() -> new ForwardingReferenceRepository(null) {})
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("delegate");
  }

  private static ConversationReference reference(String conversation) {
    return new ConversationReference(
        null,
        ChannelAccount.of("u", null),
        ChannelAccount.of("b", null),
        ConversationAccount.of(conversation),
        "msteams",
        null,
        "https://smba.trafficmanager.net/x/",
        Map.of());
  }

  private static boolean declares(Method m) {
    try {
      return ForwardingReferenceRepository.class
          .getDeclaredMethod(m.getName(), m.getParameterTypes())
          .getDeclaringClass()
          .equals(ForwardingReferenceRepository.class);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
