/** Charts of benchmark results files (JFreeChart), for the README's Performance section. */
package dev.beckon.benchmarks.chart;
