/**
 * One retry model for everything Beckon retries: sends, broadcasts and the stores' own loops (a SQL
 * deadlock, a batch's unprocessed items).
 *
 * <p>A {@link dev.beckon.retry.RetryStrategy} is a small immutable value: an attempt cap, a
 * deadline, a {@link dev.beckon.retry.Backoff} for transient failures and another for throttling,
 * the longest {@code Retry-After} honoured, and a {@link dev.beckon.retry.RetryListener}. Each
 * operation starts its own {@link dev.beckon.retry.RetryStrategy.Retry} from it and asks it, after
 * every failure, how long to wait before the next attempt (or whether to stop). Which failures are
 * worth retrying at all is one decision, {@link dev.beckon.retry.RetryCause#ofStatus(int)}: Teams'
 * documented list (412, 429, 502, 503, 504), never 500 nor any status it does not list.
 *
 * <pre>{@code
 * // the sender's default: 4 attempts, transient 250 ms doubling to 8 s, throttling 1 s to 30 s
 * BotConnectorSender sender = BotConnectorSender.builder()
 *     .credentials(creds)
 *     .retry(RetryStrategy.builder().maxAttempts(6).deadline(Duration.ofSeconds(45)).build())
 *     .build();
 *
 * // a blocking loop of your own (a store retrying a deadlock)
 * RetryStrategy.Retry retry = strategy.start("jdbc.deadlock");
 * while (true) {
 *   try {
 *     return tryOnce();
 *   } catch (SQLTransactionRollbackException deadlock) {
 *     if (!retry.await(RetryCause.TRANSIENT, null, "deadlock")) throw deadlock;
 *   }
 * }
 * }</pre>
 */
@NullMarked
package dev.beckon.retry;

import org.jspecify.annotations.NullMarked;
