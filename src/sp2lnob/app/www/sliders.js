// Sliders: Shiny debounces slider input by 250 ms so a drag does not flood the
// server. On release, send the final value at once, so results follow the hand.
(function () {
  let active = null;
  document.addEventListener("pointerdown", function (ev) {
    const irs = ev.target.closest && ev.target.closest(".irs");
    active = irs ? irs.parentElement.querySelector("input.js-range-slider") : null;
  }, true);
  document.addEventListener("pointerup", function () {
    if (!active || !window.Shiny || !window.jQuery) return;
    const slider = window.jQuery(active).data("ionRangeSlider");
    if (slider) {
      const r = slider.result;
      const value = slider.options.type === "double" ? [r.from, r.to] : r.from;
      window.Shiny.setInputValue(active.id, value, { priority: "immediate" });
    }
    active = null;
  }, true);
})();
