/**
 * Internal: the rules every value of the model obeys (well-formed text, ids, plain JSON values),
 * with no JSON library behind them. The model records validate through it; the codecs read through
 * it. Depends on nothing else in Beckon. Not API.
 */
@NullMarked
package dev.beckon.internal.model;

import org.jspecify.annotations.NullMarked;
