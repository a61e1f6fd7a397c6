/**
 * {@link dev.beckon.storage.redis.RedisReferenceRepository}: Beckon's reference store over Jedis 8.
 */
@NullMarked
package dev.beckon.storage.redis;

import org.jspecify.annotations.NullMarked;
