/**
 * Broadcast: send one message — or one per reference — to every reference a repository query
 * yields, paced below the channel's limits, streaming page by page, resumable, and with a report in
 * which every reference is accounted for. The broadcast retries each reference itself, per its
 * {@link dev.beckon.retry.RetryStrategy}, through {@link dev.beckon.send.Sender#withoutRetries()}.
 */
@NullMarked
package dev.beckon.broadcast;

import org.jspecify.annotations.NullMarked;
