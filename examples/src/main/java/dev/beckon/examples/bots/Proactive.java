package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import java.util.Optional;

/**
 * Speaking first into a conversation found in the store by its key alone — what every example does
 * later, as a separate worker process would. A conversation the channel reports gone (403 blocked /
 * 404) has its reference deleted, version-checked, so no one sends there again.
 *
 * @param repository where the references are
 * @param sender how to send
 */
record Proactive(ReferenceRepository repository, Sender sender) {

  /**
   * Sends into the stored conversation of a key.
   *
   * @param key the conversation
   * @param activity what to send
   * @return the outcome, or empty when no reference is stored for the key
   */
  Optional<SendOutcome> sendTo(ReferenceKey key, Activity activity) {
    Optional<StoredReference> stored = repository.find(key);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    SendOutcome o = sender.send(stored.get().reference(), activity);
    if (o.kind() == SendOutcome.Kind.CONVERSATION_GONE) {
      repository.delete(key, stored.get().version());
    }
    return Optional.of(o);
  }
}
