# Time R's rpart on the same data as benchmarks/bench_lnob.py's "tree 1.5M" case.
# Usage: Rscript benchmarks/r_compare_rpart.R DATA.csv [REPEATS]
# DATA.csv: columns y, w, wealth, urban, region (unordered), educ, hhsize, written by
#   .venv/bin/python -m benchmarks.bench_lnob --write-tree-data DATA.csv
# Prints one line per repeat: "rpart_seconds <elapsed>" (model fit only, CSV reading excluded).
suppressPackageStartupMessages(library(rpart))
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
repeats <- if (length(args) > 1) as.integer(args[2]) else 3L
d <- read.csv(path, colClasses = c(region = "factor"))
for (i in seq_len(repeats)) {
  t <- system.time(fit <- rpart(y ~ wealth + urban + region + educ + hhsize, data = d, weights = w,
                                method = "anova",
                                control = rpart.control(maxdepth = 6, minbucket = 49, cp = 0.01,
                                                        xval = 0, maxcompete = 0, maxsurrogate = 0)))
  cat(sprintf("rpart_seconds %.4f\n", t[["elapsed"]]))
}
cat(sprintf("rpart_nodes %d\n", nrow(fit$frame)))
