// The wall display's heartbeat: the server's fragment mounts this every 2 s with its time. The wall
// (wall.js) notes when the last one came; none for ~7 s means the connection is lost.
export default function (component) {
  const data = component.data || {};
  const beat = { at: Date.now(), server: data.server_ms };
  window.__readinessWallBeat = beat;
  window.dispatchEvent(new CustomEvent("readiness-wall-beat", { detail: beat }));
}
