// Live updates: one EventSource per open board (readiness/push.py). When the server says the data
// version (or the board's day) is not the one this page was drawn with, ask Streamlit for one rerun
// (a trigger value): widgets, selections and the scroll position stay. Every message is also the
// heartbeat the wall display's connection banner listens for ("readiness-wall-beat").
//
// Streamlit calls this again with new `data` after each rerun on the same element: the stream is
// kept on the element and only what the page was drawn with is updated.

const KEY = "__readinessPush";

function beat(message) {
  const detail = { at: Date.now(), server: message.server_ms };
  window.__readinessWallBeat = detail;
  window.dispatchEvent(new CustomEvent("readiness-wall-beat", { detail }));
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let live = parentElement[KEY];
  if (!live || live.source.readyState === EventSource.CLOSED) {
    live = { asked: null };
    live.source = new EventSource(data.url);
    const check = (e) => {
      const message = JSON.parse(e.data);
      beat(message);
      if (e.type !== "version") return;
      live.latest = message;
      const drawn = live.drawn;
      const changed = message.version !== drawn.version || message.day !== drawn.day;
      const key = `${message.version}|${message.day}`;
      if (changed && live.asked !== key) {
        live.asked = key; // once per new version: the rerun brings new `data`
        live.trigger("changed", key);
      }
    };
    live.source.addEventListener("version", check);
    live.source.addEventListener("ping", check);
    parentElement[KEY] = live;
  }
  live.drawn = { version: data.version, day: data.day };
  live.trigger = setTriggerValue;
  document.documentElement.dataset.liveVersion = String(data.version); // for tests and benchmarks
  return () => {
    setTimeout(() => {
      if (!parentElement.isConnected && parentElement[KEY] === live) {
        live.source.close();
        delete parentElement[KEY];
      }
    }, 0);
  };
}
