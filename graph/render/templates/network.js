/* Stafet's network renderer: draws a network built by graph/render/networks.py.
 *
 * One renderer for every place a network is shown: graph/render/embed.py inlines it into
 * stand-alone pages (notebooks), and the web app serves it from its own origin. Each
 * element with a data-network attribute names the id of a JSON data block (a script
 * element of type application/json) holding {nodes, edges, options, stafet}. Nothing
 * from the data is ever parsed as HTML: tooltips become text nodes, labels are drawn on
 * the canvas.
 *
 * The optional "stafet" object asks for more:
 *   cluster: "field"  start with one node per value of that node field (e.g.
 *                     "administration"); click a cluster to open it
 *   groups:  {value: {label, colour}}  names and colours of the clusters
 *   focusable: true   a click focuses a node and announces it ("stafet:select" event)
 *   focus: "node id"  the node to focus once the layout has settled
 *   min_label_px: 11  the smallest label size on screen at the first view (default 11):
 *                     where fitting the whole network would draw labels smaller, the
 *                     view zooms in on the centre (the focus, or the node at distance 0)
 * A container with a data-network-later attribute is left for the page to draw later
 * (StafetNetwork.render), e.g. on a phone when the reader asks for the graph.
 * When the layout has settled, the container gets data-stabilized-ms (the stabilisation
 * iterations) and data-settled-ms (the first "stabilized" event), both counted from the
 * start of rendering, and data-settled-since-load-ms (from navigation start); each opened
 * cluster counts up data-opened once its units have settled and are in view. At the first
 * view it gets data-initial-scale and data-label-px (the smallest label's font size times
 * the scale: how large the smallest label is drawn on screen, in CSS pixels).
 */
(function () {
  "use strict";

  function asText(value) {
    var element = document.createElement("div");
    element.className = "stafet-tooltip";
    element.textContent = String(value);
    return element;
  }

  function textTitles(items) {
    items.forEach(function (item) {
      if (typeof item.title === "string") {
        item.title = asText(item.title);
      }
    });
  }

  function announce(container, name, detail) {
    var event;
    try {
      event = new CustomEvent(name, { detail: detail, bubbles: true });
    } catch (error) {
      return; // a very old browser: the network still works, nothing listens anyway
    }
    container.dispatchEvent(event);
  }

  function clusterBy(field, network, data, extra) {
    var members = {};
    data.nodes.forEach(function (node) {
      var value = node[field];
      if (value) {
        members[value] = members[value] || {};
        members[value][node.id] = true;
      }
    });
    Object.keys(members).forEach(function (group) {
      var count = Object.keys(members[group]).length;
      if (count < 2) {
        return;
      }
      var about = (extra.groups && extra.groups[group]) || {};
      var name = about.label || group;
      network.cluster({
        joinCondition: function (node) {
          return members[group][node.id] === true;
        },
        clusterNodeProperties: {
          id: "klynge:" + group,
          label: name + " (" + count + ")",
          title: asText(name + ": " + count + " enheder. Klik for at åbne."),
          shape: "dot",
          size: 18 + 3 * Math.sqrt(count),
          color: about.colour || "#999999",
          borderWidth: 2,
          font: { size: 15 }
        }
      });
    });
  }

  var MIN_LABEL_PX = 11;

  function smallestFont(network) {
    var smallest = null;
    network.body.nodeIndices.forEach(function (id) {
      var node = network.body.nodes[id];
      if (node && node.options.label && node.options.font) {
        var size = Number(node.options.font.size);
        smallest = smallest === null ? size : Math.min(smallest, size);
      }
    });
    return smallest;
  }

  function centreOf(data, extra) {
    if (extra.focus !== undefined && extra.focus !== null) {
      return extra.focus;
    }
    for (var i = 0; i < data.nodes.length; i += 1) {
      if (data.nodes[i].distance === 0) {
        return data.nodes[i].id;
      }
    }
    return null;
  }

  // Zoom in as far as labels need to be readable; record what the reader gets.
  function readable(container, network, data, extra) {
    var font = smallestFont(network);
    if (!font) {
      return;
    }
    var wanted = (extra.min_label_px || MIN_LABEL_PX) / font;
    var scale = network.getScale();
    if (scale < wanted) {
      var centre = centreOf(data, extra);
      var position = centre !== null && network.body.nodes[centre] ?
        network.getPosition(centre) : network.getViewPosition();
      network.moveTo({ position: position, scale: wanted });
      scale = wanted;
    }
    container.setAttribute("data-initial-scale", scale.toFixed(3));
    container.setAttribute("data-label-px", (font * scale).toFixed(1));
  }

  function render(container, data) {
    var extra = data.stafet || {};
    textTitles(data.nodes);
    textTitles(data.edges);
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var started = performance.now();
    // Listen before the data arrives, so that no stabilisation event is missed.
    var network = new vis.Network(container, {}, data.options || {});
    container.stafetNetwork = network;
    // vis-network's own frame takes keyboard focus (arrows pan, + and - zoom): name it.
    var frame = container.querySelector(".vis-network");
    if (frame && container.getAttribute("aria-label")) {
      frame.setAttribute("role", "application");
      frame.setAttribute("aria-label", container.getAttribute("aria-label"));
    }

    function focus(id, announceIt) {
      if (id === null || id === undefined || !nodes.get(id)) {
        return;
      }
      network.selectNodes([id]);
      network.focus(id, { scale: 1.1, animation: { duration: 300 } });
      if (announceIt) {
        announce(container, "stafet:select", { id: id, node: nodes.get(id) });
      }
    }

    network.once("stabilizationIterationsDone", function () {
      container.setAttribute("data-stabilized-ms", String(Math.round(performance.now() - started)));
      readable(container, network, data, extra);  // vis-network has just fitted the view
    });
    network.once("stabilized", function () {
      var now = performance.now();
      if (!container.hasAttribute("data-stabilized-ms")) {
        container.setAttribute("data-stabilized-ms", String(Math.round(now - started)));
      }
      container.setAttribute("data-settled-ms", String(Math.round(now - started)));
      container.setAttribute("data-settled-since-load-ms", String(Math.round(now)));
      if (extra.focus !== undefined && extra.focus !== null) {
        focus(extra.focus, true);
      }
      announce(container, "stafet:settled", { ms: Math.round(now - started) });
    });
    network.on("click", function (params) {
      if (!params.nodes.length) {
        return;
      }
      var id = params.nodes[0];
      if (network.isCluster(id)) {
        network.openCluster(id);
        // The opened units spread out from where the cluster was: show them all again.
        network.once("stabilized", function () {
          network.fit();
          readable(container, network, data, {});
          var opened = Number(container.getAttribute("data-opened") || "0") + 1;
          container.setAttribute("data-opened", String(opened));
        });
        return;
      }
      if (extra.focusable) {
        focus(id, true);
      }
    });
    network.setData({ nodes: nodes, edges: edges });
    if (typeof extra.cluster === "string") {
      clusterBy(extra.cluster, network, data, extra);
    }
    return network;
  }

  function renderAll() {
    var containers = document.querySelectorAll("[data-network]");
    Array.prototype.forEach.call(containers, function (container) {
      var source = document.getElementById(container.getAttribute("data-network"));
      if (source && !container.stafetNetwork && !container.hasAttribute("data-network-later")) {
        render(container, JSON.parse(source.textContent));
      }
    });
  }

  window.StafetNetwork = { render: render, renderAll: renderAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
