# Golden values for sp2lnob.measures from R laeken and R survey.
#
# Run from the repository root:  Rscript tests/golden/laeken/make_fixtures.R
# Writes, next to this script:
#   data_<name>.csv   the input data (columns x, w), written with 17 significant
#                     digits and READ BACK before computing, so Python and R
#                     work on bit-identical doubles;
#   expected.csv      dataset, measure, p, value (value with 17 significant digits);
#   provenance.json   R and package versions, date, and the calls used.
# CI does not run this script; tests/measures/test_golden_laeken.py reads its output.

suppressPackageStartupMessages({
  library(laeken)
  library(survey)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(script)) dirname(normalizePath(script)) else "tests/golden/laeken"

write_data <- function(name, x, w) {
  path <- file.path(out_dir, paste0("data_", name, ".csv"))
  writeLines(c("x,w", sprintf("%.17g,%.17g", x, w)), path)
  d <- read.csv(path, colClasses = c("numeric", "numeric"))
  stopifnot(identical(d$x, as.numeric(x)), identical(d$w, as.numeric(w)))
  d
}

set.seed(20261122)
datasets <- list()

# (a) laeken's own EU-SILC synthetic data: equivalised income, personal weights.
data(eusilc)
datasets$eusilc <- write_data("eusilc", eusilc$eqIncome, eusilc$rb050)

# (b) lognormal incomes rounded to 10 (many ties), unequal continuous weights.
n <- 2000
datasets$lognormal_ties <- write_data(
  "lognormal_ties",
  round(exp(rnorm(n, 9, 0.8)) / 10) * 10,
  round(runif(n, 0.5, 300), 3))

# (c) few distinct values and integer weights: the weighted CDF hits many p
#     exactly, which exercises the tie / exact-hit branches of every rule.
n <- 500
datasets$integer_ties <- write_data(
  "integer_ties",
  sample(c(100, 150, 200, 250, 300, 400, 600, 1000), n, replace = TRUE,
         prob = c(8, 7, 6, 5, 4, 3, 2, 1)),
  sample(1:20, n, replace = TRUE))

# (d) Pareto-tailed incomes with some zeros, gamma weights.
n <- 3000
x <- (runif(n)^(-1 / 2.5)) * 5000
x[sample.int(n, 30)] <- 0
datasets$pareto_zeros <- write_data("pareto_zeros", x, rgamma(n, shape = 2, scale = 150))

# (e) 20 distinct values, each holding exactly 1/20 of the weight split over 1-3
#     rows (integer weights, W = 100): the CDF hits every multiple of 0.05
#     exactly at a tie-block end, the case where 'math', 'school' and 'laeken' differ.
splits <- list(5, c(2, 3), c(1, 4), c(1, 1, 3), c(1, 2, 2))
vals <- sort(sample(seq(50, 2000, by = 10), 20))
parts <- lapply(vals, function(v) { s <- splits[[sample.int(5, 1)]]; data.frame(x = v, w = s) })
e <- do.call(rbind, parts)[sample.int(sum(sapply(parts, nrow))), ]
datasets$exact_hits <- write_data("exact_hits", e$x, e$w)

# (f) unit weights with ties (n = 40): laeken's and survey's unweighted paths.
datasets$unit_weights <- write_data("unit_weights", sample(c(1:15, 5, 5, 7, 7, 7), 40, replace = TRUE),
                                    rep(1, 40))

probs <- c(0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9, 0.95)
rows <- list()
add <- function(dataset, measure, p, value) {
  rows[[length(rows) + 1]] <<- data.frame(dataset = dataset, measure = measure,
                                         p = p, value = sprintf("%.17g", value))
}

for (name in names(datasets)) {
  d <- datasets[[name]]
  x <- d$x
  w <- d$w
  add(name, "gini", NA, gini(x, w)$value / 100)
  a <- arpr(x, w, p = 0.6)
  add(name, "arpr", 0.6, a$value / 100)
  add(name, "arpt", 0.6, a$threshold)
  a5 <- arpr(x, w, p = 0.5)
  add(name, "arpr", 0.5, a5$value / 100)
  add(name, "arpt", 0.5, a5$threshold)
  add(name, "qsr", NA, qsr(x, w)$value)
  add(name, "rmpg", 0.6, rmpg(x, w)$value / 100)
  add(name, "weightedMedian", 0.5, weightedMedian(x, w))
  wq <- weightedQuantile(x, w, probs = probs)
  for (i in seq_along(probs)) add(name, "weightedQuantile", probs[i], wq[i])
  des <- svydesign(ids = ~1, weights = ~w, data = d)
  add(name, "svymean", NA, coef(svymean(~x, des)))
  for (rule in c("math", "school")) {
    q <- svyquantile(~x, des, quantiles = probs, qrule = rule, ci = FALSE)$x
    for (i in seq_along(probs)) add(name, paste0("svyquantile_", rule), probs[i], q[1, i])
  }
  add(name, "weighted.mean", NA, weighted.mean(x, w))
}

expected <- do.call(rbind, rows)
write.csv(expected, file.path(out_dir, "expected.csv"), row.names = FALSE, quote = FALSE, na = "")

provenance <- list(
  generated = format(Sys.time(), tz = "UTC", usetz = TRUE),
  r_version = R.version.string,
  packages = list(laeken = as.character(packageVersion("laeken")),
                  survey = as.character(packageVersion("survey")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  seed = 20261122,
  calls = list(
    gini = "laeken::gini(x, w)$value / 100",
    arpr = "laeken::arpr(x, w, p = p)$value / 100; arpt = its $threshold",
    qsr = "laeken::qsr(x, w)$value",
    rmpg = "laeken::rmpg(x, w)$value / 100",
    weightedMedian = "laeken::weightedMedian(x, w)",
    weightedQuantile = "laeken::weightedQuantile(x, w, probs = p)",
    svyquantile = "survey::svyquantile(~x, svydesign(ids = ~1, weights = ~w, data = d), quantiles = p, qrule = rule, ci = FALSE)",
    svymean = "coef(survey::svymean(~x, design))",
    weighted.mean = "stats::weighted.mean(x, w)"))
write_json(provenance, file.path(out_dir, "provenance.json"), auto_unbox = TRUE, pretty = TRUE)
cat("wrote", nrow(expected), "golden values to", out_dir, "\n")
