/*
 * Council suggestions as you type, for any <input data-council-suggest="/councils/suggest/">.
 *
 * Progressive enhancement only: without this script the input is part of a plain GET search
 * form. With it, the input gets a <datalist> of up to ten matching councils from the
 * suggest endpoint, and a polite live region says how many there are. No inline script or
 * style is used, so it runs under a strict Content Security Policy.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY = 200;

  function enhance(input, index) {
    var endpoint = input.getAttribute("data-council-suggest");
    if (!endpoint || !window.fetch || !("list" in input)) {
      return;
    }
    var id = (input.id || "council-suggest-" + index) + "-suggestions";
    var datalist = document.createElement("datalist");
    datalist.id = id;
    var status = document.createElement("div");
    status.className = "govuk-visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.setAttribute("list", id);
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", datalist);

    var timer = null;
    var controller = null;
    var last = null;

    function show(items) {
      while (datalist.firstChild) {
        datalist.removeChild(datalist.firstChild);
      }
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.name;
        datalist.appendChild(option);
      });
      if (items.length === 0) {
        status.textContent = "No councils match";
      } else if (items.length === 1) {
        status.textContent = "1 council matches: " + items[0].name;
      } else {
        status.textContent = items.length + " councils match";
      }
    }

    function lookup() {
      var query = input.value.trim();
      if (query === last) {
        return;
      }
      last = query;
      if (query.length < MIN_LENGTH) {
        show([]);
        status.textContent = "";
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new window.AbortController() : null;
      var separator = endpoint.indexOf("?") === -1 ? "?" : "&";
      window
        .fetch(endpoint + separator + "q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller ? controller.signal : undefined
        })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (items) {
          if (Array.isArray(items)) {
            show(items.slice(0, 10));
          }
        })
        .catch(function () {
          /* Suggestions are a nicety: the form still works without them. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY);
    });
  }

  var inputs = document.querySelectorAll("input[data-council-suggest]");
  for (var i = 0; i < inputs.length; i++) {
    enhance(inputs[i], i);
  }
})();
