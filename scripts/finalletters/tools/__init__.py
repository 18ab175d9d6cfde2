"""Tools around the pipeline, not stages of it: the benchmark, synthetic corpora and the
renderer of the demonstration letters."""
