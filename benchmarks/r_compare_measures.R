# Time R laeken's gini() and arpr() on the same data the Python benchmark uses,
# so R's timing can be put beside sp2lnob's (benchmarks/bench_measures.py).
#
#   .venv/bin/python -m benchmarks.bench_measures --write-compare-data /tmp/measures_1.5M.csv
#   Rscript benchmarks/r_compare_measures.R /tmp/measures_1.5M.csv
# and, for welfare without ties (the Gini then needs a full sort on both sides):
#   .venv/bin/python -m benchmarks.bench_measures --write-compare-data /tmp/cont.csv --continuous
#   Rscript benchmarks/r_compare_measures.R /tmp/cont.csv
#
# Prints one line per function: name, rows, median seconds of 5 runs (after a warm-up).
suppressPackageStartupMessages(library(laeken))
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args)) args[1] else "/tmp/measures_1.5M.csv"
d <- read.csv(path, colClasses = c("numeric", "numeric"))
x <- d$x
w <- d$w
time_it <- function(label, f, repeats = 5) {
  f()  # warm-up
  secs <- replicate(repeats, system.time(f())[["elapsed"]])
  cat(sprintf("%-8s rows=%d median_seconds=%.4f  value=%.10g\n", label, length(x), median(secs), f()))
}
time_it("gini", function() gini(x, w)$value / 100)
time_it("arpr", function() arpr(x, w)$value / 100)
time_it("qsr", function() qsr(x, w)$value)
time_it("median", function() weightedMedian(x, w))
cat(R.version.string, " laeken", as.character(packageVersion("laeken")), "\n")
