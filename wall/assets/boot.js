// The lean wall page (wall/server.py): draws the views with the same wall.js as the Streamlit page,
// from /live/wall/data, and fetches them again when the push stream says the data version or the
// board's day changed. Every stream message is the heartbeat of the connection banner.
import mount from "./wall.js";

const script = document.querySelector("script[data-events]");
const parent = document.getElementById("wall");
const query = location.search;
let drawn = null; // "version|day" of the views on screen
let loading = null; // the key being fetched
let next = null; // a newer key that came while fetching

async function load(key) {
  if (loading) {
    next = key;
    return;
  }
  loading = key;
  try {
    const answer = await fetch(script.dataset.data + query, { cache: "no-store" });
    if (answer.status === 401) {
      // the board's page has the login form (stay=1: it draws the wall there instead of sending it back)
      location.href = "/trinh-chieu?stay=1" + (query ? "&" + query.slice(1) : "");
      return;
    }
    if (answer.ok) {
      mount({ data: await answer.json(), parentElement: parent });
      drawn = key;
      document.documentElement.dataset.liveVersion = key.split("|")[0]; // for tests and benchmarks
    }
  } catch (e) {
    // the server is away: the banner says so; the next message from the stream loads again
  } finally {
    loading = null;
    if (next && next !== drawn) {
      const key2 = next;
      next = null;
      load(key2);
    }
  }
}

const source = new EventSource(script.dataset.events);
const onMessage = (e) => {
  const message = JSON.parse(e.data);
  const detail = { at: Date.now(), server: message.server_ms };
  window.__readinessWallBeat = detail;
  window.dispatchEvent(new CustomEvent("readiness-wall-beat", { detail }));
  if (e.type === "version") {
    const key = `${message.version}|${message.day}`;
    if (key !== drawn) load(key);
  } else if (drawn === null && !loading) {
    load("?|?"); // the first load failed: try again on the heartbeat
  }
};
source.addEventListener("version", onMessage);
source.addEventListener("ping", onMessage);
