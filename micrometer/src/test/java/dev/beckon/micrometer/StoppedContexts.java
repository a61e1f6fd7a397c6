package dev.beckon.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every stopped observation's context, in the order they stopped, with their final key values. */
final class StoppedContexts implements ObservationHandler<Observation.Context> {

  private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

  @Override
  public boolean supportsContext(Observation.Context context) {
    return true;
  }

  @Override
  public void onStop(Observation.Context context) {
    stopped.add(context);
  }

  List<Observation.Context> named(String name) {
    return stopped.stream().filter(c -> name.equals(c.getName())).toList();
  }
}
