package io.s3csi.launcher.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JVM's and the process's metrics, set up on the first scrape. Setting them up loads the JDK's
 * management classes (JMX, the platform MXBeans): a node plugin that nobody scrapes never pays for
 * them, and one that is scraped pays on the first scrape instead of at start, before it serves CSI.
 */
final class JvmMetrics implements MultiCollector {
  private static final Logger LOG = System.getLogger(JvmMetrics.class.getName());

  private PrometheusRegistry registry;

  @Override
  public MetricSnapshots collect() {
    return registry().scrape();
  }

  @Override
  public MetricSnapshots collect(PrometheusScrapeRequest request) {
    return registry().scrape(request);
  }

  @Override
  public MetricSnapshots collect(Predicate<String> includedNames) {
    return registry().scrape(includedNames);
  }

  @Override
  public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
    return registry().scrape(includedNames, request);
  }

  private synchronized PrometheusRegistry registry() {
    if (registry == null) {
      registry = new PrometheusRegistry();
      register(registry);
    }
    return registry;
  }

  /**
   * Registers the metrics group by group: a group the JVM cannot read (the JDK's operating-system
   * bean throws in some containers with an odd cgroup layout) is left out with a warning instead of
   * failing the scrape.
   */
  private static void register(PrometheusRegistry registry) {
    Map<String, Runnable> groups = new LinkedHashMap<>();
    groups.put("threads", () -> JvmThreadsMetrics.builder().register(registry));
    groups.put("buffer pools", () -> JvmBufferPoolMetrics.builder().register(registry));
    groups.put("class loading", () -> JvmClassLoadingMetrics.builder().register(registry));
    groups.put("compilation", () -> JvmCompilationMetrics.builder().register(registry));
    groups.put("garbage collection", () -> JvmGarbageCollectorMetrics.builder().register(registry));
    groups.put(
        "memory pool allocation",
        () -> JvmMemoryPoolAllocationMetrics.builder().register(registry));
    groups.put("memory", () -> JvmMemoryMetrics.builder().register(registry));
    groups.put("native memory", () -> JvmNativeMemoryMetrics.builder().register(registry));
    groups.put("runtime", () -> JvmRuntimeInfoMetric.builder().register(registry));
    groups.put("process", () -> ProcessMetrics.builder().register(registry));
    groups.forEach(
        (name, register) -> {
          try {
            register.run();
          } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "the JVM''s {0} metrics are not available: {1}", name, e);
          }
        });
  }
}
