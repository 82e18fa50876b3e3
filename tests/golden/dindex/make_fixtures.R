# Golden D-index values (cells and logit definitions) computed independently in R.
# Run from this directory: Rscript make_fixtures.R  (base R only; uses ../rpart/data_mixed5k.csv)
# D = (1/(2 pbar)) sum_i beta_i |p_i - pbar| (Paes de Barros et al. 2009).
d <- read.csv("../rpart/data_mixed5k.csv")
dindex <- function(p, wt) { b <- wt / sum(wt); pbar <- sum(b * p); sum(b * abs(p - pbar)) / (2 * pbar) }
# cells: full cross-classification of x_f3 (unordered) and x_ord (ordered)
cell <- interaction(d$x_f3, d$x_ord, drop = TRUE)
rate <- tapply(d$y * d$w, cell, sum) / tapply(d$w, cell, sum)
wsum <- tapply(d$w, cell, sum)
d_cells <- dindex(rate, wsum)
# logit: weighted logit on x_f3 (dummies) + x_ord (linear) + x_cont (linear)
fit <- suppressWarnings(glm(y ~ factor(x_f3) + x_ord + x_cont, family = quasibinomial, weights = w, data = d))
p_hat <- fitted(fit)
d_logit <- dindex(p_hat, d$w)
pbar <- sum(d$w * d$y) / sum(d$w)
writeLines(c("{",
  sprintf('"d_cells": %.17g,', d_cells),
  sprintf('"d_logit": %.17g,', d_logit),
  sprintf('"mean_rate": %.17g,', pbar),
  sprintf('"coef": [%s],', paste(sprintf("%.17g", coef(fit)), collapse = ",")),
  sprintf('"coef_names": [%s]', paste0('"', names(coef(fit)), '"', collapse = ",")),
  "}"), "dindex_mixed5k.json")
cat("done\n")
