/**
 * {@link dev.beckon.ratelimit.bucket4j.Bucket4jTokenBuckets}: the {@link
 * dev.beckon.broadcast.TokenBuckets} every Beckon store's fleet-wide buckets are, built once on a
 * store's {@link dev.beckon.ratelimit.bucket4j.BucketStateStore} (read, compare-and-swap, delete).
 * The store's own entry type ({@code JdbcTokenBuckets}, {@code RedisTokenBuckets}, {@code
 * DynamoDbTokenBuckets}) is what users construct; this package is what a new store plugs into.
 */
@NullMarked
package dev.beckon.ratelimit.bucket4j;

import org.jspecify.annotations.NullMarked;
