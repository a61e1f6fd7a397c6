package dev.beckon.storage.jdbc;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.spi.QueueRow;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.testkit.DeliveryQueueContract;
import dev.beckon.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The queue contract kit against each of the four databases, a fresh table per queue. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class JdbcDeliveryQueueContractTest extends DeliveryQueueContract {

  private final Dialect dialect;

  JdbcDeliveryQueueContractTest(Dialect dialect) {
    this.dialect = dialect;
  }

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
  }

  @Override
  protected DeliveryQueue createQueue(MutableClock clock) {
    return TestDatabases.deliveryQueue(dialect, clock);
  }

  @Override
  protected int racingDeliveries() {
    return dialect == Dialect.SQLITE ? 100 : 200;
  }

  @Override
  protected void writeRaw(DeliveryQueue queue, QueueRow r) {
    String table = ((JdbcDeliveryQueue) queue).tableName();
    String sql =
        "INSERT INTO "
            + table
            + " (key_hash, delivery_key, channel_id, conversation_id, payload, state, attempts,"
            + " not_before, first_due, created_at, updated_at, lease_token, lease_until,"
            + " last_outcome, activity_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = TestDatabases.dataSource(dialect).getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Object[] v = {
        r.keyHash(), r.deliveryKey(), r.channelId(), r.conversationId(), r.payload(), r.state(),
        r.attempts(), r.notBefore(), r.firstDue(), r.createdAt(), r.updatedAt(), r.leaseToken(),
        r.leaseUntil(), r.lastOutcome(), r.activityId()
      };
      for (int i = 0; i < v.length; i++) {
        if (v[i] == null) {
          ps.setNull(i + 1, java.sql.Types.VARCHAR);
        } else {
          ps.setObject(i + 1, v[i]);
        }
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
