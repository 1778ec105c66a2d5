// Marks the page as having JavaScript before it is drawn, as GOV.UK Frontend expects.
// Loaded as a classic (blocking) script straight after <body>: a Content-Security-Policy
// without 'unsafe-inline' allows no inline script for this.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
