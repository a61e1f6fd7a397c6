/**
 * Benchmark suites, one class {@code <Name>Benchmark} per suite with a {@code main}, run by {@code
 * scripts/bench.sh}. Every suite measures Beckon and its baseline in the same run.
 */
package dev.beckon.benchmarks;
