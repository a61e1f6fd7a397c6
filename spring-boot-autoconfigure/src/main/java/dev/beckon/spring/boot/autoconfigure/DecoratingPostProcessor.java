package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.auth.TokenProvider;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.store.ReferenceRepository;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Applies the {@link BeckonDecorator} beans, in order, to each {@link Sender}, {@link
 * ReferenceRepository} and {@link TokenProvider} bean after its initialization. The container keeps
 * the original for its destroy callback (a decorated sender is still closed). It remembers the
 * original of each decorated repository and token provider (weakly: as long as the exposed bean
 * lives), for the health indicator, whose probes are no application traffic.
 */
final class DecoratingPostProcessor implements BeanPostProcessor {

  private final ObjectProvider<BeckonDecorator> decorators;
  private final Map<Object, Object> originals = Collections.synchronizedMap(new WeakHashMap<>());

  DecoratingPostProcessor(ObjectProvider<BeckonDecorator> decorators) {
    this.decorators = decorators;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof Sender
        || bean instanceof ReferenceRepository
        || bean instanceof TokenProvider)) {
      return bean;
    }
    List<BeckonDecorator> all = decorators.orderedStream().toList();
    Object out = bean;
    for (BeckonDecorator d : all) {
      if (out instanceof Sender s) {
        out = Objects.requireNonNull(d.sender(s), "a BeckonDecorator returned a null sender");
      } else if (out instanceof ReferenceRepository r) {
        out =
            Objects.requireNonNull(d.repository(r), "a BeckonDecorator returned a null repository");
      } else if (out instanceof TokenProvider t) {
        out =
            Objects.requireNonNull(
                d.tokenProvider(t), "a BeckonDecorator returned a null token provider");
      }
    }
    if (out != bean && !(bean instanceof Sender)) {
      originals.put(out, bean);
    }
    return out;
  }

  /**
   * The repository bean as it was before the decorators.
   *
   * @param exposed the bean as the context exposes it
   * @return its original, or {@code exposed} when it was not decorated here
   */
  ReferenceRepository original(ReferenceRepository exposed) {
    return originals.get(exposed) instanceof ReferenceRepository r ? r : exposed;
  }

  /**
   * The token provider bean as it was before the decorators.
   *
   * @param exposed the bean as the context exposes it
   * @return its original, or {@code exposed} when it was not decorated here
   */
  TokenProvider original(TokenProvider exposed) {
    return originals.get(exposed) instanceof TokenProvider t ? t : exposed;
  }
}
