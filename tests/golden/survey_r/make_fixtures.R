# Golden fixtures for sp2lnob.variance, produced with R's survey package.
#
# Run from this directory:  Rscript make_fixtures.R
# Writes: sample.csv (the generated sample), sample_brr.csv (2 PSUs per stratum),
#         replicate_*.csv (R's replicate multipliers, PSU level), survey_r.json (results).
# CI does not run R: the tests read the CSV/JSON written here.
suppressMessages({library(survey); library(jsonlite); library(laeken)})
set.seed(20240611)

## ---- a stratified two-level sample: 6 strata, 10-30 PSUs each, unequal weights ----
n_strata <- 6
psu_per_stratum <- c(10, 14, 18, 22, 26, 30)
rows <- list(); pid <- 0
for (h in seq_len(n_strata)) {
  for (j in seq_len(psu_per_stratum[h])) {
    pid <- pid + 1
    m <- sample(20:50, 1)                      # households (rows) in this PSU
    effect <- rnorm(1, 0, 0.35)                # cluster effect -> design effect > 1
    y <- exp(8 + 0.15 * h + effect + rnorm(m, 0, 0.8))
    x <- y * exp(rnorm(m, 0.2, 0.3)) + 100     # a second variable for ratios
    w <- round(runif(1, 50, 400) * exp(rnorm(m, 0, 0.25)), 2)
    rows[[pid]] <- data.frame(stratum = h, psu = j, w = w, y = y, x = x,
                              grp = sample(c("a", "b", "c"), m, TRUE, prob = c(.5, .3, .2)))
  }
}
df <- do.call(rbind, rows)
df$psu_id <- df$stratum * 100 + df$psu
# population number of PSUs per stratum, for the fpc design
Nh <- c(40, 30, 60, 50, 100, 45)
df$N_psu <- Nh[df$stratum]
df$fpc_fraction <- psu_per_stratum[df$stratum] / df$N_psu
write.csv(df, "sample.csv", row.names = FALSE)

line <- 2500                                   # a fixed poverty line
df$poor <- as.numeric(df$y < line)
df$gap <- pmax(0, 1 - df$y / line)
df$gap2 <- df$gap^2

d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = df)
out <- list()
se1 <- function(s) unname(sqrt(diag(vcov(s))))
out$r_version <- R.version.string
out$survey_version <- as.character(packageVersion("survey"))
out$laeken_version <- as.character(packageVersion("laeken"))
out$degf <- degf(d)

m <- svymean(~y, d); out$mean <- list(estimate = unname(coef(m)), se = se1(m),
  call = "svymean(~y, d)")
t <- svytotal(~y, d); out$total <- list(estimate = unname(coef(t)), se = se1(t),
  call = "svytotal(~y, d)")
r <- svyratio(~y, ~x, d); out$ratio <- list(estimate = unname(coef(r)), se = unname(sqrt(vcov(r)[1, 1])),
  call = "svyratio(~y, ~x, d)")
f <- svymean(~poor + gap + gap2, d)
out$fgt <- list(line = line, estimate = unname(coef(f)), se = se1(f),
  call = "svymean(~poor + gap + gap2, d) with poor = y < line, gap = pmax(0, 1 - y/line)")
b <- svyby(~y, ~grp, d, svymean)
out$mean_by_grp <- list(group = as.character(b$grp), estimate = unname(b$y), se = unname(b$se),
  call = "svyby(~y, ~grp, d, svymean)")
bt <- svyby(~y, ~grp, d, svytotal)
out$total_by_grp <- list(group = as.character(bt$grp), estimate = unname(bt$y), se = unname(bt$se),
  call = "svyby(~y, ~grp, d, svytotal)")
bp <- svyby(~poor, ~grp, d, svymean)
out$fgt0_by_grp <- list(group = as.character(bp$grp), estimate = unname(bp$poor), se = unname(bp$se),
  call = "svyby(~poor, ~grp, d, svymean)")
dsub <- subset(d, grp == "b")
mb <- svymean(~y, dsub)
out$mean_domain_b <- list(estimate = unname(coef(mb)), se = se1(mb), call = "svymean(~y, subset(d, grp == 'b'))")

quant <- function(design, rule) {
  q <- svyquantile(~y, design, c(0.1, 0.25, 0.5, 0.9), qrule = rule, ci = TRUE, se = TRUE)$y
  list(p = c(0.1, 0.25, 0.5, 0.9), estimate = unname(q[, 1]), ci_low = unname(q[, 2]),
       ci_high = unname(q[, 3]), se = unname(q[, 4]),
       call = sprintf("svyquantile(~y, d, c(0.1, 0.25, 0.5, 0.9), qrule = '%s', ci = TRUE, se = TRUE)  # interval.type = 'mean' (Woodruff), df = degf(d)", rule))
}
out$quantile_math <- quant(d, "math")
out$quantile_school <- quant(d, "school")

## ---- fpc: population number of PSUs per stratum ----
dfpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, fpc = ~N_psu, data = df)
mf <- svymean(~y, dfpc); out$mean_fpc <- list(estimate = unname(coef(mf)), se = se1(mf),
  call = "svymean(~y, svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE, fpc=~N_psu))")
tf <- svytotal(~y, dfpc); out$total_fpc <- list(estimate = unname(coef(tf)), se = se1(tf),
  call = "svytotal(~y, fpc design)")

## ---- lonely PSUs: stratum 7 with a single PSU (copy of stratum 1's first PSU) ----
lone <- df[df$stratum == 1 & df$psu == 1, ]; lone$stratum <- 7; lone$psu_id <- 701
dl <- rbind(df, lone)
write.csv(lone[, c("stratum", "psu", "w", "y", "x", "grp")], "lonely_extra.csv", row.names = FALSE)
out$lonely <- list()
for (opt in c("adjust", "average", "remove", "certainty")) {
  options(survey.lonely.psu = opt)
  dd <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = dl)
  mm <- svymean(~y, dd); tt <- svytotal(~y, dd)
  out$lonely[[opt]] <- list(mean = unname(coef(mm)), mean_se = se1(mm), total = unname(coef(tt)),
                            total_se = se1(tt),
                            call = sprintf("options(survey.lonely.psu='%s'); svymean/svytotal(~y, d + stratum 7 with one PSU)", opt))
}
options(survey.lonely.psu = "fail")

## ---- simple random sample, unit weights ----
srs <- data.frame(y = df$y[1:400])
ds <- svydesign(ids = ~1, weights = ~rep(1, 400), data = srs)
ms <- svymean(~y, ds)
out$srs <- list(n = 400, estimate = unname(coef(ms)), se = se1(ms),
  call = "svymean(~y, svydesign(ids=~1, weights=~rep(1,400), data=df[1:400,]))")

## ---- replicate designs: export PSU-level multipliers so Python uses the same replicates ----
export_rep <- function(rd, name) {
  rw <- rd$repweights                      # compressed: $weights (PSU x R), $index (row -> PSU)
  wmat <- rw$weights
  write.csv(data.frame(index = rw$index), sprintf("replicate_%s_index.csv", name), row.names = FALSE)
  write.csv(as.data.frame(wmat), sprintf("replicate_%s_weights.csv", name), row.names = FALSE)
  list(scale = rd$scale, rscales = unname(rd$rscales), type = rd$type, mse = rd$mse,
       combined_weights = rd$combined.weights, replicates = ncol(wmat))
}
rep_results <- function(rd) {
  mm <- svymean(~y, rd); rr <- svyratio(~y, ~x, rd); ff <- svymean(~poor + gap, rd)
  bb <- svyby(~y, ~grp, rd, svymean)
  g <- withReplicates(rd, function(w, data) gini(data$y, w)$value / 100)
  list(mean = unname(coef(mm)), mean_se = se1(mm), ratio = unname(coef(rr)),
       ratio_se = unname(sqrt(vcov(rr)[1, 1])), fgt = unname(coef(ff)), fgt_se = se1(ff),
       mean_by_grp = unname(bb$y), mean_by_grp_se = unname(bb$se),
       gini_laeken = unname(coef(g)), gini_laeken_se = unname(sqrt(vcov(g)[1, 1])))
}
out$replicate <- list()
rd <- as.svrepdesign(d, type = "JKn")
out$replicate$jkn <- c(export_rep(rd, "jkn"), rep_results(rd), call = "as.svrepdesign(d, type='JKn')")
d_unstrat <- svydesign(ids = ~psu_id, weights = ~w, data = df)
rd <- as.svrepdesign(d_unstrat, type = "JK1")
out$replicate$jk1 <- c(export_rep(rd, "jk1"), rep_results(rd),
  call = "as.svrepdesign(svydesign(ids=~psu_id, weights=~w, data=df), type='JK1')  # unstratified")
set.seed(7)
rd <- as.svrepdesign(d, type = "bootstrap", replicates = 60)
out$replicate$bootstrap <- c(export_rep(rd, "bootstrap"), rep_results(rd),
  call = "set.seed(7); as.svrepdesign(d, type='bootstrap', replicates=60)")

## ---- BRR and Fay on a two-PSU-per-stratum design (PSUs 1 and 2 of each stratum) ----
d2f <- df[df$psu <= 2, ]
write.csv(d2f, "sample_brr.csv", row.names = FALSE)
d2 <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = d2f)
m2 <- svymean(~y, d2)
out$brr_linearization <- list(estimate = unname(coef(m2)), se = se1(m2), call = "svymean(~y, 2-PSU design)")
rd <- as.svrepdesign(d2, type = "BRR")
out$replicate$brr <- c(export_rep(rd, "brr"), rep_results(rd), call = "as.svrepdesign(d2, type='BRR')")
rd <- as.svrepdesign(d2, type = "Fay", fay.rho = 0.3)
out$replicate$fay <- c(export_rep(rd, "fay"), rep_results(rd), call = "as.svrepdesign(d2, type='Fay', fay.rho=0.3)")

## ---- laeken point estimates (definitions), for information ----
out$laeken <- list(gini = gini(df$y, df$w)$value / 100, call = "laeken::gini(y, w)$value / 100")

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "survey_r.json")
cat("wrote survey_r.json\n")
