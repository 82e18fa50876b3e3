// Charts drawn by plotly.js (loaded once) from figures the server sends as JSON.
// One message per update, instead of a widget per chart (each ipywidget ships the
// whole plotly bundle, about 5 MB, to the browser).
(function () {
  const config = { responsive: true, displaylogo: false };
  function draw(msg) {
    const el = document.getElementById(msg.id);
    if (!el || !window.Plotly) return;
    window.Plotly.react(el, msg.figure.data || [], msg.figure.layout || {}, config);
  }
  function register() {
    window.Shiny.addCustomMessageHandler("sp2lnob-plot", draw);
  }
  if (window.Shiny && window.Shiny.addCustomMessageHandler) register();
  else document.addEventListener("DOMContentLoaded", register);
  // A chart drawn while its tab was hidden has no width: resize when the tab shows.
  document.addEventListener("shown.bs.tab", function () {
    document.querySelectorAll(".tab-pane.active .sp2lnob-plot.js-plotly-plot").forEach(function (el) {
      window.Plotly.Plots.resize(el);
    });
  });
})();
