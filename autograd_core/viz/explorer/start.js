// Finds this explorer's element and runs the explorer on it. The script's own element
// leads there wherever the page is shown; a notebook front end that runs the script
// before its output is in the document gets a few more tries by id.
(function (explorer, id, script) {
  var tries = 0;
  (function attach() {
    var root = (script && script.closest && script.closest("[data-explorer]")) || document.getElementById(id);
    if (root) explorer(root);
    else if (tries++ < 100) setTimeout(attach, 100);
  })();
})(function (root) {
$explorer
}, $uid, document.currentScript);
