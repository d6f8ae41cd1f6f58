// specsite search: queries the sharded index under search/ (see src/render/search.rs)
// from static hosting or file://, with no server. Index files are scripts that call
// specsiteSearchData(name, data), loaded on demand with <script> tags: the manifest
// first, then only the word chunks for the query's terms, the filter lists in use and
// the fragment files (a few documents each) of the results shown.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var root = box.getAttribute("data-root") || "./";
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-facet]"));
  var more = document.getElementById("search-more");
  // Results are shown ten at a time: each one costs a fragment download.
  var PAGE = 10;
  var current = { ranked: [], terms: [], shown: 0 };
  var loaded = Object.create(null);
  var loading = Object.create(null);
  var meta = null;
  var active = -1;
  var generation = 0;

  box.hidden = false;

  window.specsiteSearchData = function (name, data) {
    loaded[name] = data;
  };

  function load(name) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    if (loading[name]) return loading[name];
    loading[name] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root + "search/" + name + ".js" + (meta ? "?v=" + meta.version : "");
      s.async = true;
      s.onload = function () {
        s.remove();
        if (name in loaded) resolve(loaded[name]);
        else reject(new Error("search index file " + name + " is empty"));
      };
      s.onerror = function () {
        s.remove();
        delete loading[name];
        reject(new Error("cannot load search index file " + name));
      };
      document.head.appendChild(s);
    });
    return loading[name];
  }

  function loadMeta() {
    return load("meta").then(function (m) {
      if (!meta) {
        meta = m;
        fillFilters();
      }
      return m;
    });
  }

  function fillFilters() {
    selects.forEach(function (sel) {
      var values = meta.filters[sel.getAttribute("data-facet")] || [];
      values.forEach(function (v, i) {
        var o = document.createElement("option");
        o.value = String(i);
        o.textContent = v;
        sel.appendChild(o);
      });
      sel.disabled = values.length === 0;
    });
  }

  // The same words the index holds: lowercase runs of letters and digits, 2 to 40
  // characters (src/render/search.rs, `words`).
  function words(text) {
    var out = [];
    (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).forEach(function (w) {
      var n = Array.from(w).length;
      if (n >= 2 && n <= 40 && out.indexOf(w) < 0) out.push(w);
    });
    return out;
  }

  // Chunks whose word range can hold words starting with `term`.
  function chunksFor(term) {
    var out = [];
    meta.chunks.forEach(function (c, i) {
      if (c[1] >= term && (c[0] <= term || c[0].indexOf(term) === 0)) out.push(i);
    });
    return out;
  }

  // doc number → score for the words starting with `term`.
  function scores(term, chunks) {
    var found = new Map();
    chunks.forEach(function (chunk) {
      Object.keys(chunk).forEach(function (w) {
        if (w.indexOf(term) !== 0) return;
        var postings = chunk[w];
        var bonus = w === term ? 2 : 1;
        var doc = 0;
        for (var i = 0; i < postings.length; i += 2) {
          doc += postings[i];
          found.set(doc, (found.get(doc) || 0) + postings[i + 1] * bonus);
        }
      });
    });
    return found;
  }

  function deltas(list) {
    var out = new Set();
    var doc = 0;
    list.forEach(function (d) {
      doc += d;
      out.add(doc);
    });
    return out;
  }

  function activeFilters() {
    return selects
      .filter(function (s) {
        return s.value !== "";
      })
      .map(function (s) {
        return "f/" + s.getAttribute("data-facet") + "/" + s.value;
      });
  }

  function run() {
    var mine = ++generation;
    var terms = words(input.value);
    var filters = activeFilters();
    if (terms.length === 0 && filters.length === 0) {
      current = { ranked: [], terms: terms, shown: 0 };
      clear();
      finish("");
      panel.hidden = input.value.trim() === "" || document.activeElement !== input;
      return;
    }
    loadMeta()
      .then(function () {
        var wanted = terms.map(chunksFor);
        var names = [];
        wanted.forEach(function (cs) {
          cs.forEach(function (c) {
            names.push("w/" + c);
          });
        });
        return Promise.all(names.concat(filters).map(load)).then(function () {
          var started = performance.now();
          var ranked = rank(terms, wanted, filters);
          box.setAttribute("data-rank-ms", (performance.now() - started).toFixed(2));
          return ranked;
        });
      })
      .then(function (ranked) {
        if (mine !== generation) return null;
        current = { ranked: ranked, terms: terms, shown: 0 };
        return showMore(mine, true);
      })
      .catch(function (e) {
        if (mine === generation) {
          current = { ranked: [], terms: terms, shown: 0 };
          clear();
          finish("Search is unavailable: " + e.message);
        }
      });
  }

  // [doc, score] pairs: documents holding every term and passing every filter, best
  // first, ties in site order.
  function rank(terms, wanted, filters) {
    var result = null;
    terms.forEach(function (t, i) {
      var found = scores(
        t,
        wanted[i].map(function (c) {
          return loaded["w/" + c];
        })
      );
      if (result === null) {
        result = found;
      } else {
        var both = new Map();
        result.forEach(function (score, doc) {
          if (found.has(doc)) both.set(doc, score + found.get(doc));
        });
        result = both;
      }
    });
    filters.forEach(function (f) {
      var allowed = deltas(loaded[f]);
      if (result === null) {
        result = new Map();
        allowed.forEach(function (doc) {
          result.set(doc, 0);
        });
      } else {
        result.forEach(function (_, doc) {
          if (!allowed.has(doc)) result.delete(doc);
        });
      }
    });
    var out = [];
    result.forEach(function (score, doc) {
      out.push([doc, score]);
    });
    out.sort(function (a, b) {
      return b[1] - a[1] || a[0] - b[0];
    });
    return out;
  }

  function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Appends `text` to `el`, with words that start with a term in <mark>.
  function highlight(el, text, terms) {
    if (terms.length === 0) {
      el.appendChild(document.createTextNode(text));
      return;
    }
    var re = new RegExp("(?<![\\p{L}\\p{N}])(?:" + terms.map(escapeRe).join("|") + ")[\\p{L}\\p{N}]*", "giu");
    var at = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
  }

  // About 200 characters of `text` around the first match.
  function excerpt(text, terms) {
    var at = 0;
    if (terms.length > 0) {
      var re = new RegExp("(?<![\\p{L}\\p{N}])(?:" + terms.map(escapeRe).join("|") + ")", "iu");
      var m = re.exec(text);
      if (m) at = m.index;
    }
    var start = Math.max(0, at - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < at) start = space + 1;
    }
    var end = Math.min(text.length, start + 200);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      if (cut > at) end = cut;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  // Loads and shows the next page of results; `fresh` replaces the ones shown.
  function showMore(mine, fresh) {
    var next = current.ranked.slice(current.shown, current.shown + PAGE);
    return Promise.all(
      next.map(function (r) {
        var per = meta.fragments_per_file || 1;
        return load("d/" + Math.floor(r[0] / per)).then(function (file) {
          return per > 1 ? file[r[0] % per] : file;
        });
      })
    ).then(function (fragments) {
      if (mine !== generation) return;
      if (fresh) clear();
      fragments.forEach(function (f) {
        list.appendChild(result(f, current.terms, list.children.length));
      });
      current.shown += fragments.length;
      var n = current.ranked.length;
      var label = n === 0 ? "No results" : n === 1 ? "1 result" : n + " results";
      if (n > current.shown) label += ", showing " + current.shown;
      finish(label);
    });
  }

  function clear() {
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
  }

  function finish(label) {
    status.textContent = label;
    more.hidden = current.shown >= current.ranked.length;
    panel.hidden = label === "" && list.children.length === 0;
    input.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
  }

  function result(f, terms, i) {
    var li = document.createElement("li");
    li.setAttribute("role", "option");
    li.id = "search-result-" + i;
    var a = document.createElement("a");
    a.href = root + f.u;
    a.tabIndex = -1;
    var title = document.createElement("span");
    title.className = "sr-title";
    highlight(title, f.t, terms);
    var info = document.createElement("span");
    info.className = "sr-meta";
    info.appendChild(document.createTextNode(f.i + " · " + f.k));
    if (f.s) {
      var badge = document.createElement("span");
      badge.className = "badge sr-status";
      badge.style.setProperty("--badge", f.s[1]);
      badge.textContent = f.s[0];
      info.appendChild(document.createTextNode(" "));
      info.appendChild(badge);
    }
    if (f.o.length) info.appendChild(document.createTextNode(" " + f.o.join(", ")));
    if (f.m) info.appendChild(document.createTextNode(" · " + f.m));
    var text = document.createElement("span");
    text.className = "sr-excerpt";
    highlight(text, excerpt(f.x, terms), terms);
    a.appendChild(title);
    a.appendChild(info);
    a.appendChild(text);
    li.appendChild(a);
    return li;
  }

  function move(by) {
    var items = list.children;
    if (items.length === 0) return;
    if (active >= 0) items[active].removeAttribute("aria-selected");
    active = (active + by + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
    items[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("focus", function () {
    loadMeta().catch(function () {});
    if (list.children.length > 0 || status.textContent) panel.hidden = false;
  });
  selects.forEach(function (s) {
    s.addEventListener("change", run);
  });
  more.addEventListener("click", function () {
    showMore(generation, false).catch(function (e) {
      finish("Search is unavailable: " + e.message);
    });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      move(1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      move(-1);
    } else if (e.key === "Enter") {
      var item = list.children[active >= 0 ? active : 0];
      if (item) {
        e.preventDefault();
        window.location.href = item.querySelector("a").href;
      }
    } else if (e.key === "Escape") {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  document.addEventListener("click", function (e) {
    if (!box.contains(e.target)) {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
  });
})();
