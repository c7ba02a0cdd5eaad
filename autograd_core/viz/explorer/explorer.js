// The backprop explorer: steps through the data embedded in `root` (a `.agx` element).
// Runs once per explorer; everything it touches lives inside `root`, so several
// explorers share a page (a notebook) without clashing.
"use strict";
if (!root || root.getAttribute("data-ready")) return;
root.setAttribute("data-ready", "1");

var SVGNS = "http://www.w3.org/2000/svg";
var data = JSON.parse(root.querySelector("script.agx-data").textContent);
var svg = root.querySelector("svg");
var $ = function (selector) { return root.querySelector(selector); };
var chainRule = $('[data-role="chain-rule"]');
var counter = $('[data-role="step"]');
var slider = $('[data-role="slider"]');
var details = $('[data-role="details"]');
var layers = $('[data-role="layers"]');
var playButton = $('[data-action="play"]');

var state = { mode: "backward", pos: 0, selected: null, collapsed: {}, timer: null, zoom: 1 };

// -- the drawing's elements -------------------------------------------------------------
var nodeById = {};
svg.querySelectorAll("g[data-id]").forEach(function (g) { nodeById[g.getAttribute("data-id")] = g; });
var edgesByEnds = {};
var allEdges = Array.prototype.slice.call(svg.querySelectorAll("g[data-tail]"));
allEdges.forEach(function (g) {
  var key = g.getAttribute("data-tail") + ">" + g.getAttribute("data-head");
  (edgesByEnds[key] = edgesByEnds[key] || []).push(g);
});
var clusterByScope = {};
svg.querySelectorAll("g[data-cluster]").forEach(function (g) { clusterByScope[g.getAttribute("data-cluster")] = g; });
var graphLayer = svg.querySelector("g.graph") || svg;
var labelLayer = document.createElementNS(SVGNS, "g");
var coverLayer = document.createElementNS(SVGNS, "g");
graphLayer.appendChild(labelLayer);
graphLayer.appendChild(coverLayer);

function rowOf(domId, cls) {
  var g = nodeById[domId];
  return g ? g.querySelector("text." + cls) : null;
}
data.tensors.forEach(function (t) {
  t.gradRow = t.dom ? rowOf(t.dom, "agx-grad") : null;
  t.dataRow = t.dom ? rowOf(t.dom, "agx-data") : null;
});
// The forward position at which each op's output exists.
var forwardIndex = {};
data.forward.forEach(function (f, i) { forwardIndex[f.op] = i; });

// -- stepping ---------------------------------------------------------------------------
function steps() { return state.mode === "backward" ? data.steps : data.forward; }

function go(pos) {
  var n = steps().length;
  state.pos = Math.max(0, Math.min(n, pos));
  render();
}

function gradientAt(t, pos) {
  // The last gradient event of tensor `t` from a step already run (steps < pos).
  var found = null;
  for (var i = 0; i < t.grads.length && t.grads[i][0] < pos; i++) found = t.grads[i];
  return found;
}

function setClass(element, cls, on) {
  if (element) element.classList.toggle(cls, !!on);
}

function render() {
  var list = steps();
  var pos = state.pos;
  var backward = state.mode === "backward";
  slider.max = String(list.length);
  slider.value = String(pos);
  counter.textContent = "step " + pos + " / " + list.length;
  var current = pos > 0 ? list[pos - 1] : null;
  if (current) {
    chainRule.textContent = current.text;
  } else if (backward) {
    chainRule.textContent = list.length
      ? "Before the backward pass: no gradient is known yet. Step forward (\u25B6 or ArrowRight) to run the first node."
      : "The output is a leaf: there is no operation to run backward.";
  } else {
    chainRule.textContent = "Before the forward pass: only the leaves have values. Step forward to run the first operation.";
  }
  // Ops: the one running now, those already run.
  data.ops.forEach(function (op, j) {
    var g = nodeById[op.dom];
    if (!g || op.boxed) return;
    var ran = backward ? op.step !== null && op.step < pos - 1 : forwardIndex[j] < pos - 1;
    var now = current && current.op === j;
    setClass(g, "agx-done", ran && !now);
    setClass(g, backward ? "agx-current" : "agx-current-forward", now);
    setClass(g, backward ? "agx-current-forward" : "agx-current", false);
  });
  Object.keys(data.boxes).forEach(function (boxId) {
    var op = current ? data.ops[current.op] : null;
    setClass(nodeById[boxId], "agx-current", op && op.boxed && op.dom === boxId);
  });
  // Tensors: their gradient (backward) or whether their value exists yet (forward).
  data.tensors.forEach(function (t, i) {
    var g = t.dom ? nodeById[t.dom] : null;
    setClass(g, "agx-current-tensor", current && data.ops[current.op].tensor === i);
    if (t.gradRow) {
      var event = backward ? gradientAt(t, pos) : null;
      t.gradRow.textContent = event ? "grad " + event[1] : "grad ?";
      setClass(t.gradRow, "agx-unknown", !event);
      setClass(t.gradRow, "agx-hidden", !backward);
    }
    if (t.dataRow) {
      var opIndex = t.kind === "leaf" ? null : tensorOp[i];
      var known = backward || opIndex === null || opIndex === undefined || forwardIndex[opIndex] < pos;
      setClass(t.dataRow, "agx-hidden", !known);
    }
  });
  renderEdges(current, backward);
  renderCovers(current);
  if (current) reveal(data.ops[current.op].dom);
  if (state.selected) showDetails(state.selected);
}

// Scroll the drawing (never the page around it) so that the node `domId` is in view.
function reveal(domId) {
  var g = nodeById[domId];
  var view = $(".agx-graph");
  if (!g || !view.clientHeight) return;
  var box = g.getBoundingClientRect(), frame = view.getBoundingClientRect();
  if (box.top < frame.top || box.bottom > frame.bottom) {
    view.scrollTop += box.top - frame.top - (view.clientHeight - box.height) / 2;
  }
  if (box.left < frame.left || box.right > frame.right) {
    view.scrollLeft += box.left - frame.left - (view.clientWidth - box.width) / 2;
  }
}

var tensorOp = {};
data.ops.forEach(function (op, j) { tensorOp[op.tensor] = j; });

function edgeElements(tail, head, used) {
  var key = tail + ">" + head;
  var list = edgesByEnds[key] || [];
  var k = used[key] || 0;
  used[key] = k + 1;
  return list[Math.min(k, list.length - 1)] || null;
}

function renderEdges(current, backward) {
  allEdges.forEach(function (g) {
    g.classList.remove("agx-edge-current", "agx-edge-done", "agx-edge-forward");
  });
  while (labelLayer.firstChild) labelLayer.removeChild(labelLayer.firstChild);
  if (backward) {
    for (var s = 0; s < state.pos; s++) {
      var used = {};
      data.steps[s].edges.forEach(function (e) {
        var g = edgeElements(e[0], e[1], used);
        if (!g) return;
        if (s === state.pos - 1) {
          g.classList.add("agx-edge-current");
          label(g, "grad " + e[2]);
        } else {
          g.classList.add("agx-edge-done");
        }
      });
    }
  } else if (current) {
    var op = data.ops[current.op];
    allEdges.forEach(function (g) {
      if (g.getAttribute("data-head") === op.dom) g.classList.add("agx-edge-forward");
    });
  }
}

// The gradient an edge carries, written at its middle (the drawing leaves room between
// ranks for it).
function label(edge, text) {
  var path = edge.querySelector("path");
  if (!path || !path.getTotalLength) return;
  var length = path.getTotalLength();
  if (text.length > 40) text = text.slice(0, 39) + "\u2026";
  var point = path.getPointAtLength(length / 2);
  var t = document.createElementNS(SVGNS, "text");
  t.setAttribute("x", point.x);
  t.setAttribute("y", point.y - 4);
  t.setAttribute("text-anchor", "middle");
  t.setAttribute("class", "agx-edge-label");
  t.textContent = text;
  labelLayer.appendChild(t);
}

// -- clusters: collapse and expand ------------------------------------------------------
function within(scope, outer) { return scope === outer || scope.indexOf(outer + ".") === 0; }

function buildLayers() {
  if (!data.clusters.length) return;
  var title = document.createElement("span");
  title.textContent = "scopes:";
  title.className = "agx-muted";
  layers.appendChild(title);
  data.clusters.forEach(function (c) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = c.scope;
    b.setAttribute("data-cluster", c.scope);
    b.title = "collapse or expand " + c.scope;
    b.addEventListener("click", function () { toggle(c.scope); });
    layers.appendChild(b);
  });
}

function toggle(scope) {
  state.collapsed[scope] = !state.collapsed[scope];
  applyCollapse();
  render();
}

function applyCollapse() {
  var hidden = {};
  data.clusters.forEach(function (c) {
    var button = layers.querySelector('button[data-cluster="' + cssEscape(c.scope) + '"]');
    setClass(button, "agx-collapsed", state.collapsed[c.scope]);
    if (state.collapsed[c.scope]) c.nodes.forEach(function (id) { hidden[id] = true; });
  });
  Object.keys(nodeById).forEach(function (id) { setClass(nodeById[id], "agx-hidden", hidden[id]); });
  allEdges.forEach(function (g) {
    setClass(g, "agx-hidden", hidden[g.getAttribute("data-tail")] && hidden[g.getAttribute("data-head")]);
  });
  data.clusters.forEach(function (c) {
    var inside = false;
    data.clusters.forEach(function (o) {
      if (o.scope !== c.scope && state.collapsed[o.scope] && within(c.scope, o.scope)) inside = true;
    });
    setClass(clusterByScope[c.scope], "agx-hidden", inside);
  });
}

function cssEscape(text) { return text.replace(/["\\]/g, "\\$&"); }

function renderCovers(current) {
  while (coverLayer.firstChild) coverLayer.removeChild(coverLayer.firstChild);
  var op = current ? data.ops[current.op] : null;
  data.clusters.forEach(function (c) {
    if (!state.collapsed[c.scope]) return;
    for (var i = 0; i < data.clusters.length; i++) {
      var o = data.clusters[i];
      if (o.scope !== c.scope && state.collapsed[o.scope] && within(c.scope, o.scope)) return;
    }
    var cluster = clusterByScope[c.scope];
    if (!cluster) return;
    var box = cluster.getBBox();
    var g = document.createElementNS(SVGNS, "g");
    g.setAttribute("class", "agx-cover" + (op && within(op.scope, c.scope) ? " agx-current" : ""));
    g.setAttribute("data-cover", c.scope);
    var rect = document.createElementNS(SVGNS, "rect");
    rect.setAttribute("x", box.x);
    rect.setAttribute("y", box.y);
    rect.setAttribute("width", box.width);
    rect.setAttribute("height", box.height);
    rect.setAttribute("rx", 6);
    g.appendChild(rect);
    var lines = [c.scope, c.ops + " op" + (c.ops === 1 ? "" : "s") + ", " + c.params + " parameter" + (c.params === 1 ? "" : "s"), "(click to expand)"];
    lines.forEach(function (line, k) {
      var t = document.createElementNS(SVGNS, "text");
      t.setAttribute("x", box.x + box.width / 2);
      t.setAttribute("y", box.y + box.height / 2 + (k - 1) * 14);
      t.setAttribute("text-anchor", "middle");
      t.textContent = line;
      g.appendChild(t);
    });
    g.addEventListener("click", function (event) { event.stopPropagation(); toggle(c.scope); });
    coverLayer.appendChild(g);
  });
}

// -- details of the selected node -------------------------------------------------------
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fmt(x, exact) {
  if (typeof x === "string") return x;
  if (exact) return String(x);
  return x.toPrecision(6);
}

function nested(values, indent, exact) {
  if (!Array.isArray(values)) return fmt(values, exact);
  if (!values.length || !Array.isArray(values[0])) {
    return "[" + values.map(function (x) { return fmt(x, exact); }).join(", ") + "]";
  }
  var pad = indent + " ";
  return "[" + values.map(function (row, i) { return (i ? pad : "") + nested(row, pad, exact); }).join(",\n") + "]";
}

function colour(byte, diverging) {
  var t = byte / 255;
  if (!diverging) {
    var v = Math.round(t * 255);
    return [v, v, v];
  }
  // Blue for negative, white at 0, red for positive.
  var blue = [59, 76, 192], red = [180, 4, 38], white = [247, 247, 247];
  var from = t < 0.5 ? blue : white, to = t < 0.5 ? white : red, u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  return [0, 1, 2].map(function (k) { return Math.round(from[k] + (to[k] - from[k]) * u); });
}

function bytes(b64) {
  var raw = atob(b64);
  var out = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function canvas(pixels, offset, width, height, diverging, scale) {
  var c = document.createElement("canvas");
  c.width = width;
  c.height = height;
  c.style.width = width * scale + "px";
  var ctx = c.getContext("2d");
  var image = ctx.createImageData(width, height);
  for (var i = 0; i < width * height; i++) {
    var rgb = colour(pixels[offset + i], diverging);
    image.data[4 * i] = rgb[0];
    image.data[4 * i + 1] = rgb[1];
    image.data[4 * i + 2] = rgb[2];
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return c;
}

function scaleRange(info) {
  return "colour scale " + fmt(info.lo) + " \u2026 " + fmt(info.hi) + (info.diverging ? " (blue < 0 < red)" : " (dark to light)");
}

function summary(info, part) {
  var box = el("div");
  box.setAttribute("data-part", part);
  if (info.values !== undefined) {
    box.appendChild(el("pre", nested(info.values, "", !/^(float|complex)/.test(info.dtype))));
  }
  if (info.stats) {
    var table = el("table");
    ["min", "max", "mean", "std", "norm", "zeros", "nonfinite"].forEach(function (key) {
      if (info.stats[key] === undefined || (key === "nonfinite" && !info.stats[key])) return;
      var row = el("tr");
      row.appendChild(el("td", key === "zeros" ? "zeros (fraction)" : key));
      row.appendChild(el("td", fmt(info.stats[key])));
      row.setAttribute("data-stat", key);
      table.appendChild(row);
    });
    box.appendChild(table);
  }
  if (info.histogram) box.appendChild(histogram(info.histogram));
  if (info.heatmap) {
    var h = info.heatmap;
    var scale = Math.max(1, Math.min(8, Math.floor(280 / Math.max(h.cols, 1))));
    var c = canvas(bytes(h.pixels), 0, h.cols, h.rows, h.diverging, scale);
    c.setAttribute("data-kind", "heatmap");
    box.appendChild(c);
    box.appendChild(el("div", "heat map " + h.rows + " x " + h.cols + (h.caption ? ", " + h.caption : "") + "; " + scaleRange(h), "agx-muted"));
  }
  if (info.images) {
    var m = info.images;
    var px = bytes(m.pixels);
    var grid = el("div", null, "agx-images");
    var s = Math.min(6, 270 / (m.columns * (m.width + 2)));
    grid.style.gridTemplateColumns = "repeat(" + m.columns + ", max-content)";
    for (var k = 0; k < m.count; k++) {
      var image = canvas(px, k * m.width * m.height, m.width, m.height, m.diverging, s);
      image.setAttribute("data-kind", "image");
      grid.appendChild(image);
    }
    box.appendChild(grid);
    box.appendChild(el("div", m.caption + "; " + scaleRange(m), "agx-muted"));
  }
  return box;
}

function histogram(h) {
  var width = 260, height = 60, n = h.counts.length;
  var most = Math.max.apply(null, h.counts) || 1;
  var s = document.createElementNS(SVGNS, "svg");
  s.setAttribute("width", width);
  s.setAttribute("height", height + 14);
  s.setAttribute("data-kind", "histogram");
  h.counts.forEach(function (count, i) {
    var r = document.createElementNS(SVGNS, "rect");
    var bar = (count / most) * height;
    r.setAttribute("x", (i * width) / n);
    r.setAttribute("y", height - bar);
    r.setAttribute("width", width / n - 1);
    r.setAttribute("height", bar);
    r.setAttribute("fill", "#60a5fa");
    s.appendChild(r);
  });
  [[0, "start", h.lo], [width, "end", h.hi]].forEach(function (a) {
    var t = document.createElementNS(SVGNS, "text");
    t.setAttribute("x", a[0]);
    t.setAttribute("y", height + 12);
    t.setAttribute("text-anchor", a[1]);
    t.setAttribute("font-size", "10");
    t.textContent = fmt(a[2]);
    s.appendChild(t);
  });
  return s;
}

function tensorDetails(t, into) {
  into.appendChild(el("div", t.kind + ", " + t.shape + (t.scope ? ", in " + t.scope : ""), "agx-muted"));
  var op = tensorOp[data.tensors.indexOf(t)];
  if (op !== undefined) into.appendChild(el("pre", data.ops[op].expr));
  into.appendChild(el("h5", "value"));
  if (t.value) into.appendChild(summary(t.value, "value"));
  else into.appendChild(el("div", t.kept ? "(not shown)" : "(not kept: nothing referred to this tensor when the page was made)", "agx-muted"));
  if (state.mode !== "backward") return;
  var event = gradientAt(t, state.pos);
  var complete = t.grads.length && event === t.grads[t.grads.length - 1];
  into.appendChild(el("h5", "gradient" + (event ? (complete ? " (complete)" : " (partial sum so far)") : ""), "agx-grad-part"));
  if (!event) into.appendChild(el("div", "not reached yet at this step", "agx-muted"));
  else if (event[2]) into.appendChild(summary(event[2], "grad"));
  else into.appendChild(el("pre", event[1]));
}

function showDetails(domId) {
  var entry = data.dom[domId];
  if (!entry) return;
  details.textContent = "";
  var kind = entry[0], key = entry[1];
  if (kind === "tensor") {
    var t = data.tensors[key];
    details.appendChild(el("h4", t.name));
    tensorDetails(t, details);
  } else if (kind === "op") {
    var op = data.ops[key];
    details.appendChild(el("h4", op.name));
    details.appendChild(el("div", "operation" + (op.scope ? ", in " + op.scope : "") + (op.step !== null ? ", backward step " + (op.step + 1) : ""), "agx-muted"));
    details.appendChild(el("pre", op.expr));
    if (op.step !== null && state.mode === "backward") details.appendChild(el("pre", data.steps[op.step].text));
    var out = data.tensors[op.tensor];
    if (!out.dom) {
      details.appendChild(el("h5", "output: " + out.name));
      tensorDetails(out, details);
    }
  } else if (kind === "box") {
    var b = data.boxes[key];
    details.appendChild(el("h4", b.scope));
    details.appendChild(el("div", b.ops + " operations collapsed into one box; redraw with another collapse= to see them", "agx-muted"));
    b.params.forEach(function (i) {
      var p = data.tensors[i];
      var event = gradientAt(p, state.mode === "backward" ? state.pos : 0);
      details.appendChild(el("pre", p.name + "  " + p.shape + (event ? "\n  grad " + event[1] : "")));
    });
  }
}

function select(domId) {
  if (state.selected && nodeById[state.selected]) nodeById[state.selected].classList.remove("agx-selected");
  state.selected = domId;
  if (nodeById[domId]) nodeById[domId].classList.add("agx-selected");
  showDetails(domId);
}

// -- controls ---------------------------------------------------------------------------
function play() {
  if (state.timer) return stop();
  if (state.pos >= steps().length) go(0);
  playButton.textContent = "pause";
  playButton.classList.add("agx-on");
  state.timer = setInterval(function () {
    go(state.pos + 1);
    if (state.pos >= steps().length) stop();
  }, 700);
}

function stop() {
  clearInterval(state.timer);
  state.timer = null;
  playButton.textContent = "play";
  playButton.classList.remove("agx-on");
}

function setMode(mode) {
  stop();
  state.mode = mode;
  root.querySelectorAll(".agx-modes button").forEach(function (b) {
    setClass(b, "agx-on", b.getAttribute("data-action") === mode);
  });
  go(0);
}

// Graphviz gives the size in points; CSS pixels are 4/3 of a point.
var PX = 4 / 3;
var naturalWidth = parseFloat(svg.getAttribute("width")) || svg.getBoundingClientRect().width / PX;
var naturalHeight = parseFloat(svg.getAttribute("height")) || svg.getBoundingClientRect().height / PX;

function zoom(factor, smallest) {
  if (factor === "fit") {
    var room = $(".agx-graph").clientWidth - 4;
    state.zoom = room > 0 ? Math.max(smallest || 0.2, Math.min(1, room / (naturalWidth * PX))) : 1;
  } else {
    state.zoom = Math.max(0.1, Math.min(4, state.zoom * factor));
  }
  svg.setAttribute("width", naturalWidth * state.zoom + "pt");
  svg.setAttribute("height", naturalHeight * state.zoom + "pt");
}

var actions = {
  first: function () { stop(); go(0); },
  prev: function () { stop(); go(state.pos - 1); },
  next: function () { stop(); go(state.pos + 1); },
  last: function () { stop(); go(steps().length); },
  play: play,
  backward: function () { setMode("backward"); },
  forward: function () { setMode("forward"); },
  "zoom-in": function () { zoom(1.25); },
  "zoom-out": function () { zoom(0.8); },
  "zoom-fit": function () { zoom("fit"); },
};

root.addEventListener("click", function (event) {
  var button = event.target.closest("[data-action]");
  if (button && root.contains(button)) {
    actions[button.getAttribute("data-action")]();
    return;
  }
  var node = event.target.closest("g[data-id]");
  if (node && root.contains(node)) {
    select(node.getAttribute("data-id"));
    return;
  }
  var cluster = event.target.closest("g[data-cluster]");
  if (cluster && event.target.tagName.toLowerCase() === "text") toggle(cluster.getAttribute("data-cluster"));
});

slider.addEventListener("input", function () { stop(); go(parseInt(slider.value, 10)); });

var keys = {
  ArrowRight: actions.next,
  ArrowLeft: actions.prev,
  Home: actions.first,
  End: actions.last,
  " ": actions.play,
};

function onKey(event) {
  var action = keys[event.key];
  if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  event.stopPropagation();
  action();
}

root.addEventListener("keydown", onKey);
// A page of its own (a saved file) with one explorer: the keys work without a click first.
if (document.body.hasAttribute("data-explorer-page") && document.querySelectorAll("[data-explorer]").length === 1) {
  document.addEventListener("keydown", function (event) {
    if (!root.contains(event.target)) onKey(event);
  });
  root.focus({ preventScroll: true });
}

buildLayers();
// Shrunk below about 60% a drawing's text is hard to read: scroll beyond that.
if (naturalWidth * PX > $(".agx-graph").clientWidth) zoom("fit", 0.6);
render();
