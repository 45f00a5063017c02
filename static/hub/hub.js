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
