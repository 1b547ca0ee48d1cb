// Loaded by GraphiQL's page (/graphql in a browser) before GraphiQL itself; see graphiql-guard.ts.
(() => {
  'use strict';

  const DOCUMENT_PARAM = 'query';
  const STORAGE_PREFIX = 'graphiql:';
  /** Operations that change data (or stream it): GraphQL keywords are ASCII and case-sensitive, so this errs on the safe side. */
  const WRITES = /\b(mutation|subscription)\b/i;

  const withoutDocument = (target) => {
    if (target === undefined || target === null) return target;
    const url = new URL(String(target), location.href);
    if (!url.searchParams.has(DOCUMENT_PARAM)) return target;
    url.searchParams.delete(DOCUMENT_PARAM);
    return url;
  };

  // A link from any site can open GraphiQL with a document, which one click on Run would execute
  // with the visitor's cookies. A document that changes data is shown commented out instead: it
  // runs only after the visitor read it and removed the # marks.
  const address = new URL(location.href);
  const documents = address.searchParams.getAll(DOCUMENT_PARAM);
  if (documents.some((text) => WRITES.test(text))) {
    const notice = [
      '# The link that opened GraphiQL carried a document that changes data. It is not loaded as it',
      '# is, so that nothing runs on your behalf with one click. Read it, and remove the # marks to run it:',
      '#',
      ...documents.join('\n').split(/\r\n|\r|\n/).map((line) => `# ${line}`),
    ].join('\n');
    address.searchParams.delete(DOCUMENT_PARAM);
    address.searchParams.set(DOCUMENT_PARAM, notice);
    history.replaceState(history.state, '', address);
  }

  // GraphiQL copies the editor into the address (?query=) on every edit, which puts passwords and
  // tokens typed there into the browser's history. The address keeps everything but the document.
  for (const method of ['replaceState', 'pushState']) {
    const original = history[method].bind(history);
    history[method] = (state, unused, target) => original(state, unused, withoutDocument(target));
  }

  // The web app forgets GraphiQL's storage when its session ends (graphiql-storage.ts). This page,
  // if open meanwhile, would write its documents back (GraphiQL saves half a second after a change,
  // and this page lives on until the reload has arrived): it stops writing, forgets, and reloads.
  // GraphiQL binds localStorage.setItem once when it starts, after this script ran: a patch made
  // only when the logout arrives never reaches that bound copy, and its pending save lands. So the
  // wrapper is in place from the start and consults a flag.
  let loggedOut = false;
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (loggedOut && String(key).startsWith(STORAGE_PREFIX)) return;
    setItem.call(this, key, value);
  };
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel('graphql-auth');
    channel.onmessage = (event) => {
      const data = event.data;
      if (!data || data.kind !== 'auth' || !data.message || data.message.type !== 'logged-out') return;
      loggedOut = true;
      const keys = [];
      for (let index = 0; index < localStorage.length; index += 1) {
        const key = localStorage.key(index);
        if (key && key.startsWith(STORAGE_PREFIX)) keys.push(key);
      }
      for (const key of keys) localStorage.removeItem(key);
      location.replace(withoutDocument(location.href));
    };
  }
})();
