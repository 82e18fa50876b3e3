# Time R survey's svydesign() + svymean() on the same data as sp2lnob's benchmark
# (benchmarks/bench_variance.py), for the issue target "design + SE in a tenth of R's time".
#
#   .venv/bin/python benchmarks/bench_variance.py --write-compare-data /tmp/variance_1.5M.csv
#   Rscript benchmarks/r_compare_variance.R /tmp/variance_1.5M.csv
#
# Prints the median seconds of 3 runs (after a warm-up) and the estimate/SE to compare.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args)) args[1] else "/tmp/variance_1.5M.csv"
d <- read.csv(path, colClasses = c("numeric", "numeric", "integer", "integer"))
# columns y, w, stratum, psu (PSU codes are unique across strata; nest=TRUE is harmless)
run <- function() {
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = d)
  svymean(~y, des)
}
invisible(run())  # warm-up
secs <- replicate(3, system.time(run())[["elapsed"]])
m <- run()
cat(sprintf("R survey design+mean rows=%d median_seconds=%.4f mean=%.10g se=%.10g\n",
            nrow(d), median(secs), coef(m), SE(m)))
cat(R.version.string, " survey", as.character(packageVersion("survey")), "\n")
