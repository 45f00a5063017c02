// The hub's own behaviour, on every page. Pages carry no inline script or on* handler (the
// Content-Security-Policy refuses them, see docs/security/csp.md): elements ask for behaviour
// with data- attributes, and htmx runs with eval off (<meta name="htmx-config"> in base.html).
"use strict";

// A formset's "add another" button (data-formset-counter="id of the TOTAL_FORMS input"): the new
// row's index goes with the request, and the count grows once the row has arrived.
document.addEventListener("htmx:configRequest", (event) => {
  const counter = event.detail.elt.dataset.formsetCounter;
  if (counter) {
    event.detail.parameters.index = document.getElementById(counter).value;
  }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const counter = event.detail.elt.dataset.formsetCounter;
  if (counter && event.detail.successful) {
    const total = document.getElementById(counter);
    total.value = String(parseInt(total.value, 10) + 1);
  }
});

// A field whose whole text is copied (a new API token): selected when it gets the focus.
document.addEventListener("focusin", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.dataset.selectOnFocus !== undefined) {
    event.target.select();
  }
});

// A table or chart wider than its box scrolls sideways (hub.css): while it does, the box is a named
// region in the tab order, so the keyboard can scroll it (WCAG 2.1.1). Checked again on resize and
// after htmx swaps, since a box that fits on a laptop may scroll on a phone.
const SCROLLERS = ".cdx-table__table-wrapper, .chart";
function markScrollers() {
  for (const box of document.querySelectorAll(SCROLLERS)) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const named = box.querySelector("caption, svg[aria-label], svg > title");
      const name = named && (named.getAttribute("aria-label") || named.textContent.trim());
      box.tabIndex = 0;
      box.dataset.scrolls = "";
      if (name) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name);
      }
    } else if (!scrolls && box.dataset.scrolls !== undefined) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrolls;
    }
  }
}
let scrollersPending = false;
function markScrollersSoon() {
  if (!scrollersPending) {
    scrollersPending = true;
    requestAnimationFrame(() => {
      scrollersPending = false;
      markScrollers();
    });
  }
}
markScrollers();
window.addEventListener("resize", markScrollersSoon);
document.addEventListener("htmx:afterSettle", markScrollersSoon);
