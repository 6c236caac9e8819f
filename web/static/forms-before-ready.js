// A form sent before the page's code has loaded (a quick click on a slow connection) would go out
// as a plain browser submission: a reload that loses what was typed. Until the root layout says
// the page is ready, a submission waits here instead, and is made again once it is.
(function () {
  var pending = null;
  document.addEventListener(
    'submit',
    function (event) {
      if (window.__rehearseReady) return;
      event.preventDefault();
      pending = { form: event.target, submitter: event.submitter || null };
    },
    true,
  );
  window.__rehearseOnReady = function () {
    window.__rehearseReady = true;
    if (!pending) return;
    var waiting = pending;
    pending = null;
    if (waiting.form.isConnected) waiting.form.requestSubmit(waiting.submitter && waiting.submitter.form === waiting.form ? waiting.submitter : undefined);
  };
})();
