// Refreshes a view on a timer while it is shown: shows new data only when it changed, and keeps the focus in place.

/** Calls load every ms and show(data) when the data differ from the last (or initial) data; returns the stopper. */
export function every(ms, load, show, initial) {
  let last = initial === undefined ? null : JSON.stringify(initial);
  let stopped = false;
  const timer = setInterval(async () => {
    if (document.hidden) return;
    try {
      const data = await load();
      const text = JSON.stringify(data);
      if (stopped || text === last) return;
      const focusedId = document.activeElement && document.activeElement.id;
      const focusedHref = document.activeElement && document.activeElement.getAttribute('href');
      last = text;
      show(data);
      restoreFocus(focusedId, focusedHref);
    } catch (e) {
      // the next tick tries again; a 401 has signed out already
    }
  }, ms);
  return () => { stopped = true; clearInterval(timer); };
}

function restoreFocus(id, href) {
  if (document.activeElement && document.activeElement !== document.body) return;
  const again = id ? document.getElementById(id) : href ? document.querySelector('a[href="' + CSS.escape(href) + '"]') : null;
  if (again) again.focus();
}
