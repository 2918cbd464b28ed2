/* Stafet's pages: suggestions as you type, the graph's details panel, small conveniences.
 *
 * Everything here is an enhancement: every page works without it. Text from the data is
 * only ever written with textContent, never as HTML; requests go to this app only.
 */
(function () {
  "use strict";

  var root = document.body ? document.body.getAttribute("data-root") || "" : "";
  var KIND_NAMES = { task: "Opgaver", unit: "Enheder", law: "Love", forum: "Fora" };
  var KIND_ORDER = ["task", "unit", "law", "forum"];
  var GROUP_SIZE = { task: 7, unit: 4, law: 3, forum: 3 };
  var counter = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  /* -- suggestions as you type (an ARIA combobox) ------------------------------------ */

  function autocomplete(input) {
    counter += 1;
    var listId = "forslag-" + counter;
    var list = element("ul", "suggestions");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Forslag");
    list.hidden = true;
    var wrap = element("span", "combo-wrap");
    input.parentNode.insertBefore(wrap, input);
    var focused = document.activeElement === input;
    wrap.appendChild(input);
    wrap.appendChild(list);
    if (focused || input.autofocus) {
      input.focus(); // moving the field into its wrapper took the focus from it
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var kind = input.getAttribute("data-autocomplete") || "any";
    var fill = input.getAttribute("data-fill");
    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      if (fill) {
        input.value = option.hit.id;
        close();
        return;
      }
      window.location.assign(root + "/id/" + encodeURIComponent(option.hit.kind) + "/" +
        encodeURIComponent(option.hit.id));
    }

    function show(hits) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      options = [];
      active = -1;
      if (!hits.length) {
        var empty = element("li", "empty", "Ingen forslag");
        empty.setAttribute("role", "presentation");
        list.appendChild(empty);
      }
      KIND_ORDER.forEach(function (group) {
        // Best first within each kind, a few of each: tasks would crowd out the rest.
        var inGroup = hits.filter(function (hit) { return hit.kind === group; })
          .slice(0, kind === "any" ? GROUP_SIZE[group] : 12);
        if (!inGroup.length) {
          return;
        }
        if (kind === "any") {
          var heading = element("li", "group", KIND_NAMES[group]);
          heading.setAttribute("role", "presentation");
          list.appendChild(heading);
        }
        inGroup.forEach(function (hit) {
          var item = element("li", "option");
          item.id = listId + "-" + options.length;
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", "false");
          if (hit.notation) {
            item.appendChild(element("span", "notation", hit.notation + " "));
          }
          item.appendChild(document.createTextNode(hit.label));
          if (hit.matched === "fuzzy") {
            item.appendChild(element("span", "muted", " (stavefejl rettet)"));
          }
          var option = { hit: hit, element: item };
          item.addEventListener("mousedown", function (event) {
            event.preventDefault(); // keep focus in the input
            choose(option);
          });
          options.push(option);
          list.appendChild(item);
        });
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function search() {
      var query = input.value.trim();
      if (query.length < 2) {
        close();
        return;
      }
      if (query === lastQuery && !list.hidden) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var url = root + "/api/v1/search?limit=" + (kind === "any" ? 40 : 12) + "&kind=" +
        encodeURIComponent(kind) +
        "&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (input.value.trim() === query) {
            show(body.results || []);
          }
        })
        .catch(function () { /* aborted or offline: no suggestions */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          search();
          return;
        }
        event.preventDefault();
        if (!options.length) {
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape") {
        // Close the suggestions, keep the text (a search field would clear itself).
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  /* -- the graph's details panel and the focus in the URL ----------------------------- */

  function showDetails(container, detail) {
    var panel = document.getElementById(container.id + "-detaljer");
    if (!panel) {
      return;
    }
    var node = detail.node || {};
    while (panel.firstChild) {
      panel.removeChild(panel.firstChild);
    }
    var title = node.title && node.title.textContent ? node.title.textContent.split("\n") : [];
    panel.appendChild(element("p", "picked", title[0] || node.label || detail.id));
    title.slice(1).forEach(function (line) {
      panel.appendChild(element("p", "muted", line));
    });
    var href = node.href;
    if (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/") {
      var link = element("a", null, "Åbn siden");
      link.href = root + href;
      var paragraph = element("p");
      paragraph.appendChild(link);
      if (node.kind === "unit" && window.location.pathname.indexOf("/id/unit/") !== -1) {
        var here = element("a", null, "Vis naboskabet herfra");
        here.href = root + href + window.location.search.replace(/([?&])fokus=[^&]*&?/, "$1");
        paragraph.appendChild(document.createTextNode(" · "));
        paragraph.appendChild(here);
      }
      panel.appendChild(paragraph);
    }
    if (window.history && window.history.replaceState && container.id === "graf") {
      var url = new URL(window.location.href);
      url.searchParams.set("fokus", String(detail.id));
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
  }

  document.addEventListener("stafet:select", function (event) {
    showDetails(event.target, event.detail || {});
  });

  /* -- on a phone: the lists first, the graph when asked for ---------------------------- */

  var PHONE = "(max-width: 40rem)";

  function graphOnRequest(container) {
    var frame = container.closest ? container.closest(".graf-ramme") : null;
    if (!frame || !window.matchMedia || !window.matchMedia(PHONE).matches) {
      return;
    }
    container.setAttribute("data-network-later", "");
    frame.id = frame.id || container.id + "-ramme";
    frame.hidden = true;
    var button = element("button", "vis-grafen", "Vis grafen");
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", frame.id);
    frame.parentNode.insertBefore(button, frame);
    button.addEventListener("click", function () {
      var open = frame.hidden;
      frame.hidden = !open;
      button.textContent = open ? "Skjul grafen" : "Vis grafen";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open && !container.stafetNetwork && window.StafetNetwork) {
        container.removeAttribute("data-network-later");
        var source = document.getElementById(container.getAttribute("data-network"));
        window.StafetNetwork.render(container, JSON.parse(source.textContent));
      }
    });
  }

  /* -- small conveniences -------------------------------------------------------------- */

  function remember(select) {
    var key = select.getAttribute("data-remember");
    try {
      if (!select.value && window.localStorage.getItem(key)) {
        select.value = window.localStorage.getItem(key);
      }
      select.addEventListener("change", function () {
        window.localStorage.setItem(key, select.value);
      });
    } catch (error) {
      /* storage switched off: nothing to remember */
    }
  }

  function autosubmit(form) {
    form.addEventListener("change", function () {
      form.submit();
    });
  }

  function copyButton(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    button.addEventListener("click", function () {
      function done(text) {
        if (status) {
          status.textContent = text;
        }
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.value).then(
          function () { done("Kopieret."); },
          function () { source.select(); done("Markeret: tryk Ctrl+C for at kopiere."); }
        );
      } else {
        source.select();
        done("Markeret: tryk Ctrl+C for at kopiere.");
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete]"), autocomplete);
    Array.prototype.forEach.call(document.querySelectorAll("select[data-remember]"), remember);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit]"), autosubmit);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), copyButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-network]"), graphOnRequest);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
