// Every page: forms that ask before they act (data-confirm). No inline script anywhere: the
// service's Content-Security-Policy allows scripts from the service's own files only.
"use strict";
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
