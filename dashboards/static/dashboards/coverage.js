// Coverage chart, offline: a treemap of the child areas (size = units, colour = coverage), or a map drawn from
// the boundaries planners uploaded, with sites as points. Clicking an area drills down (a normal page load).
// With YUNWANG_MAP_TILE_URL set, the map is drawn in Web Mercator over XYZ tiles from that (intranet) server.
(function () {
  "use strict";
  var holder = document.getElementById("coverage-chart");
  var dataNode = document.getElementById("coverage-data");
  var tileLayer = document.getElementById("map-tiles");
  if (!holder || !dataNode || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  var LOW = [215, 48, 39], MID = [254, 224, 139], HIGH = [26, 152, 80];
  var MAX_TILES = 64;
  var view = null;

  function mix(a, b, t) {
    return "rgb(" + a.map(function (v, i) { return Math.round(v + (b[i] - v) * t); }).join(",") + ")";
  }
  function colour(rate) {
    if (rate === null || rate === undefined) { return "#cccccc"; }
    return rate < 0.5 ? mix(LOW, MID, rate / 0.5) : mix(MID, HIGH, (rate - 0.5) / 0.5);
  }
  function pct(rate) { return rate === null || rate === undefined ? "—" : (rate * 100).toFixed(1) + "%"; }
  function tip(item) {
    return item.name + "<br>" + data.labels.rate + ": " + pct(item.rate) + "<br>" +
      data.labels.covered + ": " + item.covered + " / " + item.total;
  }
  function drill(item) {
    if (!item || !item.drill) { return; }
    var params = new URLSearchParams(window.location.search);
    params.set("area", item.code);
    window.location.search = params.toString();
  }
  var byCode = {};
  data.items.forEach(function (item) { byCode[item.code] = item; });

  function treeOption() {
    return {
      tooltip: { formatter: function (p) { return p.data && p.data.code ? tip(p.data) : ""; } },
      series: [{
        type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false },
        width: "100%", height: "100%",
        itemStyle: { borderColor: "#ffffff", borderWidth: 2, gapWidth: 2 },
        label: {
          show: true, color: "#1d2733", fontSize: 14,
          formatter: function (p) {
            return p.name + "\n" + pct(p.data.rate) + " (" + p.data.covered + "/" + p.data.total + ")";
          }
        },
        data: data.items.map(function (item) {
          return Object.assign({}, item, { value: Math.max(item.total, 1), itemStyle: { color: colour(item.rate) } });
        })
      }]
    };
  }

  // Web Mercator, y growing downwards like screen pixels (what ECharts expects from a custom projection).
  var mercator = {
    project: function (p) {
      return [p[0] * Math.PI / 180, -Math.log(Math.tan(Math.PI / 4 + p[1] * Math.PI / 360))];
    },
    unproject: function (p) {
      return [p[0] * 180 / Math.PI, (2 * Math.atan(Math.exp(-p[1])) - Math.PI / 2) * 180 / Math.PI];
    }
  };

  function mapOption() {
    echarts.registerMap("yunwang-areas", data.geo);
    var tiles = !!data.tileUrl;
    var geo = {
      map: "yunwang-areas", roam: true,
      label: { show: true, formatter: function (p) { return byCode[p.name] ? byCode[p.name].name : ""; } },
      itemStyle: { opacity: tiles ? 0.65 : 1 },
      regions: data.items.map(function (item) {
        return { name: item.code, itemStyle: { areaColor: colour(item.rate) } };
      })
    };
    if (tiles) { geo.projection = mercator; }
    return {
      tooltip: { formatter: function (p) { var item = byCode[p.name]; return item ? tip(item) : p.name; } },
      geo: geo,
      series: [{
        type: "scatter", coordinateSystem: "geo", symbolSize: 6, data: data.sites,
        itemStyle: { color: "#1f4e79" },
        tooltip: { formatter: function (p) { return p.data.name; } }
      }]
    };
  }

  function tileLatLon(x, y, z) {
    var n = Math.pow(2, z);
    var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
    return [x / n * 360 - 180, lat];
  }

  function drawTiles() {
    if (!tileLayer) { return; }
    tileLayer.textContent = "";
    if (view !== "map" || !data.tileUrl) { return; }
    var w = holder.clientWidth, h = holder.clientHeight;
    var nw = chart.convertFromPixel({ geoIndex: 0 }, [0, 0]);
    var se = chart.convertFromPixel({ geoIndex: 0 }, [w, h]);
    if (!nw || !se) { return; }
    var lonSpan = Math.max(se[0] - nw[0], 1e-6);
    var z = Math.max(0, Math.min(18, Math.round(Math.log2(w * 360 / lonSpan / 256))));
    var n = Math.pow(2, z);
    function tx(lon) { return Math.floor((lon + 180) / 360 * n); }
    function ty(lat) {
      var r = lat * Math.PI / 180;
      return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
    }
    var x0 = Math.max(0, tx(nw[0])), x1 = Math.min(n - 1, tx(se[0]));
    var y0 = Math.max(0, ty(nw[1])), y1 = Math.min(n - 1, ty(se[1]));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES) { return; }
    for (var x = x0; x <= x1; x++) {
      for (var y = y0; y <= y1; y++) {
        var a = chart.convertToPixel({ geoIndex: 0 }, tileLatLon(x, y, z));
        var b = chart.convertToPixel({ geoIndex: 0 }, tileLatLon(x + 1, y + 1, z));
        var img = document.createElement("img");
        img.alt = "";
        img.src = data.tileUrl.replace("{z}", z).replace("{x}", x).replace("{y}", y);
        img.style.left = a[0] + "px";
        img.style.top = a[1] + "px";
        img.style.width = (b[0] - a[0]) + "px";
        img.style.height = (b[1] - a[1]) + "px";
        tileLayer.appendChild(img);
      }
    }
  }

  function show(which) {
    view = which === "map" && data.geo ? "map" : "tree";
    chart.clear();
    chart.setOption(view === "map" ? mapOption() : treeOption());
    document.querySelectorAll(".switch button").forEach(function (b) {
      b.classList.toggle("current", b.getAttribute("data-view") === view);
    });
    drawTiles();
  }

  chart.on("click", function (p) {
    var code = p.data && p.data.code ? p.data.code : (p.componentType === "geo" ? p.name : null);
    drill(byCode[code]);
  });
  chart.on("georoam", drawTiles);
  document.querySelectorAll(".switch button").forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-view")); });
  });
  window.addEventListener("resize", function () { chart.resize(); drawTiles(); });
  show(data.geo ? "map" : "tree");
  window.yunwangCoverageChart = chart;
})();
