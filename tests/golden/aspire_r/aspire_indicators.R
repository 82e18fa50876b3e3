# Golden values for sp2lnob.performance from R's survey package (Lumley), on data.csv
# (written by make_data.py). Run from this folder:  Rscript aspire_indicators.R
# Writes expected.csv: indicator, group_var, group, value, se.
# Design: with-replacement PSUs within strata (ultimate cluster), PSU codes unique across strata.
suppressPackageStartupMessages(library(survey))
d <- read.csv("data.csv")
d$y_ben <- d$y * d$ben
d$amt_ben <- d$amt * d$ben
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
out <- list()
add <- function(indicator, group_var, group, est, se) {
  out[[length(out) + 1]] <<- data.frame(indicator = indicator, group_var = group_var,
                                        group = group, value = est, se = se)
}
for (gv in c("quintile", "sex")) {
  f <- as.formula(paste0("~", gv))
  # coverage: mean of the beneficiary flag in each group (domain estimation)
  cov <- svyby(~ben, f, des, svymean)
  add("coverage", gv, cov[[gv]], coef(cov), SE(cov))
  # adequacy: sum w amt ben / sum w y ben within the group; average transfer: / sum w ben
  adq <- svyby(~amt_ben, f, denominator = ~y_ben, design = des, FUN = svyratio)
  add("adequacy", gv, adq[[gv]], coef(adq), SE(adq))
  avg <- svyby(~amt_ben, f, denominator = ~ben, design = des, FUN = svyratio)
  add("average_transfer", gv, avg[[gv]], coef(avg), SE(avg))
  # incidences: group's share of all beneficiaries / of all transfers (ratio of two totals)
  for (g in sort(unique(d[[gv]]))) {
    d_g <- as.numeric(d[[gv]] == g)
    des2 <- update(des, ben_g = ben * d_g, amt_g = amt * d_g)
    bi <- svyratio(~ben_g, ~ben, des2)
    add("beneficiary_incidence", gv, g, coef(bi), SE(bi))
    ti <- svyratio(~amt_g, ~amt, des2)
    add("benefit_incidence", gv, g, coef(ti), SE(ti))
  }
}
res <- do.call(rbind, out)
write.csv(res, "expected.csv", row.names = FALSE)
cat("R", R.version$major, R.version$minor, "survey", as.character(packageVersion("survey")), "\n")
