package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.spring.boot.BeckonProperties.StoreType;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code beckon.store.type} is {@code AUTO} (the default) or the store of the
 * subclass; {@link Explicit} when it names a store other than {@code MEMORY}.
 */
abstract class StoreTypeCondition extends SpringBootCondition {

  private final StoreType store;

  StoreTypeCondition(StoreType store) {
    this.store = store;
  }

  static StoreType configured(ConditionContext context) {
    return Binder.get(context.getEnvironment())
        .bind("beckon.store.type", StoreType.class)
        .orElse(StoreType.AUTO);
  }

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata m) {
    StoreType type = configured(context);
    return type == StoreType.AUTO || type == store
        ? ConditionOutcome.match("beckon.store.type is " + type)
        : ConditionOutcome.noMatch("beckon.store.type is " + type + ", not " + store);
  }

  static final class Jdbc extends StoreTypeCondition {
    Jdbc() {
      super(StoreType.JDBC);
    }
  }

  static final class Redis extends StoreTypeCondition {
    Redis() {
      super(StoreType.REDIS);
    }
  }

  static final class AzureTable extends StoreTypeCondition {
    AzureTable() {
      super(StoreType.AZURE_TABLE);
    }
  }

  static final class DynamoDb extends StoreTypeCondition {
    DynamoDb() {
      super(StoreType.DYNAMODB);
    }
  }

  static final class Memory extends StoreTypeCondition {
    Memory() {
      super(StoreType.MEMORY);
    }
  }

  /** A store was named (not AUTO, not MEMORY), and nothing built it. */
  static final class Explicit extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata m) {
      StoreType type = configured(context);
      return type != StoreType.AUTO && type != StoreType.MEMORY
          ? ConditionOutcome.match("beckon.store.type is " + type)
          : ConditionOutcome.noMatch("beckon.store.type is " + type);
    }
  }
}
