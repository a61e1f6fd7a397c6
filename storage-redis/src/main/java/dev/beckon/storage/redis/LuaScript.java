package dev.beckon.storage.redis;

import dev.beckon.store.spi.StoreKeys;
import dev.beckon.store.spi.StoreResources;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** A Lua script of this module's resources and its SHA-1: EVALSHA, then EVAL once it is missing. */
final class LuaScript {
  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = StoreKeys.hex("SHA-1", source);
  }

  static LuaScript load(String name) {
    return new LuaScript(StoreResources.text(LuaScript.class.getResourceAsStream(name), name));
  }

  /** Runs it; after a restart or failover the server has no cached copy and EVAL reloads it. */
  Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
    try {
      return redis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      return redis.eval(source, keys, args);
    }
  }
}
