/**
 * Beckon: proactive Bot Framework messaging. Start at {@link
 * dev.beckon.reference.ConversationReference} and {@link dev.beckon.store.ReferenceRepository}.
 */
@NullMarked
package dev.beckon;

import org.jspecify.annotations.NullMarked;
