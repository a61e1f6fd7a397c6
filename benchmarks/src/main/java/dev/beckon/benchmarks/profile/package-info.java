/** Reading the benchmarks' JFR recordings: where a subject's CPU samples and allocations go. */
package dev.beckon.benchmarks.profile;
