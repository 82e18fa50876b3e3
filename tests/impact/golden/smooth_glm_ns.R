# Golden values for sp2lnob.impact.smooth (spline logit), produced with R's glm + splines::ns.
# A natural cubic spline with boundary knots t1, tk and interior knots t2..t(k-1) spans the same
# functions as Harrell's restricted cubic spline with knots t1..tk, so the fitted probabilities
# (and d eta / d x) of glm(y ~ z + ns(x, ...), quasibinomial, weights = w) must equal ours.
# Run: Rscript tests/impact/golden/smooth_glm_ns.R   (writes smooth_glm_ns.csv and smooth_glm_ns_knots.csv)
library(splines)
set.seed(20241122)
n <- 600
x <- rnorm(n, mean = 10, sd = 0.7)                  # log consumption
z <- sample(c("a", "b", "c"), n, replace = TRUE)   # an unordered circumstance
w <- runif(n, 0.5, 3)
eta <- -12 + 1.2 * x + 0.4 * (z == "b") - 0.6 * (z == "c") + 0.8 * pmax(x - 10, 0)^2
y <- rbinom(n, 1, plogis(eta))
knots <- as.numeric(quantile(x, c(0.05, 0.35, 0.65, 0.95), type = 7))
k <- length(knots)
fit <- glm(y ~ factor(z) + ns(x, knots = knots[2:(k - 1)], Boundary.knots = knots[c(1, k)]),
           family = quasibinomial, weights = w, control = glm.control(epsilon = 1e-12, maxit = 100))
p <- fitted(fit)
h <- 1e-5
up <- predict(fit, newdata = data.frame(x = x + h, z = z), type = "link")
dn <- predict(fit, newdata = data.frame(x = x - h, z = z), type = "link")
out <- data.frame(x = x, z = z, w = w, y = y, p = p, slope = (up - dn) / (2 * h))
write.csv(out, "smooth_glm_ns.csv", row.names = FALSE)
write.csv(data.frame(knot = knots), "smooth_glm_ns_knots.csv", row.names = FALSE)
