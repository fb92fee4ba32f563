// The wall display (Trình chiếu): draws the views the server sent (display.py), shows one at a time
// and rotates them, ticks the countdown and the clock every second, and puts up a banner when the
// server's heartbeat (beat.js, every 2 s) stops. A view of several pages (the risks) shows up to
// `pages_per_turn` of them, one rotation step each, each time its turn comes, and goes on from
// there the next time, so every risk comes round without the risks taking over the wall. Mounted once; a data update (a new data version)
// replaces the views' content in place, keeping the current view and its timer.
//
// Streamlit calls this function again with each new `data` on the same parentElement (without
// calling the previous cleanup), so the wall keeps its state on the element and is built once.

const KEY = "__readinessWall";

const pad = (n) => String(n).padStart(2, "0");
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

class Wall {
  constructor(parent) {
    this.parent = parent;
    this.root = document.createElement("div");
    this.root.className = "wall-root";
    this.root.setAttribute("data-testid", "wallRoot");
    this.root.innerHTML = `
      <div class="w-progress" hidden><div class="w-progress-bar"></div></div>
      <header class="w-head">
        <div class="w-title">
          <div class="w-name" data-testid="wallName"></div>
          <div class="w-viewline"><span class="w-viewtitle"></span><span class="w-note"></span><span class="w-dots"></span></div>
        </div>
        <div class="w-right">
          <div class="w-cd"><div class="w-small" data-cd="dday"></div><div class="w-big" data-cd="text" data-testid="wallCountdown"></div></div>
          <div class="w-clock"><div class="w-small" data-clock="date"></div><div class="w-big" data-clock="time" data-testid="wallClock"></div></div>
        </div>
      </header>
      <div class="w-banners"></div>
      <main class="w-views"></main>
      <footer class="w-foot"><div class="w-legend"></div><div class="w-updated" data-testid="wallUpdated"></div></footer>`;
    parent.appendChild(this.root);
    this.$ = (sel) => this.root.querySelector(sel);
    this.views = this.$(".w-views");
    this.banners = this.$(".w-banners");
    this.offline = document.createElement("div");
    this.offline.className = "w-banner offline";
    this.offline.setAttribute("data-testid", "wallOffline");
    this.offline.hidden = true;
    this.data = null;
    this.ids = [];
    this.current = null;
    this.page = 0;
    this.pageOf = new Map(); // view id -> the page to show when its turn comes again
    this.turnShown = 0; // pages of the current view shown in this turn
    this.rotate = 0;
    this.html = new Map();
    this.beatAt = Date.now();
    this.clockOffset = 0;
    this.pinShift = 0;
    this.onBeat = (e) => {
      this.beatAt = e.detail.at;
      if (typeof e.detail.server === "number") this.clockOffset = e.detail.server - e.detail.at;
      this.checkConnection();
    };
    window.addEventListener("readiness-wall-beat", this.onBeat);
    // For whoever stands at the wall's computer: → (or PageDown, Space) next page or view,
    // ← (PageUp) previous view.
    this.onKey = (e) => {
      const step = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 }[e.key];
      if (!step || !this.ids.length || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      if (step > 0) {
        this.advance();
      } else {
        const n = this.ids.length;
        this.enter(this.ids[(this.ids.indexOf(this.current) - 1 + n) % n]);
      }
      this.schedule();
    };
    document.addEventListener("keydown", this.onKey);
    this.scheduleTick();
  }

  update(data) {
    this.data = data;
    const now = Date.now();
    this.beatAt = now; // new data is a sign of life too
    const c = data.clock;
    this.clockOffset = c.server_ms - now; // the server's clock, kept in step by every heartbeat
    this.pinShift = c.now_ms - c.server_ms; // the board's now (READINESS_TODAY pins it) minus the server's
    this.fmtTime = new Intl.DateTimeFormat("en-GB", {
      timeZone: c.tz, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    });
    this.fmtDate = new Intl.DateTimeFormat("en-GB", {
      timeZone: c.tz, day: "2-digit", month: "2-digit", year: "numeric",
    });
    this.root.lang = data.lang;
    this.root.dataset.version = String(data.version);
    this.$(".w-name").textContent = data.name;
    this.$('[data-cd="dday"]').textContent = c.d_day_label;
    this.$(".w-updated").textContent = data.updated;

    // views: replace the content of those that changed, drop those no longer asked for
    const ids = data.views.map((v) => v.id);
    for (const v of data.views) {
      let section = this.views.querySelector(`[data-view="${v.id}"]`);
      if (!section) {
        section = document.createElement("section");
        section.className = "w-view";
        section.dataset.view = v.id;
        this.views.appendChild(section);
      }
      if (this.html.get(v.id) !== v.html) {
        section.innerHTML = v.html;
        this.html.set(v.id, v.html);
      }
    }
    for (const section of Array.from(this.views.children)) {
      if (!ids.includes(section.dataset.view)) {
        this.html.delete(section.dataset.view);
        section.remove();
      }
    }
    // keep the order asked for
    ids.forEach((id) => this.views.appendChild(this.views.querySelector(`[data-view="${id}"]`)));

    // banners from the server (old data), then the connection banner (client side)
    this.banners.textContent = "";
    for (const b of data.banners) {
      const el = document.createElement("div");
      el.className = `w-banner ${b.kind}`;
      el.setAttribute("data-testid", b.kind === "stale" ? "wallStale" : "wallBanner");
      el.textContent = b.text;
      this.banners.appendChild(el);
    }
    this.banners.appendChild(this.offline);

    const sameRotation = ids.join(",") === this.ids.join(",") && data.rotate === this.rotate;
    this.ids = ids;
    this.rotate = data.rotate;
    if (!sameRotation || !ids.includes(this.current)) {
      this.pageOf.clear();
      this.enter(ids[0]);
      this.schedule();
    } else {
      this.show(this.current, this.page); // new content: the same view and page stay
    }
    this.tick();
  }

  pages(id) {
    const view = this.data.views[this.ids.indexOf(id)];
    return (view && view.pages && view.pages.length) || 1;
  }

  // A view's turn begins: the page after the one shown last time.
  enter(id) {
    this.turnShown = 1;
    this.show(id, (this.pageOf.get(id) || 0) % this.pages(id));
  }

  // One rotation step: the next page of this view while its turn lasts, else the next view.
  advance() {
    const pages = this.pages(this.current);
    if (pages > 1 && this.turnShown < Math.min(pages, this.data.pages_per_turn || 1)) {
      this.turnShown += 1;
      this.show(this.current, (this.page + 1) % pages);
      return;
    }
    this.enter(this.ids[(this.ids.indexOf(this.current) + 1) % this.ids.length]);
  }

  show(id, page = 0) {
    this.current = id;
    const index = this.ids.indexOf(id);
    const view = this.data.views[index];
    const pages = this.pages(id);
    this.page = Math.min(page, pages - 1);
    this.pageOf.set(id, (this.page + 1) % pages);
    for (const section of this.views.children) section.classList.toggle("on", section.dataset.view === id);
    const section = this.views.querySelector(`[data-view="${id}"]`);
    for (const el of section.querySelectorAll("[data-page]")) el.classList.toggle("on", el.dataset.page === String(this.page));
    this.root.dataset.view = id;
    this.root.dataset.page = String(this.page);
    this.$(".w-viewtitle").textContent = view.title;
    this.$(".w-note").textContent = (view.pages && view.pages[this.page]) || view.note || "";
    this.$(".w-legend").innerHTML = view.legend || "";
    this.$(".w-dots").innerHTML =
      this.ids.length > 1 ? this.ids.map((_, i) => (i === index ? "<b>●</b>" : "○")).join("") : "";
  }

  schedule() {
    clearTimeout(this.rotateTimer);
    const progress = this.$(".w-progress");
    if (this.ids.length < 2 && this.pages(this.current) < 2) {
      progress.hidden = true;
      return;
    }
    progress.hidden = false;
    this.rotateStart = performance.now();
    this.progress();
    this.rotateTimer = setTimeout(() => {
      this.advance();
      this.schedule();
    }, this.rotate * 1000);
  }

  // The progress line moves with the once-a-second tick (no CSS animation: an animation, even in
  // steps, has the browser redraw every frame, which an idle wall should not cost).
  progress() {
    const bar = this.$(".w-progress-bar");
    if ((this.ids.length < 2 && this.pages(this.current) < 2) || !this.rotateStart) return;
    const done = Math.min(1, (performance.now() - this.rotateStart) / (this.rotate * 1000));
    bar.style.transform = `scaleX(${done.toFixed(4)})`;
  }

  scheduleTick() {
    clearTimeout(this.tickTimer);
    this.tickTimer = setTimeout(() => {
      this.tick();
      this.scheduleTick();
    }, 1000 - (Date.now() % 1000) + 5);
  }

  tick() {
    if (!this.data) return;
    const c = this.data.clock;
    const w = c.words;
    const boardNow = Date.now() + this.clockOffset + this.pinShift;
    const delta = c.d_day_ms - boardNow;
    const passed = delta < 0;
    const s = Math.floor(Math.abs(delta) / 1000);
    const days = Math.floor(s / 86400);
    const rest = s % 86400;
    const hms = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
    const text = passed ? (days === 0 ? w.now : fill(w.after, { days })) : fill(w.left, { days, hms });
    const label = fill(passed ? w.since : w.to, { when: c.when });
    for (const el of this.root.querySelectorAll('[data-cd="text"]')) el.textContent = text;
    for (const el of this.root.querySelectorAll('[data-cd="days"]')) el.textContent = String(days);
    for (const el of this.root.querySelectorAll('[data-cd="hms"]')) el.textContent = hms;
    for (const el of this.root.querySelectorAll('[data-cd="label"]')) el.textContent = label;
    const real = new Date(Date.now() + this.clockOffset);
    this.$('[data-clock="time"]').textContent = this.fmtTime.format(real);
    this.$('[data-clock="date"]').textContent = this.fmtDate.format(real);
    this.progress();
    this.checkConnection();
  }

  checkConnection() {
    if (!this.data) return;
    const quiet = Date.now() - this.beatAt;
    const lost = quiet > this.data.offline_after_s * 1000;
    if (lost && this.offline.hidden) {
      const since = this.fmtTime.format(new Date(this.beatAt + this.clockOffset));
      this.offline.textContent = fill(this.data.offline, { time: since });
    }
    this.offline.hidden = !lost;
    this.root.dataset.connection = lost ? "lost" : "ok";
  }

  destroy() {
    clearTimeout(this.rotateTimer);
    clearTimeout(this.tickTimer);
    window.removeEventListener("readiness-wall-beat", this.onBeat);
    document.removeEventListener("keydown", this.onKey);
    this.root.remove();
  }
}

export default function (component) {
  const { data, parentElement } = component;
  let wall = parentElement[KEY];
  if (!wall || !wall.root.isConnected) {
    wall = new Wall(parentElement);
    parentElement[KEY] = wall;
  }
  if (data) wall.update(data);
  // Called only when the element goes away for good (or, harmlessly, by a superseded update).
  return () => {
    setTimeout(() => {
      if (!parentElement.isConnected && parentElement[KEY] === wall) {
        wall.destroy();
        delete parentElement[KEY];
      }
    }, 0);
  };
}
