/* 网页编辑（/admin/）界面用语的修订：在 Decap CMS 启动之前（页面加载完才启动）改写它自带的
   简体中文（zh_Hans）里不通顺的句子。表单的格式检查提示由 decap_config.py 写好，与
   showcase check 相同，这里只去掉 Decap 加在前面的“不满足模式”。 */
(function () {
  "use strict";
  var CMS = window.CMS;
  if (!CMS || !CMS.getLocale) { return; }
  var zh = CMS.getLocale("zh_Hans");
  var widget = zh && zh.editor && zh.editor.editorControlPane && zh.editor.editorControlPane.widget;
  if (!widget) { return; }
  widget.regexPattern = "“%{fieldLabel}”：%{pattern}";
  CMS.registerLocale("zh_Hans", zh);
})();
