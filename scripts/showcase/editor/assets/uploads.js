/* 网页编辑（/admin/）的照片上传检查：在 Decap CMS 收下文件之前，按网站自己的规则
   （editor/uploads.py，来自 media/images.py）检查文件名后缀和大小；不合规的文件不交给
   Decap，弹出中文说明。规则和提示语放在本脚本标签的 data-* 属性里，由构建写入。
   捕获阶段的监听器先于 React 在根节点上的监听器执行，所以拦下的文件 Decap 根本看不到。 */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) { return; }
  var suffixes = (me.getAttribute("data-suffixes") || "").split(/\s+/).filter(Boolean);
  var maxBytes = Number(me.getAttribute("data-max-bytes")) || 0;
  var wrongType = me.getAttribute("data-wrong-type") || "";
  var tooLarge = me.getAttribute("data-too-large") || "";

  function fill(template, file) {
    var mb = (file.size / 1024 / 1024).toFixed(1);
    return template.split("{name}").join(file.name).split("{mb}").join(mb);
  }

  function problem(file) {
    var name = file.name.toLowerCase();
    var allowed = suffixes.some(function (s) { return name.slice(-s.length) === s; });
    if (!allowed) { return fill(wrongType, file); }
    if (maxBytes && file.size > maxBytes) { return fill(tooLarge, file); }
    return "";
  }

  function firstProblem(files) {
    for (var i = 0; files && i < files.length; i++) {
      var message = problem(files[i]);
      if (message) { return message; }
    }
    return "";
  }

  function refuse(event, message) {
    event.stopImmediatePropagation();
    event.preventDefault();
    window.alert(message);
  }

  window.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") { return; }
    var message = firstProblem(input.files);
    if (message) {
      input.value = "";
      refuse(event, message);
    }
  }, true);

  window.addEventListener("drop", function (event) {
    var message = firstProblem(event.dataTransfer && event.dataTransfer.files);
    if (message) { refuse(event, message); }
  }, true);
})();
