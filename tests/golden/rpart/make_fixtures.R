# Golden fixtures for sp2lnob.opportunity.OpportunityTree (rpart ANOVA parity).
#
# Run from this directory:  Rscript make_fixtures.R
# Needs: R with rpart (Debian r-cran-rpart; produced with rpart 4.1.19) and jsonlite-free
# output (we write JSON by hand so no extra package is needed).
# Writes data_<name>.csv (the generated data) and fit_<name>__<control>.json (what rpart returned).
suppressPackageStartupMessages(library(rpart))
set.seed(20261122)

gen <- function(n, kind) {
  x_cont <- round(rnorm(n), 3)                         # continuous, some ties
  x_ord <- sample(1:6, n, replace = TRUE, prob = c(.1, .2, .25, .2, .15, .1))
  x_f3 <- factor(sample(c("a", "b", "c"), n, replace = TRUE, prob = c(.5, .3, .2)))
  x_f8 <- factor(sample(letters[1:8], n, replace = TRUE))
  x_f5 <- factor(sample(c("p", "q", "r", "s", "t"), n, replace = TRUE))
  eff8 <- c(a = -1, b = .5, c = 0, d = 1.2, e = -.4, f = .8, g = -1.5, h = .1)
  eff5 <- c(p = 0, q = .6, r = -.9, s = .3, t = 1)
  lin <- -0.2 + 0.8 * x_cont + 0.35 * (x_ord - 3) + c(a = 0, b = .7, c = -.8)[as.character(x_f3)] +
    eff8[as.character(x_f8)]
  if (kind == "mixed") lin <- lin + eff5[as.character(x_f5)]
  p <- 1 / (1 + exp(-lin))
  y <- rbinom(n, 1, p)
  w <- switch(kind,
              mixed = round(exp(rnorm(n, 0, 0.6)) * 100, 2),  # unequal, lognormal
              uniform = round(runif(n, 0.5, 3), 4),
              strata = c(50, 120, 300, 800)[sample(1:4, n, replace = TRUE)])
  d <- data.frame(y = y, w = w, x_cont = x_cont, x_ord = x_ord, x_f3 = x_f3, x_f8 = x_f8)
  if (kind == "mixed") d$x_f5 <- x_f5
  if (kind == "strata") d$x_cont <- NULL       # categorical-like data only
  d
}

datasets <- list(
  mixed5k = gen(5000, "mixed"),
  uniform20k = gen(20000, "uniform"),
  strata2k = gen(2000, "strata")
)
# zero weights: rpart counts these rows in n but skips them in the split search (bsplit.c)
zw <- gen(4000, "mixed")
zw$w[seq(1, nrow(zw), by = 7)] <- 0
datasets$zeroweights4k <- zw

controls <- list(
  escap = list(maxdepth = 6, minbucket = 49, cp = 0.01),
  finecp = list(maxdepth = 6, minbucket = 49, cp = 0.001),
  shallow = list(maxdepth = 3, minbucket = 20, cp = 0.005),
  deep = list(maxdepth = 5, minbucket = 100, cp = 0)
)

num <- function(x) ifelse(is.na(x), "null", formatC(x, digits = 17, format = "g"))
jvec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
jstr <- function(x) paste0("[", paste0('"', x, '"', collapse = ","), "]")

for (dn in names(datasets)) {
  d <- datasets[[dn]]
  write.csv(d, sprintf("data_%s.csv", dn), row.names = FALSE)
  for (cn in names(controls)) {
    ct <- controls[[cn]]
    fit <- rpart(y ~ . - w, data = d, weights = w, method = "anova",
                 control = rpart.control(maxdepth = ct$maxdepth, minbucket = ct$minbucket,
                                         cp = ct$cp, xval = 0, maxcompete = 0, maxsurrogate = 0))
    fr <- fit$frame
    sp <- if (is.null(fit$splits)) matrix(numeric(0), 0, 5) else fit$splits
    cs <- if (is.null(fit$csplit)) matrix(integer(0), 0, 0) else fit$csplit
    where_node <- as.integer(rownames(fr))[fit$where]
    vi <- fit$variable.importance
    out <- c(
      "{",
      sprintf('"rpart_version": "%s",', as.character(packageVersion("rpart"))),
      sprintf('"call": "rpart(y ~ . - w, data = data_%s.csv, weights = w, method = \\"anova\\", control = rpart.control(maxdepth = %d, minbucket = %d, cp = %s, xval = 0, maxcompete = 0, maxsurrogate = 0))",',
              dn, ct$maxdepth, ct$minbucket, num(ct$cp)),
      sprintf('"control": {"maxdepth": %d, "minbucket": %d, "cp": %s, "minsplit": %d},',
              ct$maxdepth, ct$minbucket, num(ct$cp), ct$minbucket * 3L),
      sprintf('"frame": {"node": %s, "var": %s, "n": %s, "wt": %s, "dev": %s, "yval": %s, "complexity": %s},',
              jvec(as.integer(rownames(fr))), jstr(as.character(fr$var)), jvec(fr$n), jvec(fr$wt),
              jvec(fr$dev), jvec(fr$yval), jvec(fr$complexity)),
      sprintf('"splits": {"var": %s, "count": %s, "ncat": %s, "improve": %s, "index": %s},',
              jstr(rownames(sp)), jvec(sp[, "count"]), jvec(sp[, "ncat"]), jvec(sp[, "improve"]),
              jvec(sp[, "index"])),
      sprintf('"csplit": [%s],', paste(apply(cs, 1, jvec), collapse = ",")),
      sprintf('"levels": {%s},', paste(sprintf('"%s": %s', names(attr(fit, "xlevels")),
                                              sapply(attr(fit, "xlevels"), jstr)), collapse = ",")),
      sprintf('"importance": {%s},', paste(sprintf('"%s": %s', names(vi), num(vi)), collapse = ",")),
      sprintf('"where": %s', jvec(where_node)),
      "}")
    writeLines(out, sprintf("fit_%s__%s.json", dn, cn))
  }
}
cat("done\n")
