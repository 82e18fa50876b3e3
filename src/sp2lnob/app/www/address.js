// The address bar follows the page shown (?page=spi), so a link or a reload opens the
// same page; other query parameters (e.g. ?scenario=) are kept. Nothing is sent anywhere.
window.addEventListener("DOMContentLoaded", function () {
  if (!window.jQuery) return;
  window.jQuery(document).on("shiny:inputchanged", function (ev) {
    if (ev.name !== "page" || typeof ev.value !== "string") return;
    const url = new URL(window.location.href);
    if (url.searchParams.get("page") === ev.value) return;
    url.searchParams.set("page", ev.value);
    window.history.replaceState(null, "", url);
  });
});
