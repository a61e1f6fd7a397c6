package dev.beckon.spring.boot.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/**
 * Calls the {@code beckonHealthIndicator} bean through whichever Actuator line is on the classpath
 * (Boot 3's or Boot 4's HealthIndicator; the tests run on both), without naming either type.
 */
record Health(String status, Map<String, Object> details, String text) {

  static final String BOOT3 = "org.springframework.boot.actuate.health.HealthIndicator";
  static final String BOOT4 = "org.springframework.boot.health.contributor.HealthIndicator";

  static boolean present(String type) {
    try {
      Class.forName(type, false, Health.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static String indicatorType() {
    return present(BOOT4) ? BOOT4 : BOOT3;
  }

  @SuppressWarnings("unchecked")
  static Health of(ApplicationContext context)
      throws ReflectiveOperationException, InvocationTargetException {
    Class<?> type = Class.forName(indicatorType());
    Object indicator = context.getBean("beckonHealthIndicator");
    Object health = type.getMethod("health").invoke(indicator);
    Object status = health.getClass().getMethod("getStatus").invoke(health);
    String code = (String) status.getClass().getMethod("getCode").invoke(status);
    Map<String, Object> details =
        (Map<String, Object>) health.getClass().getMethod("getDetails").invoke(health);
    return new Health(code, details, health.toString());
  }
}
