/* 数据驾驶舱: draws the charts from the page's JSON (json_script), no inline script.
   Every bar, point and slice links to the case list behind it (item.url). */
(function () {
  "use strict";
  var dataEl = document.getElementById("cockpit-data");
  var labelEl = document.getElementById("cockpit-labels");
  if (!dataEl || !labelEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var L = JSON.parse(labelEl.textContent);

  // Period fields: show only those of the chosen period.
  var form = document.getElementById("cockpit-filters");
  if (form) {
    form.classList.add("js-filters");
    var period = form.querySelector("[name=period]");
    var sync = function () {
      form.querySelectorAll("[data-period]").forEach(function (el) {
        el.classList.toggle("shown", el.getAttribute("data-period") === period.value);
      });
    };
    period.addEventListener("change", sync);
    sync();
  }

  if (typeof echarts === "undefined") { return; }
  var charts = [];
  var palette = ["#1f6fb2", "#f0b429", "#2e7d32", "#b3261e", "#7b5ea7", "#00897b", "#ef6c00", "#5d6d7e",
                 "#c2185b", "#8d6e63", "#43a047", "#3949ab", "#9e9d24"];

  function make(id, option, items) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    option.color = option.color || palette;
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = items(params);
      if (url) { window.location.href = url; }
    });
    charts.push(chart);
  }

  function monthLabel(m) { return L.month.replace("%(m)s", m); }
  var grid = { left: 48, right: 16, top: 36, bottom: 48, containLabel: true };

  // 在办案件（按环节）
  var stages = data.open_by_stage;
  make("chart-stages", {
    tooltip: { trigger: "axis" }, grid: grid,
    xAxis: { type: "category", data: stages.map(function (s) { return s.label; }), axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: "value", name: L.cases, minInterval: 1 },
    series: [{ type: "bar", data: stages.map(function (s) { return s.n; }) }]
  }, function (p) { return stages[p.dataIndex] && stages[p.dataIndex].url; });

  // 各月受理与办结，本年与上年
  var m = data.monthly;
  var monthly = [["received_this", m.received_this], ["received_last", m.received_last],
                 ["closed_this", m.closed_this], ["closed_last", m.closed_last]];
  make("chart-monthly", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
    xAxis: { type: "category", data: m.received_this.map(function (r) { return monthLabel(r.month); }) },
    yAxis: { type: "value", name: L.cases, minInterval: 1 },
    series: monthly.map(function (s) {
      var last = s[0].indexOf("_last") > 0;
      return { name: L[s[0]], type: s[0].indexOf("received") === 0 ? "bar" : "line",
               data: s[1].map(function (r) { return r.n; }), lineStyle: last ? { type: "dashed" } : undefined,
               itemStyle: last ? { opacity: 0.55 } : undefined };
    })
  }, function (p) { var s = monthly[p.seriesIndex]; return s && s[1][p.dataIndex] && s[1][p.dataIndex].url; });

  // 结案方式构成
  var outcomes = data.outcomes;
  make("chart-outcomes", {
    tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
    series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}\n{c}" },
               data: outcomes.map(function (o) { return { name: o.label, value: o.n }; }) }]
  }, function (p) { return outcomes[p.dataIndex] && outcomes[p.dataIndex].url; });

  // 逾期与临近届满（按县区）
  var clocks = data.clocks_by_county;
  make("chart-clocks", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid, color: ["#b3261e", "#f0b429"],
    xAxis: { type: "category", data: clocks.map(function (c) { return c.label; }), axisLabel: { interval: 0 } },
    yAxis: { type: "value", name: L.cases, minInterval: 1 },
    series: [
      { name: L.overdue, type: "bar", stack: "c", data: clocks.map(function (c) { return c.overdue; }) },
      { name: L.at_risk, type: "bar", stack: "c", data: clocks.map(function (c) { return c.at_risk; }) }
    ]
  }, function (p) {
    var c = clocks[p.dataIndex];
    return c && (p.seriesIndex === 0 ? c.overdue_url : c.at_risk_url);
  });

  // 移送协作机构及答复用时
  var refs = data.referrals;
  make("chart-referrals", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
    xAxis: { type: "category", data: refs.map(function (r) { return r.name; }), axisLabel: { rotate: 20, interval: 0 } },
    yAxis: [{ type: "value", name: L.cases, minInterval: 1 }, { type: "value", name: L.days }],
    series: [
      { name: L.referrals, type: "bar", data: refs.map(function (r) { return r.n; }) },
      { name: L.median_days, type: "line", yAxisIndex: 1, data: refs.map(function (r) { return r.median_days; }) }
    ]
  }, function (p) { return refs[p.dataIndex] && refs[p.dataIndex].url; });

  // 一函两书
  var kinds = data.letter_kinds;
  make("chart-letters", {
    tooltip: { trigger: "item", formatter: "{b}：{c}" + L.letters },
    series: [{ type: "pie", radius: "65%", label: { formatter: "{b}\n{c}" },
               data: kinds.map(function (k) { return { name: k.label, value: k.n }; }) }]
  }, function () { return data.links.letters; });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
